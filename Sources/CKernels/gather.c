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
} gather_job;

static inline void prefetch_row(const uint8_t *row, ptrdiff_t width) {
    for (ptrdiff_t o = 0; o < width; o += CACHE_LINE) __builtin_prefetch(row + o, 0, 3);
    __builtin_prefetch(row + width - 1, 0, 3);
}

static void gather_rows(void *ctx, long begin, long end) {
    const gather_job *J = ctx;
    const ptrdiff_t width = J->width;
    for (long r = begin; r < end && r < begin + PREFETCH_ROWS; r++)
        prefetch_row(J->src + J->indices[r] * width, width);
    for (long r = begin; r < end; r++) {
        if (r + PREFETCH_ROWS < end) prefetch_row(J->src + J->indices[r + PREFETCH_ROWS] * width, width);
        const uint8_t *s = J->src + J->indices[r] * width;
        float *d = J->dst + r * width;
        for (ptrdiff_t j = 0; j < width; j++) d[j] = (float)s[j] * J->scale;
    }
}

void nns_prefetch_rows_u8(const uint8_t *src, ptrdiff_t width, const ptrdiff_t *indices,
                          ptrdiff_t count) {
    if (width <= 0) return;
    // Locality 2 (prefetcht1): into L2, not L1, which the step's products need.
    for (ptrdiff_t r = 0; r < count; r++) {
        const uint8_t *row = src + indices[r] * width;
        for (ptrdiff_t o = 0; o < width; o += CACHE_LINE) __builtin_prefetch(row + o, 0, 2);
        __builtin_prefetch(row + width - 1, 0, 2);
    }
}

void nns_gather_rows_u8(const uint8_t *src, ptrdiff_t width, const ptrdiff_t *indices,
                        ptrdiff_t count, float scale, float *dst) {
    if (count <= 0 || width <= 0) return;
    gather_job job = {src, width, indices, scale, dst};
    long grain = width >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / width;
    nns_parallel_for(count, grain, gather_rows, &job);
}
