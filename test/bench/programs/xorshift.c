// Integer loop: a xorshift64 generator feeding multiplies, rotates and a data-dependent branch.
typedef unsigned long long u64;

#define ITERATIONS 5000000

u64 run(void) {
  u64 x = 0x9E3779B97F4A7C15ull;
  u64 acc = 0;
  for (int i = 0; i < ITERATIONS; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    u64 m = x * 0xD6E8FEB86659FD93ull;
    if (m & 1) acc += (m >> 32) ^ (u64)i;
    else acc ^= (m << 7) | (m >> 57);
  }
  return acc;
}
