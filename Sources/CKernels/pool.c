// Pooling windows over NCHW planes: max pooling (keeping each window's winner for the
// backward pass) and average pooling, with their adjoints. Work items are image planes
// (one channel of one image), split over the product's threads.
#include "nns_kernels.h"
#include <string.h>
#include <float.h>

/// Floats below which a share of the planes is not worth waking another thread for.
enum { MIN_FLOATS_PER_THREAD = 16384 };

typedef struct {
    const float *src;
    float *dst;
    const nns_window *g;
    const int32_t *argmax_in;
    int32_t *argmax_out;
    const float *gate;
} window_job;

static long grain_for(long floats_per_item) {
    return floats_per_item >= MIN_FLOATS_PER_THREAD ? 1 : MIN_FLOATS_PER_THREAD / (floats_per_item > 0 ? floats_per_item : 1);
}

/// Whether `v` replaces the window's best so far: larger, or NaN (a NaN wins, as in
/// PyTorch, so that it is not silently dropped), and never once a NaN has won.
static inline int pool_takes(float v, float best) { return best == best && !(v <= best); }

/// The 2×2, stride-2, unpadded window of every CNN recipe: no bounds checks and no
/// branches (which of four inputs wins is a coin toss the branch predictor loses), so the
/// compiler vectorises the row.
static void maxpool_2x2(const float *restrict plane, const nns_window *g, float *restrict out,
                        int32_t *restrict arg) {
    for (long i = 0; i < g->oh; i++) {
        const float *r0 = plane + 2 * i * g->w, *r1 = r0 + g->w;
        const int32_t top = (int32_t)(2 * i * g->w), bottom = top + (int32_t)g->w;
        float *o = out + i * g->ow;
        int32_t *a = arg + i * g->ow;
        for (long j = 0; j < g->ow; j++) {
            const int32_t left = (int32_t)(2 * j);
            float best = r0[2 * j];
            int32_t where = top + left;
            const float v1 = r0[2 * j + 1], v2 = r1[2 * j], v3 = r1[2 * j + 1];
            const int t1 = (best == best) & !(v1 <= best);
            best = t1 ? v1 : best;
            where = t1 ? top + left + 1 : where;
            const int t2 = (best == best) & !(v2 <= best);
            best = t2 ? v2 : best;
            where = t2 ? bottom + left : where;
            const int t3 = (best == best) & !(v3 <= best);
            best = t3 ? v3 : best;
            where = t3 ? bottom + left + 1 : where;
            o[j] = best;
            a[j] = where;
        }
    }
}

/// Any unpadded window: every window lies inside the plane.
static void maxpool_unpadded(const float *plane, const nns_window *g, float *out, int32_t *arg) {
    for (long i = 0; i < g->oh; i++) {
        for (long j = 0; j < g->ow; j++) {
            const long first = i * g->sh * g->w + j * g->sw;
            float best = plane[first];
            long where = first;
            for (long u = 0; u < g->kh; u++) {
                const float *line = plane + first + u * g->w;
                for (long v = 0; v < g->kw; v++)
                    if (pool_takes(line[v], best)) { best = line[v]; where = first + u * g->w + v; }
            }
            out[i * g->ow + j] = best;
            arg[i * g->ow + j] = (int32_t)where;
        }
    }
}

static void maxpool_planes(void *ctx, long begin, long end) {
    const window_job *J = ctx;
    const nns_window *g = J->g;
    if (g->ph == 0 && g->pw == 0) {
        const int two = g->kh == 2 && g->kw == 2 && g->sh == 2 && g->sw == 2;
        for (long p = begin; p < end; p++) {
            const float *plane = J->src + p * g->h * g->w;
            float *out = J->dst + p * g->oh * g->ow;
            int32_t *arg = J->argmax_out + p * g->oh * g->ow;
            if (two) maxpool_2x2(plane, g, out, arg);
            else maxpool_unpadded(plane, g, out, arg);
        }
        return;
    }
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
                        if (where < 0 || pool_takes(value, best)) {
                            best = value;
                            where = y * g->w + x;
                        }
                    }
                }
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
        if (J->gate) {
            const float *gate = J->gate + p * g->oh * g->ow;
            for (long o = 0; o < g->oh * g->ow; o++)
                if (arg[o] >= 0 && gate[o] > 0.0f) plane[arg[o]] += dy[o];
        } else {
            for (long o = 0; o < g->oh * g->ow; o++)
                if (arg[o] >= 0) plane[arg[o]] += dy[o];
        }
    }
}

void nns_maxpool_backward(const float *dy, const int32_t *argmax, const float *gate,
                          const nns_window *g, float *dx) {
    window_job job = {.src = dy, .dst = dx, .g = g, .argmax_in = argmax, .gate = gate};
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
