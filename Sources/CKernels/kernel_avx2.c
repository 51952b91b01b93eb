// AVX2+FMA microkernel: MR x (NV*8) tile in ymm registers (16 of them: 12 accumulators,
// 2 B vectors, 1 broadcast for the 6x16 shape). Partial-width tiles go through a small
// stack buffer because vmaskmovps stores are slow on AMD.
#if defined(__x86_64__) || defined(__i386__)
#include "gemm_internal.h"
#include <immintrin.h>

#define TARGET2 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/// x where the gate is > 0, else 0 (a NaN gate gives 0): relu' of the layer below.
INLINE TARGET2 __m256 gated(__m256 x, const float *gate) {
    return _mm256_and_ps(x, _mm256_cmp_ps(_mm256_loadu_ps(gate), _mm256_setzero_ps(), _CMP_GT_OQ));
}

/// w += step*x, a multiply then an add (rounded as the optimizer rounds its own step).
INLINE TARGET2 void step_weights(float *w, __m256 step, __m256 x) {
    _mm256_storeu_ps(w, _mm256_add_ps(_mm256_loadu_ps(w), _mm256_mul_ps(step, x)));
}

/// With PACK, B is read where it is (rows ldb apart; with PACK 2 the rows epi->b_rows
/// lists) and each row is also stored to the packed panel b_dst, for the tiles after this one.
INLINE TARGET2 void kernel_body(const int MR, const int NV, const int PACK, long kc,
                                const float *a, long rs_a, long cs_a, const float *b,
                                long ldb, float *b_dst, float *c, long ldc, int mr, int nr,
                                const nns_tile_epilogue *epi) {
    __m256 acc[8][4]; // fixed bounds (MR <= 8, NV <= 4): a VLA would live on the stack
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_ps();

    const int NR = NV * 8;
    nns_prefetch_tile(MR, NR, mr, c, ldc, epi);
    if (rs_a == 1) {
        for (long p = 0; p < kc; p++) {
            const float *ap = a + p * cs_a;
            const float *bp = PACK == 2 ? b + epi->b_rows[p] * ldb : PACK ? b + p * ldb : b + p * NR;
            __m256 bv[4];
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) bv[v] = _mm256_loadu_ps(bp + v * 8);
            if (PACK) {
                _mm_prefetch((const char *)(PACK == 1 ? bp + 8 * ldb : p + 8 < kc ? b + epi->b_rows[p + 8] * ldb : bp),
                             _MM_HINT_T0);
#pragma clang loop unroll(full)
                for (int v = 0; v < NV; v++) _mm256_storeu_ps(b_dst + p * NR + v * 8, bv[v]);
            }
#pragma clang loop unroll(full)
            for (int r = 0; r < MR; r++) {
                __m256 x = _mm256_broadcast_ss(ap + r);
#pragma clang loop unroll(full)
                for (int v = 0; v < NV; v++) acc[r][v] = _mm256_fmadd_ps(x, bv[v], acc[r][v]);
            }
        }
    } else {
        for (long p = 0; p < kc; p++) {
            const float *ap = a + p;
            const float *bp = PACK == 2 ? b + epi->b_rows[p] * ldb : PACK ? b + p * ldb : b + p * NR;
            __m256 bv[4];
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) bv[v] = _mm256_loadu_ps(bp + v * 8);
            if (PACK) {
                _mm_prefetch((const char *)(PACK == 1 ? bp + 8 * ldb : p + 8 < kc ? b + epi->b_rows[p + 8] * ldb : bp),
                             _MM_HINT_T0);
#pragma clang loop unroll(full)
                for (int v = 0; v < NV; v++) _mm256_storeu_ps(b_dst + p * NR + v * 8, bv[v]);
            }
#pragma clang loop unroll(full)
            for (int r = 0; r < MR; r++) {
                __m256 x = _mm256_broadcast_ss(ap + r * rs_a);
#pragma clang loop unroll(full)
                for (int v = 0; v < NV; v++) acc[r][v] = _mm256_fmadd_ps(x, bv[v], acc[r][v]);
            }
        }
    }

    const float alpha = epi->alpha, beta = epi->beta;
    const float *bias = epi->bias;
    const int relu = epi->relu;
    const float *gate = epi->gate;
    float *update = epi->update;
    const long ldg = epi->ldg;
    const __m256 vstep = _mm256_set1_ps(epi->step);
    const int discard = epi->discard_c;
    if (nr == NR && mr == MR && beta == 0.0f && alpha == 1.0f && !bias && !relu && !gate &&
        !update) {
        // A plain product's whole tile: the accumulators are C (see kernel_avx512.c).
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) _mm256_storeu_ps(c + r * ldc + v * 8, acc[r][v]);
    } else if (nr == NR && mr == MR && beta == 0.0f) {
        // The usual tile (whole, C overwritten) without a branch per row or vector: with
        // k = 32 the epilogue's branches cost a fifth of the tile. No bias adds zeros,
        // no ReLU takes the max with -inf (x or, for NaN, x: maxps returns its second
        // operand when unordered).
        // With no bias, no ReLU and no scale, the accumulators as they are (RAW; see
        // kernel_avx512.c).
        static const float no_bias[32] __attribute__((aligned(64)));
        const float *bv = bias ? bias : no_bias;
        const __m256 valpha = _mm256_set1_ps(alpha);
        const __m256 floor = _mm256_set1_ps(relu ? 0.0f : -__builtin_inff());
#define NNS_WHOLE_TILE(RAW)                                                                \
        _Pragma("clang loop unroll(full)")                                                 \
        for (int r = 0; r < MR; r++)                                                       \
            _Pragma("clang loop unroll(full)")                                             \
            for (int v = 0; v < NV; v++) {                                                 \
                __m256 x = acc[r][v];                                                      \
                if (!(RAW)) {                                                              \
                    x = _mm256_add_ps(_mm256_mul_ps(x, valpha), _mm256_loadu_ps(bv + v * 8)); \
                    x = _mm256_max_ps(floor, x);                                           \
                }                                                                          \
                if (gate) x = gated(x, gate + r * ldg + v * 8);                            \
                if (!discard) _mm256_storeu_ps(c + r * ldc + v * 8, x);                    \
                if (update) step_weights(nns_update_row(epi, r) + v * 8, vstep, x);        \
            }
        if (alpha == 1.0f && !bias && !relu) {
            NNS_WHOLE_TILE(1)
        } else {
            NNS_WHOLE_TILE(0)
        }
#undef NNS_WHOLE_TILE
    } else if (nr == NR) {
        const __m256 valpha = _mm256_set1_ps(alpha), vbeta = _mm256_set1_ps(beta);
        const __m256 zero = _mm256_setzero_ps();
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            if (r < mr) {
                float *cr = c + r * ldc;
#pragma clang loop unroll(full)
                for (int v = 0; v < NV; v++) {
                    __m256 x = _mm256_mul_ps(acc[r][v], valpha);
                    if (beta != 0.0f) x = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(cr + v * 8), x);
                    if (bias) x = _mm256_add_ps(x, _mm256_loadu_ps(bias + v * 8));
                    if (relu) x = _mm256_max_ps(zero, x);
                    if (gate) x = gated(x, gate + r * ldg + v * 8);
                    if (!discard) _mm256_storeu_ps(cr + v * 8, x);
                    if (update) step_weights(nns_update_row(epi, r) + v * 8, vstep, x);
                }
            }
        }
    } else {
        float tile[8 * 4 * 8];
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) _mm256_storeu_ps(tile + r * NR + v * 8, acc[r][v]);
        for (int r = 0; r < mr; r++) {
            float *cr = c + r * ldc;
            for (int j = 0; j < nr; j++) {
                float x = alpha * tile[r * NR + j];
                if (beta != 0.0f) x += beta * cr[j];
                if (bias) x += bias[j];
                if (relu && x < 0.0f) x = 0.0f;
                if (gate && !(gate[r * ldg + j] > 0.0f)) x = 0.0f;
                if (!discard) cr[j] = x;
                if (update) {
#pragma clang fp contract(off)
                    nns_update_row(epi, r)[j] += epi->step * x;
                }
            }
        }
    }
}

static TARGET2 void avx2_6x16(long kc, const float *a, long rs_a, long cs_a, const float *b,
                              float *c, long ldc, int mr, int nr, const nns_tile_epilogue *epi) {
    // A ragged last row panel (m not a multiple of 6) runs a shorter tile rather than
    // multiplying rows of zeros: m = 32 is 5 x 6 + 2, and a 2-row tile costs a third.
    if (mr > 4) kernel_body(6, 2, 0, kc, a, rs_a, cs_a, b, 0, NULL, c, ldc, mr, nr, epi);
    else if (mr > 2) kernel_body(4, 2, 0, kc, a, rs_a, cs_a, b, 0, NULL, c, ldc, mr, nr, epi);
    else kernel_body(2, 2, 0, kc, a, rs_a, cs_a, b, 0, NULL, c, ldc, mr, nr, epi);
}

static TARGET2 void avx2_6x16_packing_b(long kc, const float *a, long rs_a, long cs_a,
                                        const float *b, long ldb, float *b_dst, float *c,
                                        long ldc, int mr, const nns_tile_epilogue *epi) {
    if (epi->b_rows) { // the same, reading the listed rows of B
        if (mr > 4) kernel_body(6, 2, 2, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 16, epi);
        else if (mr > 2) kernel_body(4, 2, 2, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 16, epi);
        else kernel_body(2, 2, 2, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 16, epi);
        return;
    }
    if (mr > 4) kernel_body(6, 2, 1, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 16, epi);
    else if (mr > 2) kernel_body(4, 2, 1, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 16, epi);
    else kernel_body(2, 2, 1, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 16, epi);
}

static void pack_b_16(int trans, long kc, int nr, const float *b, long ldb, float *dst) {
    if (trans) nns_pack_b_trans_avx2(kc, nr, 16, b, ldb, dst);
    else nns_pack_b_copy_avx2(kc, nr, 16, b, ldb, dst);
}

const nns_kernel_desc nns_kernel_avx2 = {
    .name = "avx2+fma", .mr = 6, .nr = 16, .kc = 512, .mc = 120, .nc = 4096,
    .kernel = avx2_6x16, .pack_b = pack_b_16, .pack_a = nns_pack_a6_avx2,
    .kernel_packing_b = avx2_6x16_packing_b, .extras_in_epilogue = 1, .packing_b_rows = 1,
    .family = NNS_FAMILY_AVX2,
};
#endif
