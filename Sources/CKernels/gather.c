#include "nns_gather.h"
#include "nns_kernels.h"

// How many rows ahead to prefetch: enough to cover a memory latency (~100 ns) with the
// conversion of the rows in between (a 784-byte row takes ~50 ns), few enough that the
// prefetched lines are still in L1/L2 when their turn comes.
enum { PREFETCH_ROWS = 3, CACHE_LINE = 64 };
/// Output floats below which a share of the rows is not worth waking another thread for.
enum { MIN_FLOATS_PER_THREAD = 8192 };

typedef struct {
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
        const uint8_t *s = J->src + J->indices[r] * width;
        float *d = J->dst + r * width;
        for (ptrdiff_t j = 0; j < width; j++) d[j] = (float)s[j] * J->scale;
    }
    // The next batch's rows in the same places (the last range takes any beyond this
    // batch's count): each thread asks for the rows it will gather, into its own L2 (not
    // L1, which the step's products need).
    if (!J->next) return;
    long last = end == J->count ? J->next_count : end;
    for (long r = begin; r < last && r < J->next_count; r++) prefetch_row(J->src + J->next[r] * width, width, 0);
}

void nns_gather_rows_u8(const uint8_t *src, ptrdiff_t width, const ptrdiff_t *indices,
                        ptrdiff_t count, float scale, float *dst, const ptrdiff_t *next,
                        ptrdiff_t next_count) {
    if (count <= 0 || width <= 0) return;
    gather_job job = {.src = src, .width = width, .indices = indices, .scale = scale, .dst = dst,
                      .next = next_count > 0 ? next : NULL, .count = count, .next_count = next_count};
    long grain = width >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / width;
    nns_parallel_for(count, grain, gather_rows, &job);
}
