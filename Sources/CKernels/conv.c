// The memory-bound halves of convolution and pooling: gathering patches into rows for the
// product (and scattering their gradients back), the layout change around it, and the
// pooling windows. The multiply-adds themselves run in nns_sgemm.
#include "nns_kernels.h"
#include <string.h>
#include <float.h>

/// Floats below which a share of the images is not worth waking another thread for.
enum { MIN_FLOATS_PER_THREAD = 16384 };

typedef struct {
    const float *src;
    float *dst;
    const nns_window *g;
    const int32_t *argmax_in;
    int32_t *argmax_out;
} window_job;

static long grain_for(long floats_per_item) {
    return floats_per_item >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / (floats_per_item > 0 ? floats_per_item : 1);
}

// ---- im2row / row2im -------------------------------------------------------------------

static void im2row_images(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    const long patch = g->c * g->kh * g->kw, positions = g->oh * g->ow;
    for (long n = begin; n < end; n++) {
        const float *image = J->src + n * g->c * g->h * g->w;
        float *out = J->dst + n * positions * patch;
        for (long i = 0; i < g->oh; i++) {
            for (long j = 0; j < g->ow; j++) {
                float *row = out + (i * g->ow + j) * patch;
                const long top = i * g->sh - g->ph, left = j * g->sw - g->pw;
                for (long ch = 0; ch < g->c; ch++) {
                    const float *plane = image + ch * g->h * g->w;
                    for (long u = 0; u < g->kh; u++) {
                        const long y = top + u;
                        float *dst = row + (ch * g->kh + u) * g->kw;
                        if (y < 0 || y >= g->h) {
                            memset(dst, 0, sizeof(float) * g->kw);
                            continue;
                        }
                        const float *line = plane + y * g->w;
                        if (left >= 0 && left + g->kw <= g->w) {
                            memcpy(dst, line + left, sizeof(float) * g->kw);
                        } else {
                            for (long v = 0; v < g->kw; v++) {
                                const long x = left + v;
                                dst[v] = (x >= 0 && x < g->w) ? line[x] : 0.0f;
                            }
                        }
                    }
                }
            }
        }
    }
}

void nns_im2row(const float *x, const nns_window *g, float *rows) {
    window_job job = {.src = x, .dst = rows, .g = g};
    nns_parallel_for(g->m, grain_for(g->oh * g->ow * g->c * g->kh * g->kw), im2row_images, &job);
}

static void row2im_images(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    const long patch = g->c * g->kh * g->kw, positions = g->oh * g->ow;
    for (long n = begin; n < end; n++) {
        float *image = J->dst + n * g->c * g->h * g->w;
        memset(image, 0, sizeof(float) * g->c * g->h * g->w);
        const float *in = J->src + n * positions * patch;
        for (long i = 0; i < g->oh; i++) {
            for (long j = 0; j < g->ow; j++) {
                const float *row = in + (i * g->ow + j) * patch;
                const long top = i * g->sh - g->ph, left = j * g->sw - g->pw;
                for (long ch = 0; ch < g->c; ch++) {
                    float *plane = image + ch * g->h * g->w;
                    for (long u = 0; u < g->kh; u++) {
                        const long y = top + u;
                        if (y < 0 || y >= g->h) continue;
                        float *line = plane + y * g->w;
                        const float *src = row + (ch * g->kh + u) * g->kw;
                        for (long v = 0; v < g->kw; v++) {
                            const long x = left + v;
                            if (x >= 0 && x < g->w) line[x] += src[v];
                        }
                    }
                }
            }
        }
    }
}

void nns_row2im(const float *rows, const nns_window *g, float *dx) {
    window_job job = {.src = rows, .dst = dx, .g = g};
    nns_parallel_for(g->m, grain_for(g->oh * g->ow * g->c * g->kh * g->kw), row2im_images, &job);
}

// ---- layout ----------------------------------------------------------------------------

typedef struct {
    const float *src;
    float *dst;
    long rows, cols;
} transpose_job;

static void transpose_images(void *ctx, long begin, long end) {
    const transpose_job *J = ctx;
    enum { TILE = 32 };  // tiles that fit in L1 on both sides of the copy
    for (long n = begin; n < end; n++) {
        const float *s = J->src + n * J->rows * J->cols;
        float *d = J->dst + n * J->rows * J->cols;
        for (long i0 = 0; i0 < J->rows; i0 += TILE) {
            const long i1 = i0 + TILE < J->rows ? i0 + TILE : J->rows;
            for (long j0 = 0; j0 < J->cols; j0 += TILE) {
                const long j1 = j0 + TILE < J->cols ? j0 + TILE : J->cols;
                for (long i = i0; i < i1; i++)
                    for (long j = j0; j < j1; j++) d[j * J->rows + i] = s[i * J->cols + j];
            }
        }
    }
}

void nns_transpose_batched(const float *src, long batch, long rows, long cols, float *dst) {
    transpose_job job = {src, dst, rows, cols};
    nns_parallel_for(batch, grain_for(rows * cols), transpose_images, &job);
}

// ---- pooling ---------------------------------------------------------------------------
// Work items are image planes (one channel of one image): m·c of them.

static void maxpool_planes(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    for (long p = begin; p < end; p++) {
        const float *plane = J->src + p * g->h * g->w;
        float *out = J->dst + p * g->oh * g->ow;
        int32_t *arg = J->argmax_out + p * g->oh * g->ow;
        for (long i = 0; i < g->oh; i++) {
            for (long j = 0; j < g->ow; j++) {
                const long top = i * g->sh - g->ph, left = j * g->sw - g->pw;
                float best = -FLT_MAX;
                long where = -1;
                for (long u = 0; u < g->kh; u++) {
                    const long y = top + u;
                    if (y < 0 || y >= g->h) continue;
                    for (long v = 0; v < g->kw; v++) {
                        const long x = left + v;
                        if (x < 0 || x >= g->w) continue;
                        const float value = plane[y * g->w + x];
                        // NaN wins, as in PyTorch, so that it is not silently dropped.
                        if (where < 0 || value > best || value != value) {
                            best = value;
                            where = y * g->w + x;
                            if (value != value) goto found;
                        }
                    }
                }
            found:
                out[i * g->ow + j] = best;
                arg[i * g->ow + j] = (int32_t)where;
            }
        }
    }
}

void nns_maxpool_forward(const float *x, const nns_window *g, float *y, int32_t *argmax) {
    window_job job = {.src = x, .dst = y, .g = g, .argmax_out = argmax};
    nns_parallel_for(g->m * g->c, grain_for(g->h * g->w), maxpool_planes, &job);
}

static void maxpool_back_planes(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    for (long p = begin; p < end; p++) {
        float *plane = J->dst + p * g->h * g->w;
        memset(plane, 0, sizeof(float) * g->h * g->w);
        const float *dy = J->src + p * g->oh * g->ow;
        const int32_t *arg = J->argmax_in + p * g->oh * g->ow;
        for (long o = 0; o < g->oh * g->ow; o++)
            if (arg[o] >= 0) plane[arg[o]] += dy[o];
    }
}

void nns_maxpool_backward(const float *dy, const int32_t *argmax, const nns_window *g, float *dx) {
    window_job job = {.src = dy, .dst = dx, .g = g, .argmax_in = argmax};
    nns_parallel_for(g->m * g->c, grain_for(g->h * g->w), maxpool_back_planes, &job);
}

static void avgpool_planes(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    const float scale = 1.0f / (float)(g->kh * g->kw);
    for (long p = begin; p < end; p++) {
        const float *plane = J->src + p * g->h * g->w;
        float *out = J->dst + p * g->oh * g->ow;
        for (long i = 0; i < g->oh; i++) {
            for (long j = 0; j < g->ow; j++) {
                const long top = i * g->sh - g->ph, left = j * g->sw - g->pw;
                float sum = 0;
                for (long u = 0; u < g->kh; u++) {
                    const long y = top + u;
                    if (y < 0 || y >= g->h) continue;
                    for (long v = 0; v < g->kw; v++) {
                        const long x = left + v;
                        if (x >= 0 && x < g->w) sum += plane[y * g->w + x];
                    }
                }
                out[i * g->ow + j] = sum * scale;
            }
        }
    }
}

void nns_avgpool_forward(const float *x, const nns_window *g, float *y) {
    window_job job = {.src = x, .dst = y, .g = g};
    nns_parallel_for(g->m * g->c, grain_for(g->h * g->w), avgpool_planes, &job);
}

static void avgpool_back_planes(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    const float scale = 1.0f / (float)(g->kh * g->kw);
    for (long p = begin; p < end; p++) {
        float *plane = J->dst + p * g->h * g->w;
        memset(plane, 0, sizeof(float) * g->h * g->w);
        const float *dy = J->src + p * g->oh * g->ow;
        for (long i = 0; i < g->oh; i++) {
            for (long j = 0; j < g->ow; j++) {
                const float share = dy[i * g->ow + j] * scale;
                const long top = i * g->sh - g->ph, left = j * g->sw - g->pw;
                for (long u = 0; u < g->kh; u++) {
                    const long y = top + u;
                    if (y < 0 || y >= g->h) continue;
                    for (long v = 0; v < g->kw; v++) {
                        const long x = left + v;
                        if (x >= 0 && x < g->w) plane[y * g->w + x] += share;
                    }
                }
            }
        }
    }
}

void nns_avgpool_backward(const float *dy, const nns_window *g, float *dx) {
    window_job job = {.src = dy, .dst = dx, .g = g};
    nns_parallel_for(g->m * g->c, grain_for(g->h * g->w), avgpool_back_planes, &job);
}
