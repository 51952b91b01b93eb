// AVX-512 microkernel: an MR x (NV*16) tile held in zmm registers, A broadcast from
// memory (folded into the FMA as {1to16}), B loaded from a packed panel.
// Compiled per function for AVX-512 so the library still runs on any x86-64.
#if defined(__x86_64__) || defined(__i386__)
#include "gemm_internal.h"
#include <immintrin.h>

#define TARGET512 __attribute__((target("avx512f,avx512vl,avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

INLINE TARGET512 __mmask16 col_mask(int cols) {
    if (cols >= 16) return (__mmask16)0xFFFF;
    if (cols <= 0) return 0;
    return (__mmask16)((1u << cols) - 1u);
}

/// x where the gate is > 0, else 0 (a NaN gate gives 0): relu' of the layer below. The
/// masks m here are the tile's valid columns (all 16 on a whole tile, where the masked
/// loads and stores compile to plain ones).
INLINE TARGET512 __m512 gated(__m512 x, const float *gate, __mmask16 m) {
    __m512 g = _mm512_maskz_loadu_ps(m, gate);
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(g, _mm512_setzero_ps(), _CMP_GT_OQ), x);
}

/// w += step*x, a multiply then an add (rounded as the optimizer rounds its own step).
INLINE TARGET512 void step_weights(float *w, __mmask16 m, __m512 step, __m512 x) {
    _mm512_mask_storeu_ps(w, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, w), _mm512_mul_ps(step, x)));
}

// The body shared by all tile shapes; MR and NV are compile-time constants at each use,
// so the loops unroll and acc[][] lives in registers. With PACK, B is read where it is
// (rows ldb apart; with PACK 2 the rows epi->b_rows lists) and each row is also stored to
// the packed panel b_dst, for the tiles after this one (see nns_microkernel_packing_b).
INLINE TARGET512 void kernel_body(const int MR, const int NV, const int PACK, long kc,
                                  const float *a, long rs_a, long cs_a, const float *b,
                                  long ldb, float *b_dst, float *c, long ldc, int mr, int nr,
                                  const nns_tile_epilogue *epi) {
    __m512 acc[16][4]; // fixed bounds (MR <= 16, NV <= 4): a VLA would live on the stack
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();

    const int NR = NV * 16;
    nns_prefetch_tile(MR, NR, mr, c, ldc, epi);
    // rs_a == 1: a packed panel or A stored transposed, the MR values of one p contiguous;
    // otherwise A is used in place, row-major: row r is a + r*rs_a, contiguous in p.
    // The two loops differ only in that stride, a constant in the first.
#define NNS_K_LOOP(RS)                                                                     \
    for (long p = 0; p < kc; p++) {                                                        \
        const float *ap = (RS) == 1 ? a + p * cs_a : a + p;                                \
        const float *bp = PACK == 2 ? b + epi->b_rows[p] * ldb                             \
                        : PACK ? b + p * ldb : b + p * NR;                                 \
        __m512 bv[4];                                                                      \
        _Pragma("clang loop unroll(full)")                                                 \
        for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_ps(bp + v * 16);                 \
        if (PACK) {                                                                        \
            const float *ahead = PACK == 1 ? bp + 8 * ldb                                  \
                               : p + 8 < kc ? b + epi->b_rows[p + 8] * ldb : bp;           \
            _mm_prefetch((const char *)ahead, _MM_HINT_T0);                                \
            _mm_prefetch((const char *)(ahead + NR - 1), _MM_HINT_T0);                     \
            _Pragma("clang loop unroll(full)")                                             \
            for (int v = 0; v < NV; v++) _mm512_storeu_ps(b_dst + p * NR + v * 16, bv[v]); \
        }                                                                                  \
        _Pragma("clang loop unroll(full)")                                                 \
        for (int r = 0; r < MR; r++) {                                                     \
            __m512 x = _mm512_set1_ps(ap[r * (RS)]);                                       \
            _Pragma("clang loop unroll(full)")                                             \
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(x, bv[v], acc[r][v]); \
        }                                                                                  \
    }
    if (rs_a == 1) {
        NNS_K_LOOP(1)
    } else {
        NNS_K_LOOP(rs_a)
    }
#undef NNS_K_LOOP

    const __m512 valpha = _mm512_set1_ps(epi->alpha);
    const float *bias = epi->bias;
    const int relu = epi->relu;
    const float *gate = epi->gate;
    float *update = epi->update;
    const long ldg = epi->ldg;
    const __m512 vstep = _mm512_set1_ps(epi->step);
    const int discard = epi->discard_c;
    if (nr == NR && mr == MR && epi->beta == 0.0f && epi->alpha == 1.0f && !bias && !relu &&
        !gate && !update) {
        // A plain product's whole tile: the accumulators are C (with k = 32, the scaling,
        // bias and floor of the general path below were 2% of the 64x32x256 product).
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) _mm512_storeu_ps(c + r * ldc + v * 16, acc[r][v]);
        return;
    }
    if (nr == NR && mr == MR && epi->beta == 0.0f) {
        // The usual tile (whole, C overwritten) without a branch per row or vector: no
        // bias adds zeros, no ReLU takes the max with -inf (NaN passes through: maxps
        // returns its second operand when unordered). A tile with no bias, no ReLU and no
        // scale takes its accumulators as they are (RAW): the three operations per vector
        // were 5% of the tile's FMAs at k = 64 (a weight gradient over a batch), 9% at 32
        // (bench/kernel-ab call for call on Zen 4: the first layer's step product
        // step.490x256 1.02-1.03x as fast, the gated gated.256x32 1.02-1.06x; AVX2 1.02x
        // and 1.01x).
        static const float no_bias[64] __attribute__((aligned(64)));
        const float *bvec = bias ? bias : no_bias;
        const __m512 floor = _mm512_set1_ps(relu ? 0.0f : -__builtin_inff());
#define NNS_WHOLE_TILE(RAW)                                                                \
        _Pragma("clang loop unroll(full)")                                                 \
        for (int r = 0; r < MR; r++)                                                       \
            _Pragma("clang loop unroll(full)")                                             \
            for (int v = 0; v < NV; v++) {                                                 \
                __m512 x = acc[r][v];                                                      \
                if (!(RAW)) {                                                              \
                    x = _mm512_add_ps(_mm512_mul_ps(x, valpha), _mm512_loadu_ps(bvec + v * 16)); \
                    x = _mm512_max_ps(floor, x);                                           \
                }                                                                          \
                if (gate) x = gated(x, gate + r * ldg + v * 16, 0xFFFF);                   \
                if (!discard) _mm512_storeu_ps(c + r * ldc + v * 16, x);                   \
                if (update) step_weights(nns_update_row(epi, r) + v * 16, 0xFFFF, vstep, x); \
            }
        if (epi->alpha == 1.0f && !bias && !relu) {
            NNS_WHOLE_TILE(1)
        } else {
            NNS_WHOLE_TILE(0)
        }
#undef NNS_WHOLE_TILE
        return;
    }
    const __m512 vbeta = _mm512_set1_ps(epi->beta);
    const __m512 zero = _mm512_setzero_ps();
    const int use_beta = epi->beta != 0.0f;
    __mmask16 m[4];
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) m[v] = col_mask(nr - v * 16);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < mr) {
            float *cr = c + r * ldc;
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) {
                __m512 x = _mm512_mul_ps(acc[r][v], valpha);
                if (use_beta) x = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(m[v], cr + v * 16), x);
                if (bias) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(m[v], bias + v * 16));
                if (relu) x = _mm512_max_ps(zero, x); // NaN passes through
                if (gate) x = gated(x, gate + r * ldg + v * 16, m[v]);
                if (!discard) _mm512_mask_storeu_ps(cr + v * 16, m[v], x);
                if (update) step_weights(nns_update_row(epi, r) + v * 16, m[v], vstep, x);
            }
        }
    }
}

#define DEFINE_KERNEL(NAME, MR, NV)                                                        \
    static TARGET512 void NAME(long kc, const float *a, long rs_a, long cs_a,             \
                               const float *b, float *c, long ldc, int mr, int nr,         \
                               const nns_tile_epilogue *epi) {                             \
        kernel_body(MR, NV, 0, kc, a, rs_a, cs_a, b, 0, NULL, c, ldc, mr, nr, epi);        \
    }

DEFINE_KERNEL(avx512_14x32, 14, 2)
DEFINE_KERNEL(avx512_8x32, 8, 2)
DEFINE_KERNEL(avx512_6x64, 6, 4)
DEFINE_KERNEL(avx512_12x32, 12, 2)

static TARGET512 void avx512_8x32_packing_b(long kc, const float *a, long rs_a, long cs_a,
                                            const float *b, long ldb, float *b_dst, float *c,
                                            long ldc, int mr, const nns_tile_epilogue *epi) {
    if (epi->b_rows) kernel_body(8, 2, 2, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 32, epi);
    else kernel_body(8, 2, 1, kc, a, rs_a, cs_a, b, ldb, b_dst, c, ldc, mr, 32, epi);
}

static void pack_b_32(int trans, long kc, int nr, const float *b, long ldb, float *dst) {
    if (trans) nns_pack_b_trans_avx512(kc, nr, 32, b, ldb, dst);
    else nns_pack_b_copy_avx2(kc, nr, 32, b, ldb, dst);
}
static void pack_b_64(int trans, long kc, int nr, const float *b, long ldb, float *dst) {
    if (trans) nns_pack_b_trans_avx512(kc, nr, 64, b, ldb, dst);
    else nns_pack_b_copy_avx2(kc, nr, 64, b, ldb, dst);
}

// 8 x 32 measured fastest on Zen 4 (EPYC, 2 cores) and on a Golden Cove-class Xeon (2
// cores): 16 accumulators cover the FMA latency, m = 64 batches split into whole panels,
// and 8 rows at a stride of lda alias less in L1 than 14 when A is read in place.
// KC = 512 on Zen 4 (32 KiB L1d; k = 784 runs as 2 x 392). With a 48 KiB L1d (Intel since
// Golden Cove) KC = 256 (k = 784 as 4 x 196: the 25 KiB panel of B stays in L1): the
// forward product 64x784x256 gained 2-6% against OpenBLAS call for call, 3 paired runs
// (bench/matmul.sh 2 0.3 paired), the other shapes level.
// Large products (A packed in MC blocks, C in L3 or memory) want the larger tile: each
// tile's C is read and written once per k block, and 12 x 32 moves 2/3 as much C per FMA
// as 8 x 32. KC = 512 halves the passes over C again, and a 48 x 512 block of A (96 KiB)
// stays in L2 beside the panels of B it meets (measured, bench/kernel-ab on a Golden
// Cove-class Xeon, 1024^3 call for call: 12 x 32 with KC 512, MC 48 1.09x against 8 x 32
// with KC 512, MC 64, itself 1.13x against the batch-sized blocking; KC 256, 384 or 768
// and MC 24 or 96 no better, 14 x 32 and 6 x 64 slower).
static const nns_kernel_desc avx512_blocked = {
    .name = "avx512", .mr = 12, .nr = 32, .kc = 512, .mc = 48, .nc = 4096,
    .kernel = avx512_12x32, .pack_b = pack_b_32, .pack_a = nns_pack_a12_avx512,
    .extras_in_epilogue = 1, .family = NNS_FAMILY_AVX512,
};

const nns_kernel_desc nns_kernel_avx512 = {
    .name = "avx512", .mr = 8, .nr = 32, .kc = 512, .kc_wide_l1 = 256, .mc = 128, .nc = 4096,
    .kernel = avx512_8x32, .pack_b = pack_b_32, .pack_a = nns_pack_a8_avx2,
    .kernel_packing_b = avx512_8x32_packing_b, .extras_in_epilogue = 1, .packing_b_rows = 1,
    .blocked = &avx512_blocked, .family = NNS_FAMILY_AVX512,
};

// Alternative shapes kept for tuning (selected with NNS_TILE, see sgemm.c).
const nns_kernel_desc nns_kernel_avx512_14x32 = {
    .name = "avx512", .mr = 14, .nr = 32, .kc = 256, .mc = 168, .nc = 4096,
    .kernel = avx512_14x32, .pack_b = pack_b_32, .extras_in_epilogue = 1,
    .family = NNS_FAMILY_AVX512,
};
const nns_kernel_desc nns_kernel_avx512_12x32 = {
    .name = "avx512", .mr = 12, .nr = 32, .kc = 256, .mc = 144, .nc = 4096,
    .kernel = avx512_12x32, .pack_b = pack_b_32, .extras_in_epilogue = 1,
    .family = NNS_FAMILY_AVX512,
};
const nns_kernel_desc nns_kernel_avx512_6x64 = {
    .name = "avx512", .mr = 6, .nr = 64, .kc = 256, .mc = 120, .nc = 4096,
    .kernel = avx512_6x64, .pack_b = pack_b_64, .extras_in_epilogue = 1,
    .family = NNS_FAMILY_AVX512,
};
#endif
