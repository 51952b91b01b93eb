#ifndef NNS_GATHER_H
#define NNS_GATHER_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// dst[r * width + j] = src[indices[r] * width + j] * scale for r < count, j < width:
/// a training batch gathered from a data set kept as bytes (MNIST's pixels), scaled to
/// floats on the way. Rows are picked at random from tens of megabytes, so each one starts
/// with cache misses; the rows a few places ahead are prefetched while the current one is
/// converted, so their misses overlap the work instead of stalling it. A large batch is
/// split between the product's threads (nns_parallel_for).
///
/// `next` (next_count rows, or NULL): the next batch's rows, which each thread then asks
/// the caches for without waiting, in the places it will gather them from one training
/// step later, so that they arrive from memory while the step computes.
void nns_gather_rows_u8(const uint8_t *src, ptrdiff_t width, const ptrdiff_t *indices,
                        ptrdiff_t count, float scale, float *dst, const ptrdiff_t *next,
                        ptrdiff_t next_count);

/// nns_gather_rows_u8 on the calling thread with the code for `isa` ("portable",
/// "avx2+fma", "avx512"), without prefetching: for tests. Returns -1 when this CPU cannot
/// run it, else 0.
int nns_gather_rows_u8_isa(const char *isa, const uint8_t *src, ptrdiff_t width,
                           const ptrdiff_t *indices, ptrdiff_t count, float scale, float *dst);

#ifdef __cplusplus
}
#endif
#endif
