#include "nns_gather.h"
#include "nns_kernels.h"
#include "gemm_internal.h"

// How many rows ahead to prefetch: enough to cover a memory latency (~100 ns) with the
// conversion of the rows in between (a 784-byte row takes ~50 ns), few enough that the
// prefetched lines are still in L1/L2 when their turn comes.
enum { PREFETCH_ROWS = 3, CACHE_LINE = 64 };
/// Output floats below which a share of the rows is not worth waking another thread for.
enum { MIN_FLOATS_PER_THREAD = 8192 };

/// One row's bytes to scaled floats: inlined into each variant below, it is vectorised
/// for that variant's target. A batch of 64 x 784 bytes in the cache took 5.4 us with the
/// package's baseline (SSE2) and 3.0 with AVX2 or AVX-512, where writing the 200 KB of
/// floats to L2 is the limit (`nns-bench columns`; AVX-512 intrinsics no faster). A
/// conversion and one multiply, so every target gives the same bits.
static inline __attribute__((always_inline)) void
convert_row(const uint8_t *restrict s, ptrdiff_t width, float scale, float *restrict d) {
    for (ptrdiff_t j = 0; j < width; j++) d[j] = (float)s[j] * scale;
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void convert_row_avx512(const uint8_t *s, ptrdiff_t width,
                                                                 float scale, float *d) {
    convert_row(s, width, scale, d);
}
__attribute__((target("avx2"))) static void convert_row_avx2(const uint8_t *s, ptrdiff_t width, float scale,
                                                             float *d) {
    convert_row(s, width, scale, d);
}
#endif

static void convert_row_baseline(const uint8_t *s, ptrdiff_t width, float scale, float *d) {
    convert_row(s, width, scale, d);
}

typedef void (*convert_fn)(const uint8_t *, ptrdiff_t, float, float *);

static convert_fn converter(nns_family family) {
#if defined(__x86_64__)
    if (family == NNS_FAMILY_AVX512) return convert_row_avx512;
    if (family == NNS_FAMILY_AVX2) return convert_row_avx2;
#endif
    (void)family;
    return convert_row_baseline;
}

typedef struct {
    convert_fn convert;
    const uint8_t *src;
    ptrdiff_t width;
    const ptrdiff_t *indices;
    float scale;
    float *dst;
    const ptrdiff_t *next; // the next batch's rows, to prefetch, or NULL
    ptrdiff_t count, next_count;
} gather_job;

/// Asks for a row's cache lines: into L1 (`near`) or only as far as L2.
static inline void prefetch_row(const uint8_t *row, ptrdiff_t width, int near) {
    for (ptrdiff_t o = 0; o < width; o += CACHE_LINE) {
        if (near) __builtin_prefetch(row + o, 0, 3);
        else __builtin_prefetch(row + o, 0, 2);
    }
    if (near) __builtin_prefetch(row + width - 1, 0, 3);
    else __builtin_prefetch(row + width - 1, 0, 2);
}

static void gather_rows(void *ctx, long begin, long end) {
    const gather_job *J = ctx;
    const ptrdiff_t width = J->width;
    for (long r = begin; r < end && r < begin + PREFETCH_ROWS; r++)
        prefetch_row(J->src + J->indices[r] * width, width, 1);
    for (long r = begin; r < end; r++) {
        if (r + PREFETCH_ROWS < end) prefetch_row(J->src + J->indices[r + PREFETCH_ROWS] * width, width, 1);
        J->convert(J->src + J->indices[r] * width, width, J->scale, J->dst + r * width);
    }
    // The next batch's rows in the same places (the last range takes any beyond this
    // batch's count): each thread asks for the rows it will gather, into its own L2 (not
    // L1, which the step's products need).
    if (!J->next) return;
    long last = end == J->count ? J->next_count : end;
    for (long r = begin; r < last && r < J->next_count; r++) prefetch_row(J->src + J->next[r] * width, width, 0);
}

static void gather(nns_family family, int parallel, const uint8_t *src, ptrdiff_t width,
                   const ptrdiff_t *indices, ptrdiff_t count, float scale, float *dst,
                   const ptrdiff_t *next, ptrdiff_t next_count) {
    if (count <= 0 || width <= 0) return;
    gather_job job = {.convert = converter(family), .src = src, .width = width, .indices = indices,
                      .scale = scale, .dst = dst, .next = next_count > 0 ? next : NULL, .count = count,
                      .next_count = next_count};
    long grain = width >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / width;
    if (parallel) nns_parallel_for(count, grain, gather_rows, &job);
    else gather_rows(&job, 0, count);
}

void nns_gather_rows_u8(const uint8_t *src, ptrdiff_t width, const ptrdiff_t *indices,
                        ptrdiff_t count, float scale, float *dst, const ptrdiff_t *next,
                        ptrdiff_t next_count) {
    // The products' kernel family (NNS_KERNEL=portable holds the gather to baseline code too).
    gather(nns_selected_family(), 1, src, width, indices, count, scale, dst, next, next_count);
}

int nns_gather_rows_u8_isa(const char *isa, const uint8_t *src, ptrdiff_t width,
                           const ptrdiff_t *indices, ptrdiff_t count, float scale, float *dst) {
    int family = nns_family_of(isa);
    if (family < 0) return -1;
    gather((nns_family)family, 0, src, width, indices, count, scale, dst, NULL, 0);
    return 0;
}
