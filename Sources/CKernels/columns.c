// Zero columns of a training batch, and copies of a matrix's rows restricted to the other
// columns (see nns_columns.h): the forward and weight gradient of a linear layer then run
// on fewer columns of the batch and of W.
#include "nns_columns.h"
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// Below this many floats a copy or scan stays on the calling thread. (A training batch of
/// 64 MNIST images keeps about 490 columns: 31K floats, which 16384 kept on one thread while
/// the other waited; split, a 2-thread epoch took 0.963-0.967x the time, paired runs.)
#define MIN_FLOATS_PER_THREAD 8192
/// Chunk masks kept on the stack (of columns up to 16 times this); more are allocated.
#define STACK_MASKS 1024

// ---- the scan: bit j % 16 of masks[j / 16] is set when column j has a nonzero in the rows ----

/// The sign bit: -0 is zero too.
#define MAGNITUDE 0x7fffffffu

static void or_rows_portable(const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t ld,
                             uint16_t *masks) {
    for (ptrdiff_t c0 = 0; c0 < columns; c0 += 16) {
        ptrdiff_t width = columns - c0 < 16 ? columns - c0 : 16;
        uint32_t seen[16] = {0};
        for (ptrdiff_t i = 0; i < rows; i++) {
            const float *row = x + i * ld + c0;
            for (ptrdiff_t j = 0; j < width; j++) {
                uint32_t bits;
                memcpy(&bits, row + j, sizeof bits);
                seen[j] |= bits;
            }
        }
        unsigned m = 0;
        for (ptrdiff_t j = 0; j < width; j++) m |= (unsigned)((seen[j] & MAGNITUDE) != 0) << j;
        masks[c0 / 16] |= (uint16_t)m;
    }
}

#if defined(__x86_64__)
// Four vectors of bits stay in registers while the rows go by; the last group's loads are
// masked, so nothing past a row is read. (A batch of 64 × 784: 4.5 us, AVX2 the same, the
// portable loop 10.3; `nns-bench columns`.)
__attribute__((target("avx512f"))) static void or_rows_avx512(const float *x, ptrdiff_t rows,
                                                               ptrdiff_t columns, ptrdiff_t ld,
                                                               uint16_t *masks) {
    const __m512i magnitude = _mm512_set1_epi32((int)MAGNITUDE);
    for (ptrdiff_t c0 = 0; c0 < columns; c0 += 64) {
        __mmask16 m[4];
        __m512i a[4];
        for (int q = 0; q < 4; q++) {
            ptrdiff_t left = columns - c0 - 16 * q;
            m[q] = left >= 16 ? 0xffff : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
            a[q] = _mm512_setzero_si512();
        }
        for (ptrdiff_t i = 0; i < rows; i++) {
            const float *row = x + i * ld + c0;
            for (int q = 0; q < 4; q++) a[q] = _mm512_or_si512(a[q], _mm512_maskz_loadu_epi32(m[q], row + 16 * q));
        }
        for (int q = 0; q < 4 && m[q]; q++) masks[c0 / 16 + q] |= _mm512_test_epi32_mask(a[q], magnitude);
    }
}

// The same with four 8-lane vectors; the columns past the last whole group of 32 (at most
// 31) take the portable loop.
__attribute__((target("avx2"))) static void or_rows_avx2(const float *x, ptrdiff_t rows,
                                                         ptrdiff_t columns, ptrdiff_t ld,
                                                         uint16_t *masks) {
    const __m256i magnitude = _mm256_set1_epi32((int)MAGNITUDE), zero = _mm256_setzero_si256();
    ptrdiff_t whole = columns / 32 * 32;
    for (ptrdiff_t c0 = 0; c0 < whole; c0 += 32) {
        __m256i a[4];
        for (int q = 0; q < 4; q++) a[q] = zero;
        for (ptrdiff_t i = 0; i < rows; i++) {
            const __m256i *row = (const __m256i *)(x + i * ld + c0);
            for (int q = 0; q < 4; q++) a[q] = _mm256_or_si256(a[q], _mm256_loadu_si256(row + q));
        }
        for (int q = 0; q < 4; q++) {
            __m256i is_zero = _mm256_cmpeq_epi32(_mm256_and_si256(a[q], magnitude), zero);
            unsigned nonzero = ~(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(is_zero)) & 0xffu;
            masks[c0 / 16 + q / 2] |= (uint16_t)(nonzero << (8 * (q % 2)));
        }
    }
    if (whole < columns) or_rows_portable(x + whole, rows, columns - whole, ld, masks + whole / 16);
}
#endif

static void or_rows(nns_family code, const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t ld,
                    uint16_t *masks) {
#if defined(__x86_64__)
    if (code == NNS_FAMILY_AVX512) return or_rows_avx512(x, rows, columns, ld, masks);
    if (code == NNS_FAMILY_AVX2) return or_rows_avx2(x, rows, columns, ld, masks);
#endif
    or_rows_portable(x, rows, columns, ld, masks);
}

typedef struct {
    const float *x;
    ptrdiff_t columns, ld, chunks;
    uint16_t *masks; // `chunks` masks per slot, zeroed
    nns_family code;
} scan_job;

static void scan_rows(void *ctx, long begin, long end, int slot) {
    const scan_job *J = ctx;
    or_rows(J->code, J->x + begin * J->ld, end - begin, J->columns, J->ld, J->masks + slot * J->chunks);
}

/// Merges the slots' masks of `chunks` chunks into masks (when not NULL) and lists their
/// columns (from 16 * first_chunk on) in index from *count on.
static void list_columns(const uint16_t *slot_masks, int slots, ptrdiff_t stride, ptrdiff_t first_chunk,
                         ptrdiff_t chunks, int32_t *index, uint16_t *masks, ptrdiff_t *count) {
    for (ptrdiff_t c = 0; c < chunks; c++) {
        unsigned m = 0;
        for (int s = 0; s < slots; s++) m |= slot_masks[s * stride + c];
        if (masks) masks[first_chunk + c] = (uint16_t)m;
        for (; m; m &= m - 1) index[(*count)++] = (int32_t)(16 * (first_chunk + c) + __builtin_ctz(m));
    }
}

/// The scan with the code of family `code`: on the products' threads when `parallel`, else
/// on this thread in `slots` parts with masks of their own (as threads would take them), or
/// with no memory for them when `slots` is 0.
static ptrdiff_t nonzero_columns(nns_family code, int parallel, int slots, const float *x, ptrdiff_t rows,
                                 ptrdiff_t columns, ptrdiff_t ld, int32_t *index, uint16_t *masks) {
    if (columns <= 0) return 0;
    ptrdiff_t chunks = (columns + 15) / 16, count = 0;
    // Each thread ORs the rows it takes (the rows it gathered, when the batch was just
    // gathered on the same threads) into masks of its own, which the list merges: bits
    // rather than the floats' ORs, so that little crosses between the cores.
    if (parallel) slots = rows * columns >= 2 * MIN_FLOATS_PER_THREAD ? nns_get_threads() : 1;
    uint16_t stack[STACK_MASKS], *slot_masks = NULL;
    if (slots < 1) slots = parallel ? 1 : 0;
    else if (chunks <= STACK_MASKS / slots) slot_masks = stack;
    else if ((size_t)chunks <= SIZE_MAX / sizeof *slot_masks / (size_t)slots)
        slot_masks = malloc((size_t)slots * (size_t)chunks * sizeof *slot_masks);
    if (!slot_masks) {
        // Out of memory: 64 columns at a time, on this thread.
        for (ptrdiff_t c = 0; c < chunks; c += 4) {
            ptrdiff_t n = chunks - c < 4 ? chunks - c : 4;
            memset(stack, 0, 4 * sizeof *stack);
            or_rows(code, x + 16 * c, rows, columns - 16 * c < 64 ? columns - 16 * c : 64, ld, stack);
            list_columns(stack, 1, 0, c, n, index, masks, &count);
        }
        return count;
    }
    memset(slot_masks, 0, (size_t)slots * (size_t)chunks * sizeof *slot_masks);
    scan_job J = {.x = x, .columns = columns, .ld = ld, .chunks = chunks, .masks = slot_masks, .code = code};
    if (parallel && slots > 1) nns_parallel_for_slots(rows, MIN_FLOATS_PER_THREAD / columns + 1, slots, scan_rows, &J);
    else
        for (int slot = 0; slot < slots; slot++) scan_rows(&J, rows * slot / slots, rows * (slot + 1) / slots, slot);
    list_columns(slot_masks, slots, chunks, 0, chunks, index, masks, &count);
    if (slot_masks != stack) free(slot_masks);
    return count;
}

ptrdiff_t nns_nonzero_columns(const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t ld,
                              int32_t *index, uint16_t *masks) {
    return nonzero_columns(nns_selected_family(), 1, 1, x, rows, columns, ld, index, masks);
}

ptrdiff_t nns_nonzero_columns_isa(const char *isa, int parts, const float *x, ptrdiff_t rows,
                                  ptrdiff_t columns, ptrdiff_t ld, int32_t *index, uint16_t *masks) {
    int code = nns_family_of(isa);
    if (code < 0) return -1;
    return nonzero_columns((nns_family)code, 0, parts, x, rows, columns, ld, index, masks);
}

// ---- the copies ----

typedef struct {
    const float *src;
    float *dst;
    ptrdiff_t ld, count;
    const int32_t *index;
    const uint16_t *masks; // the listed columns of each 16-column chunk (vector code only)
    ptrdiff_t chunks;
    nns_family code;
    int place;             // SELECT, PLACE or PLACE_ZEROING
} column_job;

enum { SELECT, PLACE, PLACE_ZEROING };

static void move_rows_portable(const column_job *J, long begin, long end) {
    for (long r = begin; r < end; r++) {
        const float *s = J->src + r * (J->place ? J->count : J->ld);
        float *d = J->dst + r * (J->place ? J->ld : J->count);
        if (J->place == PLACE_ZEROING) memset(d, 0, (size_t)J->ld * sizeof *d); // the row stays in L1
        if (J->place)
            for (ptrdiff_t q = 0; q < J->count; q++) d[J->index[q]] = s[q];
        else
            for (ptrdiff_t q = 0; q < J->count; q++) d[q] = s[J->index[q]];
    }
}

#if defined(__x86_64__)
// Each 16-column chunk of a row is loaded under its mask (so nothing past the row is read),
// compressed to its listed columns and stored as the next run of the compact row; placing
// expands a run back under the mask. Masked loads and stores keep every access inside the
// caller's rows, so threads copying neighbouring rows never touch each other's floats.
__attribute__((target("avx512f"))) static void move_rows_avx512(const column_job *J, long begin,
                                                                 long end) {
    for (long r = begin; r < end; r++) {
        ptrdiff_t at = 0;
        if (J->place) {
            // Zeroing: every chunk of the row, its other columns written as the expand's zeros.
            const int zeroing = J->place == PLACE_ZEROING;
            const float *s = J->src + r * J->count;
            float *d = J->dst + r * J->ld;
            for (ptrdiff_t c = 0; c < (zeroing ? (J->ld + 15) / 16 : J->chunks); c++) {
                __mmask16 m = c < J->chunks ? J->masks[c] : 0;
                if (!m && !zeroing) continue;
                ptrdiff_t left = J->ld - 16 * c;
                __mmask16 store = !zeroing ? m : left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
                int n = __builtin_popcount(m);
                __m512 run = _mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), s + at);
                _mm512_mask_storeu_ps(d + 16 * c, store, _mm512_maskz_expand_ps(m, run));
                at += n;
            }
        } else {
            const float *s = J->src + r * J->ld;
            float *d = J->dst + r * J->count;
            for (ptrdiff_t c = 0; c < J->chunks; c++) {
                __mmask16 m = J->masks[c];
                if (!m) continue;
                int n = __builtin_popcount(m);
                __m512 v = _mm512_maskz_loadu_ps(m, s + 16 * c);
                _mm512_mask_storeu_ps(d + at, (__mmask16)((1u << n) - 1), _mm512_maskz_compress_ps(m, v));
                at += n;
            }
        }
    }
}


/// For each mask of 8 lanes: the lanes it selects, in order (the other entries are 0).
static uint8_t select_lanes[256][8];
static pthread_once_t lanes_made = PTHREAD_ONCE_INIT;

static void make_lanes(void) {
    for (unsigned m = 0; m < 256; m++)
        for (int i = 0, n = 0; i < 8; i++)
            if (m >> i & 1) select_lanes[m][n++] = (uint8_t)i;
}

// AVX2 has compress only as a permutation, from the table above, and its masked stores are
// slow on Zen 3: each chunk stores a whole vector of 8 floats, past its run, into floats of
// the compact row that the next chunks overwrite. The stores keep to the row, so threads
// copying neighbouring rows never touch each other's floats: from the chunk whose 8 floats
// would cross the end of the compact row (or whose load would cross the end of the full
// row) on, the rest of the row goes float by float. Every chunk takes the same path, empty
// or not (no branch to mispredict on which columns are zero). The masks are read as bytes,
// one per 8 columns. (Placing with the inverse permutation and a blend into the loaded 8
// floats of the row ran no faster than the portable loop, which writes only the kept
// floats: 53.0 against 51.5 us for 256 rows, 478 of 784 columns, `nns-bench columns`.)
__attribute__((target("avx2,popcnt"))) static void select_rows_avx2(const column_job *J, long begin, long end) {
    const ptrdiff_t count = J->count, ld = J->ld;
    const uint8_t *masks = (const uint8_t *)J->masks; // little-endian: byte c is columns 8c ..< 8c + 8
    const ptrdiff_t whole = 2 * J->chunks < ld / 8 ? 2 * J->chunks : ld / 8; // chunks inside the row
    for (long r = begin; r < end; r++) {
        const float *s = J->src + r * ld;
        float *d = J->dst + r * count;
        ptrdiff_t at = 0, c = 0;
        for (; c < whole && at + 8 <= count; c++) {
            unsigned m = masks[c];
            __m256i lanes = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)select_lanes[m]));
            _mm256_storeu_ps(d + at, _mm256_permutevar8x32_ps(_mm256_loadu_ps(s + 8 * c), lanes));
            at += __builtin_popcount(m);
        }
        for (; c < 2 * J->chunks; c++)
            for (int i = 0; i < 8; i++)
                if (masks[c] >> i & 1) d[at++] = s[8 * c + i];
    }
}
#endif

static void move_rows(void *ctx, long begin, long end) {
    const column_job *J = ctx;
#if defined(__x86_64__)
    if (J->code == NNS_FAMILY_AVX512 && J->masks) {
        move_rows_avx512(J, begin, end);
        return;
    }
    if (J->code == NNS_FAMILY_AVX2 && J->masks && !J->place) {
        select_rows_avx2(J, begin, end);
        return;
    }
#endif
    move_rows_portable(J, begin, end);
}

/// Runs the copy J over `rows` rows, on the products' threads when `parallel`. The vector
/// code uses `masks` (nns_nonzero_columns's), or masks made here from the index when NULL
/// (and there is memory for them; else the portable loop runs).
static void move_columns(column_job *J, ptrdiff_t rows, const uint16_t *masks, int parallel) {
    if (rows <= 0) return;
    if (J->count <= 0) {
        if (J->place == PLACE_ZEROING) memset(J->dst, 0, (size_t)rows * (size_t)J->ld * sizeof *J->dst);
        return;
    }
    uint16_t stack[STACK_MASKS], *made = NULL;
#if defined(__x86_64__)
    if (J->code == NNS_FAMILY_AVX2) pthread_once(&lanes_made, make_lanes);
#endif
    if (J->code != NNS_FAMILY_PORTABLE) {
        J->chunks = J->index[J->count - 1] / 16 + 1;
        if (!masks) made = J->chunks <= STACK_MASKS ? stack : malloc((size_t)J->chunks * sizeof *made);
    }
    if (made) {
        memset(made, 0, (size_t)J->chunks * sizeof *made);
        for (ptrdiff_t q = 0; q < J->count; q++) made[J->index[q] / 16] |= (uint16_t)(1u << (J->index[q] % 16));
        masks = made;
    }
    J->masks = masks;
    long grain = J->count >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / J->count;
    if (parallel) nns_parallel_for(rows, grain, move_rows, J);
    else move_rows(J, 0, rows);
    if (made && made != stack) free(made);
}

void nns_select_columns(const float *src, ptrdiff_t rows, ptrdiff_t ld, const int32_t *index,
                        ptrdiff_t count, const uint16_t *masks, float *dst) {
    column_job J = {.src = src, .dst = dst, .ld = ld, .count = count, .index = index, .code = nns_selected_family()};
    move_columns(&J, rows, masks, 1);
}

void nns_place_columns(const float *src, ptrdiff_t rows, ptrdiff_t count, const int32_t *index,
                       const uint16_t *masks, float *dst, ptrdiff_t ld, int zeroing_others) {
    column_job J = {.src = src, .dst = dst, .ld = ld, .count = count, .index = index,
                    .place = zeroing_others ? PLACE_ZEROING : PLACE, .code = nns_selected_family()};
    move_columns(&J, rows, masks, 1);
}

int nns_move_columns_isa(const char *isa, int place, const float *src, ptrdiff_t rows, ptrdiff_t ld,
                         const int32_t *index, ptrdiff_t count, const uint16_t *masks, float *dst) {
    int code = nns_family_of(isa);
    if (code < 0) return -1;
    if (place < SELECT || place > PLACE_ZEROING) return -1;
    column_job J = {.src = src, .dst = dst, .ld = ld, .count = count, .index = index, .place = place,
                    .code = (nns_family)code};
    move_columns(&J, rows, masks, 0);
    return 0;
}

/// -1 until read from NNS_ZERO_COLUMNS.
static _Atomic int g_zero_columns = -1;

int nns_zero_columns_enabled(void) {
    int enabled = atomic_load(&g_zero_columns);
    if (enabled < 0) {
        const char *e = getenv("NNS_ZERO_COLUMNS");
        enabled = !(e && strcmp(e, "0") == 0);
        atomic_store(&g_zero_columns, enabled);
    }
    return enabled;
}

void nns_set_zero_columns(int enabled) { atomic_store(&g_zero_columns, enabled != 0); }
