// Vectorised packing of op(B) when B is stored transposed (N x K): the forward pass of a
// linear layer, x·Wᵀ. Each 8 x 8 block of B is transposed in ymm registers, which is
// several times faster than the scalar scatter in nns_pack_b_generic.
#if defined(__x86_64__) || defined(__i386__)
#include "gemm_internal.h"
#include <immintrin.h>

#define TARGET2 __attribute__((target("avx2,fma")))

/// Transposes the 8 x 8 block r[0..8) in registers: on return r[j] holds column j.
static inline TARGET2 __attribute__((always_inline)) void transpose8x8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/// Stores the transpose of the 8 x 8 block at src (rows ld apart) as 8 rows dst_ld apart.
static inline TARGET2 __attribute__((always_inline)) void
transpose8_store(const float *src, long ld, float *dst, long dst_ld) {
    __m256 r[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(src + i * ld);
    transpose8x8(r);
    for (int i = 0; i < 8; i++) _mm256_storeu_ps(dst + i * dst_ld, r[i]);
}

/// Packs kc x nr of op(B) = Bᵀ (B stored N x K, top-left at b) into a kc x NR panel.
/// Needs NR a multiple of 8; full 8-column groups and 8-row steps go through registers,
/// ragged edges through the scalar loop.
NNS_INLINE_LOOPS TARGET2 void nns_pack_b_trans_avx2(long kc, int nr, int NR, const float *b, long ldb, float *dst) {
    int c8 = nr / 8 * 8;
    long p8 = kc / 8 * 8;
    // p outer: each block of 8 rows of the panel is written whole before the next
    // (measured on a Xeon, 32 x 192 blocks hot in L1: 1.2 against 1.3-1.5 us column-major).
    for (long p = 0; p < p8; p += 8)
        for (int c = 0; c < c8; c += 8) transpose8_store(b + c * ldb + p, ldb, dst + p * NR + c, NR);
    for (int c = 0; c < c8; c++)
        for (long p = p8; p < kc; p++) dst[p * NR + c] = b[c * ldb + p];
    for (int c = c8; c < nr; c++) {
        const float *src = b + c * ldb;
        for (long p = 0; p < kc; p++) dst[p * NR + c] = src[p];
    }
    if (nr < NR)
        for (long p = 0; p < kc; p++)
            for (int c = nr; c < NR; c++) dst[p * NR + c] = 0.0f;
}

#define TARGET512 __attribute__((target("avx512f,avx2,fma")))

/// Transposes the 16 x 16 block r[0..16) in registers (t is scratch): on return r[j] holds
/// column j. Three stages of two-source shuffles, 64 in all: a quarter of a shuffle per
/// float where the 8 x 8 ymm transpose takes three eighths.
static inline TARGET512 __attribute__((always_inline)) void transpose16x16(__m512 r[16], __m512 t[16]) {
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    // r[4q + j]: in each 128-bit lane L, element 4L + j of rows 4q .. 4q + 3
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
        r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
        r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[4 + i], 0x88);
        t[4 + i] = _mm512_shuffle_f32x4(r[i], r[4 + i], 0xDD);
        t[8 + i] = _mm512_shuffle_f32x4(r[8 + i], r[12 + i], 0x88);
        t[12 + i] = _mm512_shuffle_f32x4(r[8 + i], r[12 + i], 0xDD);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[8 + i], 0x88);
        r[8 + i] = _mm512_shuffle_f32x4(t[i], t[8 + i], 0xDD);
        r[4 + i] = _mm512_shuffle_f32x4(t[4 + i], t[12 + i], 0x88);
        r[12 + i] = _mm512_shuffle_f32x4(t[4 + i], t[12 + i], 0xDD);
    }
}

/// nns_pack_b_trans_avx2 in 16 x 16 zmm blocks (NR a multiple of 16): 1.5x as fast on the
/// forward's 32 x 192 blocks of W on a Xeon (0.93 against 1.2-1.5 us, hot in L1). Blocks
/// short of 16 rows of p, or of 16 columns, are copied one float at a time.
NNS_INLINE_LOOPS TARGET512 void nns_pack_b_trans_avx512(long kc, int nr, int NR, const float *b, long ldb, float *dst) {
    int c16 = nr / 16 * 16;
    long p16 = kc / 16 * 16;
    for (int c = 0; c < c16; c += 16) {
        const float *src = b + c * ldb;
        for (long p = 0; p < p16; p += 16) {
            __m512 r[16], t[16];
            for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(src + i * ldb + p);
            transpose16x16(r, t);
            for (int i = 0; i < 16; i++) _mm512_storeu_ps(dst + (p + i) * NR + c, r[i]);
        }
        for (long p = p16; p < kc; p++)
            for (int j = 0; j < 16; j++) dst[p * NR + c + j] = src[j * ldb + p];
    }
    for (int c = c16; c < nr; c++) {
        const float *src = b + c * ldb;
        for (long p = 0; p < kc; p++) dst[p * NR + c] = src[p];
    }
    if (nr < NR)
        for (long p = 0; p < kc; p++)
            for (int c = nr; c < NR; c++) dst[p * NR + c] = 0.0f;
}

NNS_INLINE_LOOPS TARGET512 void nns_pack_a12_avx512(int trans, long kc, int mr, const float *a, long lda, float *dst) {
    if (mr != 12) {
        nns_pack_a_generic(trans, kc, mr, 12, a, lda, dst);
        return;
    }
    const __mmask16 twelve = 0x0FFF;
    if (trans) { // column p of the panel is a[p*lda .. +12), contiguous
        for (long p = 0; p < kc; p++)
            _mm512_mask_storeu_ps(dst + p * 12, twelve, _mm512_maskz_loadu_ps(twelve, a + p * lda));
        return;
    }
    long p16 = kc / 16 * 16;
    for (long p = 0; p < p16; p += 16) {
        __m512 r[16], t[16];
        for (int i = 0; i < 12; i++) r[i] = _mm512_loadu_ps(a + i * lda + p);
        for (int i = 12; i < 16; i++) r[i] = _mm512_setzero_ps();
        transpose16x16(r, t);
        for (int i = 0; i < 16; i++) _mm512_mask_storeu_ps(dst + (p + i) * 12, twelve, r[i]);
    }
    for (long p = p16; p < kc; p++)
        for (int r = 0; r < 12; r++) dst[p * 12 + r] = a[r * lda + p];
}

NNS_INLINE_LOOPS TARGET2 void nns_pack_a8_avx2(int trans, long kc, int mr, const float *a, long lda, float *dst) {
    if (mr != 8) {
        nns_pack_a_generic(trans, kc, mr, 8, a, lda, dst);
        return;
    }
    if (trans) { // column p of the panel is a[p*lda .. +8), contiguous (the dW products' δᵀ)
        for (long p = 0; p < kc; p++) _mm256_storeu_ps(dst + p * 8, _mm256_loadu_ps(a + p * lda));
        return;
    }
    long p8 = kc / 8 * 8;
    for (long p = 0; p < p8; p += 8) transpose8_store(a + p, lda, dst + p * 8, 8);
    for (long p = p8; p < kc; p++)
        for (int r = 0; r < 8; r++) dst[p * 8 + r] = a[r * lda + p];
}

/// 6 x 8 block of A (rows ld apart) to 8 columns of 6 at dst, dst + 6, ...: an 8 x 8
/// register transpose with two zero rows, each column stored 8 wide so that its last two
/// lanes land on the next column's start and are overwritten by it. Writes dst[0..50).
static inline TARGET2 __attribute__((always_inline)) void
transpose6x8_store(const float *src, long ld, float *dst) {
    __m256 r[8];
    for (int i = 0; i < 6; i++) r[i] = _mm256_loadu_ps(src + i * ld);
    r[6] = r[7] = _mm256_setzero_ps();
    transpose8x8(r);
    for (int i = 0; i < 8; i++) _mm256_storeu_ps(dst + 6 * i, r[i]);
}

NNS_INLINE_LOOPS TARGET2 void nns_pack_a6_avx2(int trans, long kc, int mr, const float *a, long lda, float *dst) {
    if (mr != 6) {
        nns_pack_a_generic(trans, kc, mr, 6, a, lda, dst);
        return;
    }
    // Every vector store also writes two floats past its column; the blocks stop early
    // enough that those always land inside the panel (on columns written after them).
    long p = 0;
    if (trans) { // column p of the panel is a[p*lda .. +6), contiguous
        const __m256i six = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
        for (; p + 1 < kc; p++)
            _mm256_storeu_ps(dst + p * 6, _mm256_maskload_ps(a + p * lda, six));
        for (; p < kc; p++)
            for (int r = 0; r < 6; r++) dst[p * 6 + r] = a[p * lda + r];
        return;
    }
    for (; p + 8 < kc; p += 8) transpose6x8_store(a + p, lda, dst + p * 6);
    for (; p < kc; p++)
        for (int r = 0; r < 6; r++) dst[p * 6 + r] = a[r * lda + p];
}

/// Packs kc x nr of op(B) = B (stored K x N) into a kc x NR panel: rows of NR floats are
/// copied with whole-vector moves (NR a multiple of 8); a ragged panel is zero-padded.
NNS_INLINE_LOOPS TARGET2 void nns_pack_b_copy_avx2(long kc, int nr, int NR, const float *b, long ldb, float *dst) {
    if (nr == NR) {
        // Rows are ldb apart (a new cache line, often from L3, per row): fetch a few
        // rows ahead, as the hardware prefetcher may not follow a large stride.
        for (long p = 0; p < kc; p++, b += ldb, dst += NR) {
            _mm_prefetch((const char *)(b + 8 * ldb), _MM_HINT_T0);
            _mm_prefetch((const char *)(b + 8 * ldb + NR - 1), _MM_HINT_T0);
            for (int c = 0; c < NR; c += 8) _mm256_storeu_ps(dst + c, _mm256_loadu_ps(b + c));
        }
        return;
    }
    for (long p = 0; p < kc; p++, b += ldb, dst += NR) {
        int c = 0;
        for (; c < nr; c++) dst[c] = b[c];
        for (; c < NR; c++) dst[c] = 0.0f;
    }
}
#endif
