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

/// Convolution as a matrix product: every output position's input patch as one row,
/// rows[(n·oh + i)·ow + j][(ch·kh + u)·kw + v] = x[n][ch][i·sh + u − ph][j·sw + v − pw]
/// (0 in the padding). Rows (m·oh·ow of them, c·kh·kw long) times Wᵀ ([c·kh·kw, out]) is
/// the whole batch's output in one product. Split over images on the product's threads.
void nns_im2row(const float *x, const nns_window *g, float *rows);

/// The adjoint of nns_im2row: dx = Σ over the patches that read each pixel (dx is
/// overwritten, not accumulated). Split over images on the product's threads.
void nns_row2im(const float *rows, const nns_window *g, float *dx);

/// dst[n][j][i] = src[n][i][j] for n < batch: [batch, rows, cols] → [batch, cols, rows].
/// Turns the product's position-major output ([m, oh·ow, out]) into NCHW and back.
void nns_transpose_batched(const float *src, long batch, long rows, long cols, float *dst);

/// Max pooling: y[n][ch][i][j] = max over the window (padding never wins), and argmax[...]
/// the flat index (within the image plane, h·w) of the input that won, for the backward pass.
void nns_maxpool_forward(const float *x, const nns_window *g, float *y, int32_t *argmax);

/// dx = 0, then dx[plane + argmax] += dy for each output (dx overwritten).
void nns_maxpool_backward(const float *dy, const int32_t *argmax, const nns_window *g, float *dx);

/// Average pooling over the window, dividing by the full window size kh·kw (padding counts,
/// as PyTorch's default count_include_pad=True).
void nns_avgpool_forward(const float *x, const nns_window *g, float *y);

/// The adjoint of nns_avgpool_forward (dx overwritten).
void nns_avgpool_backward(const float *dy, const nns_window *g, float *dx);

#ifdef __cplusplus
}
#endif
#endif
