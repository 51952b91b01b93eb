// NEON microkernel for AArch64: 8 x 12 tile (24 q-register accumulators of 32).
#if defined(__aarch64__)
#include "gemm_internal.h"
#include <arm_neon.h>

#define N_MR 8
#define N_NR 12

static void neon_8x12(long kc, const float *a, long rs_a, long cs_a, const float *b,
                      float *c, long ldc, int mr, int nr, const nns_tile_epilogue *epi) {
    float32x4_t acc[N_MR][3];
    for (int r = 0; r < N_MR; r++)
        for (int v = 0; v < 3; v++) acc[r][v] = vdupq_n_f32(0.0f);
    for (long p = 0; p < kc; p++) {
        const float *bp = b + p * N_NR;
        float32x4_t b0 = vld1q_f32(bp), b1 = vld1q_f32(bp + 4), b2 = vld1q_f32(bp + 8);
        for (int r = 0; r < N_MR; r++) {
            float x = a[r * rs_a + p * cs_a];
            acc[r][0] = vfmaq_n_f32(acc[r][0], b0, x);
            acc[r][1] = vfmaq_n_f32(acc[r][1], b1, x);
            acc[r][2] = vfmaq_n_f32(acc[r][2], b2, x);
        }
    }
    const float alpha = epi->alpha, beta = epi->beta;
    const float *bias = epi->bias;
    const int relu = epi->relu;
    if (nr == N_NR) {
        const float32x4_t zero = vdupq_n_f32(0.0f);
        for (int r = 0; r < mr; r++) {
            float *cr = c + r * ldc;
            for (int v = 0; v < 3; v++) {
                float32x4_t x = vmulq_n_f32(acc[r][v], alpha);
                if (beta != 0.0f) x = vfmaq_n_f32(x, vld1q_f32(cr + 4 * v), beta);
                if (bias) x = vaddq_f32(x, vld1q_f32(bias + 4 * v));
                if (relu) x = vbslq_f32(vcltq_f32(x, zero), zero, x); // NaN passes through
                vst1q_f32(cr + 4 * v, x);
            }
        }
    } else {
        float tile[N_MR * N_NR];
        for (int r = 0; r < N_MR; r++)
            for (int v = 0; v < 3; v++) vst1q_f32(tile + r * N_NR + 4 * v, acc[r][v]);
        for (int r = 0; r < mr; r++) {
            float *cr = c + r * ldc;
            for (int j = 0; j < nr; j++) {
                float x = alpha * tile[r * N_NR + j];
                if (beta != 0.0f) x += beta * cr[j];
                if (bias) x += bias[j];
                if (relu && x < 0.0f) x = 0.0f;
                cr[j] = x;
            }
        }
    }
}

static void neon_pack_b(int trans, long kc, int nr, const float *b, long ldb, float *dst) {
    nns_pack_b_generic(trans, kc, nr, N_NR, b, ldb, dst);
}

const nns_kernel_desc nns_kernel_neon = {
    .name = "neon", .mr = N_MR, .nr = N_NR, .kc = 256, .mc = 128, .nc = 4096,
    .kernel = neon_8x12, .pack_b = neon_pack_b,
};
#endif
