#ifndef NNS_COLUMNS_H
#define NNS_COLUMNS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes the indices of x's columns that hold anything but zeros (+0 or -0; NaN and the
/// infinities count as nonzero) into index, in increasing order, and returns how many
/// there are. x has `rows` rows of `columns` floats, row stride ld. When masks is not NULL
/// it receives the same columns as bits, one 16-bit mask per 16 columns ((columns + 15) / 16
/// of them; bit b of masks[c] is column 16c + b), for nns_select_columns and
/// nns_place_columns. Large scans are split between the products' threads by rows.
///
/// A training batch of images leaves whole columns at zero (MNIST's black borders: 37% of
/// the 784 pixels in a batch of 64), and a product over those columns adds nothing: a
/// linear layer runs its forward and weight gradient on the other columns only.
ptrdiff_t nns_nonzero_columns(const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t ld,
                              int32_t *index, uint16_t *masks);

/// nns_nonzero_columns with the code of kernel family `isa` ("avx512", "avx2+fma"; anything
/// else: portable code) on the calling thread, the rows taken in `parts` parts as that many
/// threads would (0: as when there is no memory for the parts' masks), for tests of each
/// variant. Returns -1, writing nothing, when this CPU cannot run it.
ptrdiff_t nns_nonzero_columns_isa(const char *isa, int parts, const float *x, ptrdiff_t rows,
                                  ptrdiff_t columns, ptrdiff_t ld, int32_t *index, uint16_t *masks);

/// dst[r * count + q] = src[r * ld + index[q]] for r < rows, q < count: src's rows
/// restricted to the listed columns (increasing, each < ld). masks: the same columns as
/// nns_nonzero_columns writes them, or NULL (made from index). Large copies are split
/// between the products' threads, each taking the rows its products take.
void nns_select_columns(const float *src, ptrdiff_t rows, ptrdiff_t ld, const int32_t *index,
                        ptrdiff_t count, const uint16_t *masks, float *dst);

/// The inverse: dst[r * ld + index[q]] = src[r * count + q]; dst's other columns are left
/// as they are, or set to zero when `zeroing_others` (a gradient: in the same pass).
void nns_place_columns(const float *src, ptrdiff_t rows, ptrdiff_t count, const int32_t *index,
                       const uint16_t *masks, float *dst, ptrdiff_t ld, int zeroing_others);

/// nns_select_columns (place = 0) or nns_place_columns (place = 1; 2: zeroing the others)
/// with the code of kernel family `isa` ("avx512"; "avx2+fma", whose place is the portable
/// loop; anything else: portable code) on the calling thread, for tests of each variant.
/// Returns -1, writing nothing, when this CPU cannot run it (or place is not 0, 1 or 2).
int nns_move_columns_isa(const char *isa, int place, const float *src, ptrdiff_t rows, ptrdiff_t ld,
                         const int32_t *index, ptrdiff_t count, const uint16_t *masks, float *dst);

/// Whether linear layers skip zero columns of their input in training (default on;
/// NNS_ZERO_COLUMNS=0 turns it off, for comparisons).
int nns_zero_columns_enabled(void);
void nns_set_zero_columns(int enabled);

#ifdef __cplusplus
}
#endif
#endif
