// Portable reference implementation; replaced by the SIMD kernels.
#include "nns_kernels.h"

static int g_threads = 1;

void nns_sgemm(int trans_a, int trans_b, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        for (long j = 0; j < n; j++) {
            float s = 0;
            for (long p = 0; p < k; p++) {
                float x = trans_a ? a[p * lda + i] : a[i * lda + p];
                float y = trans_b ? b[j * ldb + p] : b[p * ldb + j];
                s += x * y;
            }
            c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
        }
    }
}

void nns_sgemm_bias(int trans_a, int trans_b, long m, long n, long k,
                    const float *a, long lda, const float *b, long ldb,
                    const float *bias, nns_epilogue epilogue, float *c, long ldc) {
    nns_sgemm(trans_a, trans_b, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) {
            float v = c[i * ldc + j] + (bias ? bias[j] : 0);
            if (epilogue == NNS_EPILOGUE_RELU && v < 0) v = 0;
            c[i * ldc + j] = v;
        }
}

void nns_set_threads(int threads) { g_threads = threads < 1 ? 1 : threads; }
int nns_get_threads(void) { return g_threads; }
const char *nns_kernel_name(void) { return "portable"; }
