#ifndef NNS_CONV_H
#define NNS_CONV_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The geometry of a 2-d convolution or pooling window over a batch of NCHW images:
/// m images of c channels, h × w pixels; a kh × kw window moved by (sh, sw) over the image
/// padded with (ph, pw) zeros on each side, giving oh × ow outputs per channel.
typedef struct {
    long m, c, h, w;
    long kh, kw, sh, sw, ph, pw;
    long oh, ow;
} nns_window;

/// Convolution (cross-correlation, as PyTorch's Conv2d) of m NCHW images x with W
/// [out, c·kh·kw] (PyTorch's [out, c, kh, kw] flattened): y [m, out, oh, ow] =
/// W ⋆ x + bias[o], then max(·, 0) when relu; bias may be NULL. Images are split over the product's
/// threads, each done as one matrix product on its patches. Returns 0, or -1 when
/// scratch memory ran out (y is then incomplete).
int nns_conv_forward(const float *x, const nns_window *g, const float *w, long out,
                     const float *bias, int relu, float *y);

/// The backward pass of nns_conv_forward without relu, given dy = ∂C/∂y: overwrites
/// dw (W's shape) and db ([out]) with ∂C/∂W and ∂C/∂b summed over the batch (in an order
/// fixed by m, not by the threads), and dx (x's shape) with ∂C/∂x unless dx is NULL.
/// Returns 0, or -1 when scratch memory ran out.
int nns_conv_backward(const float *x, const float *dy, const nns_window *g, const float *w,
                      long out, float *dw, float *db, float *dx);

/// Max pooling: y[n][ch][i][j] = max over the window (padding never wins), and argmax[...]
/// the flat index (within the image plane, h·w) of the input that won, for the backward pass.
void nns_maxpool_forward(const float *x, const nns_window *g, float *y, int32_t *argmax);

/// dx = 0, then dx[plane + argmax] += dy for each output (dx overwritten). With gate
/// non-NULL (shaped as dy), only outputs whose gate is > 0 pass their gradient: given the
/// pooling's own output, that is the backward pass of a relu before the pooling as well,
/// since the relu's output at the winner is the window's maximum.
void nns_maxpool_backward(const float *dy, const int32_t *argmax, const float *gate,
                          const nns_window *g, float *dx);

/// Average pooling over the window, dividing by the full window size kh·kw (padding counts,
/// as PyTorch's default count_include_pad=True).
void nns_avgpool_forward(const float *x, const nns_window *g, float *y);

/// The adjoint of nns_avgpool_forward (dx overwritten).
void nns_avgpool_backward(const float *dy, const nns_window *g, float *dx);

#ifdef __cplusplus
}
#endif
#endif
