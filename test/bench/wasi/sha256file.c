/* WASI benchmark program: SHA-256 of a file, read through stdio in fixed-size chunks.
 *
 *   sha256file INPUT [CHUNK_BYTES]
 *
 * Reads INPUT with fread() in chunks of CHUNK_BYTES (default 16384, 4096..1048576), hashes it and
 * prints "<64 hex digits>  INPUT\n" (the sha256sum format) to stdout; the same line is written to
 * INPUT.sha256 next to the input. Exit status 0 on success, 1 on a usage or I/O error (message on
 * stderr). Built by scripts/build-bench-wasi.sh; run by test/bench/wasiBench.ts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t h[8];
  uint64_t total;     /* bytes hashed so far */
  uint8_t block[64];  /* pending partial block */
  size_t fill;        /* bytes in block */
} Sha256;

static const uint32_t K[64] = {
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
  0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
  0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
  0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
  0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
  0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
  0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t h[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha_init(Sha256 *s) {
  static const uint32_t iv[8] = { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                  0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u };
  memcpy(s->h, iv, sizeof iv);
  s->total = 0;
  s->fill = 0;
}

static void sha_update(Sha256 *s, const uint8_t *p, size_t n) {
  s->total += n;
  if (s->fill) {
    size_t take = 64 - s->fill < n ? 64 - s->fill : n;
    memcpy(s->block + s->fill, p, take);
    s->fill += take; p += take; n -= take;
    if (s->fill < 64) return;
    compress(s->h, s->block);
    s->fill = 0;
  }
  for (; n >= 64; p += 64, n -= 64) compress(s->h, p);
  memcpy(s->block, p, n);
  s->fill = n;
}

static void sha_final(Sha256 *s, uint8_t out[32]) {
  uint64_t bits = s->total * 8;
  uint8_t pad[72] = { 0x80 };
  size_t padLen = (s->fill < 56 ? 56 : 120) - s->fill;
  for (int i = 0; i < 8; i++) pad[padLen + i] = (uint8_t)(bits >> (56 - 8 * i));
  sha_update(s, pad, padLen + 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24); out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8); out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: sha256file INPUT [CHUNK_BYTES]\n");
    return 1;
  }
  const char *path = argv[1];
  long chunk = argc == 3 ? strtol(argv[2], NULL, 10) : 16384;
  if (chunk < 4096 || chunk > 1048576) {
    fprintf(stderr, "sha256file: chunk size %s out of range 4096..1048576\n", argv[2]);
    return 1;
  }
  uint8_t *buf = malloc((size_t)chunk);
  FILE *in = fopen(path, "rb");
  if (!buf || !in) {
    perror(path);
    return 1;
  }
  Sha256 s;
  sha_init(&s);
  size_t got;
  while ((got = fread(buf, 1, (size_t)chunk, in)) > 0) sha_update(&s, buf, got);
  if (ferror(in)) {
    perror(path);
    return 1;
  }
  fclose(in);

  uint8_t digest[32];
  sha_final(&s, digest);
  char line[4096];
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) { line[2 * i] = hex[digest[i] >> 4]; line[2 * i + 1] = hex[digest[i] & 15]; }
  int n = 64 + snprintf(line + 64, sizeof line - 64, "  %s\n", path);
  fwrite(line, 1, (size_t)n, stdout);

  char outPath[4096];
  snprintf(outPath, sizeof outPath, "%s.sha256", path);
  FILE *out = fopen(outPath, "wb");
  if (!out || fwrite(line, 1, (size_t)n, out) != (size_t)n || fclose(out) != 0) {
    perror(outPath);
    return 1;
  }
  return 0;
}
