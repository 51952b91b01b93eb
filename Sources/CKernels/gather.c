#include "nns_gather.h"

// How many rows ahead to prefetch: enough to cover a memory latency (~100 ns) with the
// conversion of the rows in between (a 784-byte row takes ~50 ns), few enough that the
// prefetched lines are still in L1/L2 when their turn comes.
enum { PREFETCH_ROWS = 3, CACHE_LINE = 64 };

static inline void prefetch_row(const uint8_t *row, ptrdiff_t width) {
    for (ptrdiff_t o = 0; o < width; o += CACHE_LINE) __builtin_prefetch(row + o, 0, 3);
    __builtin_prefetch(row + width - 1, 0, 3);
}

void nns_gather_rows_u8(const uint8_t *src, ptrdiff_t width, const ptrdiff_t *indices,
                        ptrdiff_t count, float scale, float *dst) {
    for (ptrdiff_t r = 0; r < count && r < PREFETCH_ROWS; r++) prefetch_row(src + indices[r] * width, width);
    for (ptrdiff_t r = 0; r < count; r++) {
        if (r + PREFETCH_ROWS < count) prefetch_row(src + indices[r + PREFETCH_ROWS] * width, width);
        const uint8_t *s = src + indices[r] * width;
        float *d = dst + r * width;
        for (ptrdiff_t j = 0; j < width; j++) d[j] = (float)s[j] * scale;
    }
}
