// Fannkuch-redux: all permutations of 1..N, counting pancake flips; checksum and max flips combined.
#define N 9

int run(void) {
  int perm[N], perm1[N], count[N];
  int maxFlips = 0, checksum = 0, permCount = 0;
  for (int i = 0; i < N; i++) perm1[i] = i;
  int r = N;
  for (;;) {
    while (r != 1) { count[r - 1] = r; r--; }
    for (int i = 0; i < N; i++) perm[i] = perm1[i];
    int flips = 0;
    int k;
    while ((k = perm[0]) != 0) {
      for (int i = 0, j = k; i < j; i++, j--) { int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      flips++;
    }
    if (flips > maxFlips) maxFlips = flips;
    checksum += (permCount & 1) ? -flips : flips;
    for (;;) {
      if (r == N) return checksum * 1000 + maxFlips;
      int first = perm1[0];
      for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = first;
      if (--count[r] > 0) break;
      r++;
    }
    permCount++;
  }
}
