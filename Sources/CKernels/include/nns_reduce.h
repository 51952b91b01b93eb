#ifndef NNS_REDUCE_H
#define NNS_REDUCE_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// sums[j] = Σᵢ x[i * columns + j] for j < columns, over rows i in order, each sum kept in
/// double: a bias gradient (the column sums of δ) every training step. The columns are
/// independent, so they run in vector lanes (AVX-512 or AVX2 where the CPU has them)
/// while each column's sum still adds its rows one by one, in order: the same bits on
/// every CPU and thread count.
void nns_column_sums(const float *x, ptrdiff_t rows, ptrdiff_t columns, double *sums);

#ifdef __cplusplus
}
#endif
#endif
