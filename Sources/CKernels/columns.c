// Zero columns of a training batch, and copies of a matrix's rows restricted to the other
// columns (see nns_columns.h): the forward and weight gradient of a linear layer then run
// on fewer columns of the batch and of W.
#include "nns_columns.h"
#include "nns_kernels.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// Columns scanned together: their OR-ed bits stay in registers while the rows go by.
#define SCAN_WIDTH 64
/// Below this many floats a copy stays on the calling thread.
#define MIN_FLOATS_PER_THREAD 16384
/// Chunk masks kept on the stack (columns up to 16 times this); more are allocated.
#define STACK_MASKS 1024

ptrdiff_t nns_nonzero_columns(const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t ld,
                              int32_t *index) {
    ptrdiff_t count = 0;
    for (ptrdiff_t c0 = 0; c0 < columns; c0 += SCAN_WIDTH) {
        ptrdiff_t width = columns - c0 < SCAN_WIDTH ? columns - c0 : SCAN_WIDTH;
        uint32_t seen[SCAN_WIDTH] = {0};
        for (ptrdiff_t i = 0; i < rows; i++) {
            const float *row = x + i * ld + c0;
            for (ptrdiff_t j = 0; j < width; j++) {
                uint32_t bits;
                memcpy(&bits, row + j, sizeof bits);
                seen[j] |= bits & 0x7fffffffu; // -0 is zero too
            }
        }
        for (ptrdiff_t j = 0; j < width; j++)
            if (seen[j]) index[count++] = (int32_t)(c0 + j);
    }
    return count;
}

typedef struct {
    const float *src;
    float *dst;
    ptrdiff_t ld, count;
    const int32_t *index;
    const uint16_t *masks; // the listed columns of each chunk_width-column chunk, or NULL
    ptrdiff_t chunks;
    int chunk_width;       // 16 (AVX-512) or 0 (portable code, no masks)
    int place;
} column_job;

static void move_rows_portable(const column_job *J, long begin, long end) {
    for (long r = begin; r < end; r++) {
        const float *s = J->src + r * (J->place ? J->count : J->ld);
        float *d = J->dst + r * (J->place ? J->ld : J->count);
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
            const float *s = J->src + r * J->count;
            float *d = J->dst + r * J->ld;
            for (ptrdiff_t c = 0; c < J->chunks; c++) {
                __mmask16 m = J->masks[c];
                if (!m) continue;
                int n = __builtin_popcount(m);
                __m512 run = _mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), s + at);
                _mm512_mask_storeu_ps(d + 16 * c, m, _mm512_maskz_expand_ps(m, run));
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

#endif

static void move_rows(void *ctx, long begin, long end) {
    const column_job *J = ctx;
#if defined(__x86_64__)
    if (J->masks) {
        move_rows_avx512(J, begin, end);
        return;
    }
#endif
    move_rows_portable(J, begin, end);
}

/// Runs the copy J over `rows` rows, on the products' threads when `parallel`, with the
/// vector code of J->chunk_width's ISA (when the masks fit in memory).
static void move_columns(column_job *J, ptrdiff_t rows, int parallel) {
    if (rows <= 0 || J->count <= 0) return;
    uint16_t stack[STACK_MASKS], *masks = NULL;
    const int w = J->chunk_width;
    if (w) {
        J->chunks = J->index[J->count - 1] / w + 1;
        masks = J->chunks <= STACK_MASKS ? stack : malloc((size_t)J->chunks * sizeof *masks);
    }
    if (masks) {
        memset(masks, 0, (size_t)J->chunks * sizeof *masks);
        for (ptrdiff_t q = 0; q < J->count; q++)
            masks[J->index[q] / w] |= (uint16_t)(1u << (J->index[q] % w));
    }
    J->masks = masks;
    long grain = J->count >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / J->count;
    if (parallel) nns_parallel_for(rows, grain, move_rows, J);
    else move_rows(J, 0, rows);
    if (masks && masks != stack) free(masks);
}

/// The chunk width of kernel family `isa`'s vector code, or 0 (portable code); -1 when
/// this CPU cannot run it. AVX2 runs the portable code: its masked loads and stores made
/// a vector version slower than the scalar loop (measured on a Xeon: 48-55 us against
/// 42 us for 256 rows of W, 399 of 784 columns; AVX-512 20-28 us).
static int chunk_width(const char *isa) {
    if (strcmp(isa, "avx512") != 0) return 0;
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 16 : -1;
#else
    return -1;
#endif
}

/// The selected kernel's chunk width (portable code when its ISA lacks what it needs).
static int selected_chunk_width(void) {
    int w = chunk_width(nns_kernel_name());
    return w > 0 ? w : 0;
}

void nns_select_columns(const float *src, ptrdiff_t rows, ptrdiff_t ld, const int32_t *index,
                        ptrdiff_t count, float *dst) {
    column_job J = {.src = src, .dst = dst, .ld = ld, .count = count, .index = index,
                    .chunk_width = selected_chunk_width()};
    move_columns(&J, rows, 1);
}

void nns_place_columns(const float *src, ptrdiff_t rows, ptrdiff_t count, const int32_t *index,
                       float *dst, ptrdiff_t ld) {
    column_job J = {.src = src, .dst = dst, .ld = ld, .count = count, .index = index, .place = 1,
                    .chunk_width = selected_chunk_width()};
    move_columns(&J, rows, 1);
}

int nns_move_columns_isa(const char *isa, int place, const float *src, ptrdiff_t rows,
                         ptrdiff_t ld, const int32_t *index, ptrdiff_t count, float *dst) {
    int w = chunk_width(isa);
    if (w < 0) return -1;
    column_job J = {.src = src, .dst = dst, .ld = ld, .count = count, .index = index, .place = place,
                    .chunk_width = w};
    move_columns(&J, rows, 0);
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
