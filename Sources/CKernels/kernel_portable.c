// Portable microkernel (plain C, vectorised by the compiler for the baseline ISA) and
// the scalar packing routines every kernel can fall back to.
#include "gemm_internal.h"

NNS_INLINE_LOOPS void nns_pack_b_generic(int trans, long kc, int nr, int NR, const float *b, long ldb, float *dst) {
    if (!trans) {
        for (long p = 0; p < kc; p++) {
            const float *src = b + p * ldb;
            float *d = dst + p * NR;
            int c = 0;
            for (; c < nr; c++) d[c] = src[c];
            for (; c < NR; c++) d[c] = 0.0f;
        }
    } else {
        // op(B)(p, c) = b[c*ldb + p]: walk each stored row once, scattering with stride NR.
        for (int c = 0; c < nr; c++) {
            const float *src = b + c * ldb;
            for (long p = 0; p < kc; p++) dst[p * NR + c] = src[p];
        }
        for (int c = nr; c < NR; c++)
            for (long p = 0; p < kc; p++) dst[p * NR + c] = 0.0f;
    }
}

NNS_INLINE_LOOPS void nns_pack_a_generic(int trans, long kc, int mr, int MR, const float *a, long lda, float *dst) {
    if (trans) {
        // op(A)(r, p) = a[p*lda + r]: each p is a contiguous run of mr values.
        for (long p = 0; p < kc; p++) {
            const float *src = a + p * lda;
            float *d = dst + p * MR;
            int r = 0;
            for (; r < mr; r++) d[r] = src[r];
            for (; r < MR; r++) d[r] = 0.0f;
        }
    } else {
        for (int r = 0; r < mr; r++) {
            const float *src = a + r * lda;
            for (long p = 0; p < kc; p++) dst[p * MR + r] = src[p];
        }
        for (int r = mr; r < MR; r++)
            for (long p = 0; p < kc; p++) dst[p * MR + r] = 0.0f;
    }
}

#define P_MR 4
#define P_NR 16

static void portable_kernel(long kc, const float *a, long rs_a, long cs_a,
                            const float *b, float *c, long ldc, int mr, int nr,
                            const nns_tile_epilogue *epi) {
    float acc[P_MR][P_NR] = {{0}};
    for (long p = 0; p < kc; p++) {
        const float *bp = b + p * P_NR;
        for (int r = 0; r < P_MR; r++) {
            float x = a[r * rs_a + p * cs_a];
            for (int j = 0; j < P_NR; j++) acc[r][j] += x * bp[j];
        }
    }
    for (int r = 0; r < mr; r++) {
        float *cr = c + r * ldc;
        for (int j = 0; j < nr; j++) {
            float v = epi->alpha * acc[r][j];
            if (epi->beta != 0.0f) v += epi->beta * cr[j];
            if (epi->bias) v += epi->bias[j];
            if (epi->relu && v < 0.0f) v = 0.0f; // NaN passes through
            cr[j] = v;
        }
    }
}

static void portable_pack_b(int trans, long kc, int nr, const float *b, long ldb, float *dst) {
    nns_pack_b_generic(trans, kc, nr, P_NR, b, ldb, dst);
}

const nns_kernel_desc nns_kernel_portable = {
    .name = "portable", .mr = P_MR, .nr = P_NR,
    .kc = 256, .mc = 128, .nc = 2048,
    .kernel = portable_kernel, .pack_b = portable_pack_b,
};
