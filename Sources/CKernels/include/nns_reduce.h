#ifndef NNS_REDUCE_H
#define NNS_REDUCE_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// sums[j] = Σᵢ x[i * columns + j] for j < columns, over rows i in order, each sum kept in
/// double: a bias gradient (the column sums of δ) every training step. The columns are
/// independent, so they run in the vector lanes of the products' kernel family (AVX-512,
/// AVX2, or scalar code: see nns_kernel_name) while each column's sum still adds its rows
/// one by one, in order: the same bits on every CPU and thread count.
void nns_column_sums(const float *x, ptrdiff_t rows, ptrdiff_t columns, double *sums);

/// nns_column_sums with the code of kernel family `isa` ("avx512", "avx2+fma" or "avx2";
/// anything else: scalar code) whatever kernel is selected, for tests of each variant.
/// Returns -1, writing nothing, when this CPU cannot run it or rows or columns is negative.
int nns_column_sums_isa(const char *isa, const float *x, ptrdiff_t rows, ptrdiff_t columns,
                        double *sums);

#ifdef __cplusplus
}
#endif
#endif
