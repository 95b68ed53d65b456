// Sieve of Eratosthenes over a byte array, repeated; the checksum mixes the prime count and the
// largest prime found.
#define LIMIT 4000000
#define REPEAT 2

static unsigned char composite[LIMIT + 1];

int run(void) {
  unsigned int check = 0;
  for (int rep = 0; rep < REPEAT; rep++) {
    for (int i = 0; i <= LIMIT; i++) composite[i] = 0;
    for (int i = 2; (long long)i * i <= LIMIT; i++)
      if (!composite[i])
        for (int j = i * i; j <= LIMIT; j += i) composite[j] = 1;
    int count = 0, last = 0;
    for (int i = 2; i <= LIMIT; i++)
      if (!composite[i]) { count++; last = i; }
    check = check * 31 + (unsigned)count * 7 + (unsigned)last;
  }
  return (int)check;
}
