// Double-precision matrix multiply C = A * B (naive i-k-j order); the checksum is the bits of a
// weighted sum of C, so every engine must round exactly alike.
typedef unsigned long long u64;

#define N 300

static double A[N * N], B[N * N], C[N * N];

u64 run(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      A[i * N + j] = (double)((i * 7 + j * 3) % 17) / 16.0 - 0.5;
      B[i * N + j] = (double)((i * 5 + j * 11) % 13) / 12.0 + 0.25;
      C[i * N + j] = 0.0;
    }
  for (int i = 0; i < N; i++)
    for (int k = 0; k < N; k++) {
      double a = A[i * N + k];
      for (int j = 0; j < N; j++) C[i * N + j] += a * B[k * N + j];
    }
  double sum = 0.0;
  for (int i = 0; i < N * N; i++) sum += C[i] * (double)(i % 7 + 1);
  union { double d; u64 u; } bits = { sum };
  return bits.u;
}
