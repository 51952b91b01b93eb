// Convolution as matrix products, one image at a time on the product's threads (the im2col
// scheme of Caffe): an image's patches become the columns of a [c·kh·kw, oh·ow] matrix that
// stays in the thread's cache, and
//   forward   y_n    = W · cols_n + b              [out, oh·ow], NCHW as it stands
//   backward  ∂C/∂W += ∂C/∂y_n · cols_nᵀ
//             cols'  = Wᵀ · ∂C/∂y_n, added back onto the pixels each patch read (col2im).
// Whole-batch products would stream a batch of patches (megabytes) through memory several
// times per step and need transposes to and from NCHW; per image the columns are written,
// multiplied and dropped while in L2, and the backward pass rebuilds them (a copy of the
// image's patches, far cheaper than keeping a batch of them).
//
// ∂C/∂W is summed per fixed chunk of images, then the chunks in order, so that the result
// does not depend on the number of threads or on which thread took which chunk.
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/// Chunks of images whose ∂C/∂W partial sums are kept apart: enough for threads to share
/// dynamically, few enough that the partials (chunks × |W|) stay small.
enum { MAX_CHUNKS = 16 };
/// Floats of partial ∂C/∂W sums above which fewer chunks are used.
enum { MAX_PARTIAL_FLOATS = 1 << 22 };

/// The output columns j for which input column j·sw + v − pw lies inside [0, w).
static void columns_inside(const nns_window *g, long v, long *j0, long *j1) {
    const long shift = v - g->pw; // x = j·sw + shift
    long first, last;             // the first and last j inside
    if (g->sw == 1) {             // no division: it costs more than a short row's copy
        first = shift >= 0 ? 0 : -shift;
        last = g->w - 1 - shift;
    } else {
        first = shift >= 0 ? 0 : (-shift + g->sw - 1) / g->sw;
        last = g->w - 1 - shift < 0 ? -1 : (g->w - 1 - shift) / g->sw;
    }
    if (last >= g->ow) last = g->ow - 1;
    *j0 = first < g->ow ? first : g->ow;
    *j1 = last + 1 > *j0 ? last + 1 : *j0;
}

// The rows im2col and col2im copy are an image row long: see NNS_INLINE_LOOPS (measured:
// im2col with a memcpy or memset call per row took a quarter of a CNN epoch).
#define INLINE_LOOPS NNS_INLINE_LOOPS

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TARGET2 __attribute__((target("avx2,fma")))

/// d[j] = s[j] for j < n: whole vectors, then half a vector and single floats (masked
/// stores are slow on AMD).
TARGET2 INLINE_LOOPS static inline void copy_run(float *restrict d, const float *restrict s, long n) {
    long j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(s + j));
    if (j + 4 <= n) { _mm_storeu_ps(d + j, _mm_loadu_ps(s + j)); j += 4; }
    for (; j < n; j++) d[j] = s[j];
}

/// d[j] += s[j] for j < n, likewise.
TARGET2 INLINE_LOOPS static inline void add_run(float *restrict d, const float *restrict s, long n) {
    long j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(d + j, _mm256_add_ps(_mm256_loadu_ps(d + j), _mm256_loadu_ps(s + j)));
    if (j + 4 <= n) { _mm_storeu_ps(d + j, _mm_add_ps(_mm_loadu_ps(d + j), _mm_loadu_ps(s + j))); j += 4; }
    for (; j < n; j++) d[j] += s[j];
}

// The loops below walk pointers rather than recompute each output row's place: the rows
// are short (8 floats for the second MNIST conv), and measured, the bookkeeping per row
// cost more than the copy (19 µs against 2.5 µs per image for a one-vector row).

/// im2col for unit horizontal stride.
TARGET2 INLINE_LOOPS static void im2col_avx2(const float *restrict image, const nns_window *g, float *restrict cols) {
    const long positions = g->oh * g->ow, ow = g->ow, step = g->sh * g->w;
    for (long ch = 0; ch < g->c; ch++) {
        const float *plane = image + ch * g->h * g->w;
        for (long u = 0; u < g->kh; u++) {
            for (long v = 0; v < g->kw; v++) {
                float *dst = cols + ((ch * g->kh + u) * g->kw + v) * positions;
                long j0, j1;
                columns_inside(g, v, &j0, &j1);
                const long n = j1 - j0, shift = v - g->pw;
                if (g->ph == 0 && n == ow) { // every row inside the image: y = i·sh + u
                    const float *src = plane + u * g->w + shift;
                    if (ow == 8) {
                        for (long i = 0; i < g->oh; i++, src += step, dst += 8) _mm256_storeu_ps(dst, _mm256_loadu_ps(src));
                    } else {
                        for (long i = 0; i < g->oh; i++, src += step, dst += ow) copy_run(dst, src, ow);
                    }
                    continue;
                }
                for (long i = 0; i < g->oh; i++, dst += ow) {
                    const long y = i * g->sh + u - g->ph;
                    for (long j = 0; j < j0; j++) dst[j] = 0.0f;
                    for (long j = j1; j < ow; j++) dst[j] = 0.0f;
                    if (y < 0 || y >= g->h) {
                        for (long j = j0; j < j1; j++) dst[j] = 0.0f;
                        continue;
                    }
                    copy_run(dst + j0, plane + y * g->w + j0 + shift, n);
                }
            }
        }
    }
}

/// col2im for unit horizontal stride.
TARGET2 INLINE_LOOPS static void col2im_avx2(const float *restrict cols, const nns_window *g, float *restrict image) {
    const long positions = g->oh * g->ow, ow = g->ow, step = g->sh * g->w;
    memset(image, 0, sizeof(float) * g->c * g->h * g->w);
    for (long ch = 0; ch < g->c; ch++) {
        float *plane = image + ch * g->h * g->w;
        for (long u = 0; u < g->kh; u++) {
            for (long v = 0; v < g->kw; v++) {
                const float *src = cols + ((ch * g->kh + u) * g->kw + v) * positions;
                long j0, j1;
                columns_inside(g, v, &j0, &j1);
                const long n = j1 - j0, shift = v - g->pw;
                if (g->ph == 0 && n == ow) {
                    float *dst = plane + u * g->w + shift;
                    if (ow == 8) {
                        for (long i = 0; i < g->oh; i++, src += 8, dst += step)
                            _mm256_storeu_ps(dst, _mm256_add_ps(_mm256_loadu_ps(dst), _mm256_loadu_ps(src)));
                    } else {
                        for (long i = 0; i < g->oh; i++, src += ow, dst += step) add_run(dst, src, ow);
                    }
                    continue;
                }
                for (long i = 0; i < g->oh; i++, src += ow) {
                    const long y = i * g->sh + u - g->ph;
                    if (y >= 0 && y < g->h) add_run(plane + y * g->w + j0 + shift, src + j0, n);
                }
            }
        }
    }
}

/// Whether the AVX2 loops may run: the GEMM runs an AVX2 (or wider) kernel.
static int use_avx2(const nns_window *g) {
    const nns_kernel_desc *kd = nns_config_get()->kernel;
    return g->sw == 1 && (kd == &nns_kernel_avx2 || kd == &nns_kernel_avx512);
}
#else
static int use_avx2(const nns_window *g) { (void)g; return 0; }
#define im2col_avx2 im2col
#define col2im_avx2 col2im
#endif

/// cols[(ch·kh + u)·kw + v][i·ow + j] = image[ch][i·sh + u − ph][j·sw + v − pw], 0 outside.
INLINE_LOOPS static void im2col(const float *restrict image, const nns_window *g, float *restrict cols) {
    const long positions = g->oh * g->ow;
    for (long ch = 0; ch < g->c; ch++) {
        const float *plane = image + ch * g->h * g->w;
        for (long u = 0; u < g->kh; u++) {
            for (long v = 0; v < g->kw; v++) {
                float *row = cols + ((ch * g->kh + u) * g->kw + v) * positions;
                long j0, j1;
                columns_inside(g, v, &j0, &j1);
                for (long i = 0; i < g->oh; i++) {
                    float *dst = row + i * g->ow;
                    const long y = i * g->sh + u - g->ph;
                    if (y < 0 || y >= g->h) {
                        for (long j = 0; j < g->ow; j++) dst[j] = 0.0f;
                        continue;
                    }
                    const float *line = plane + y * g->w;
                    const long shift = v - g->pw;  // x = j·sw + v − pw
                    for (long j = 0; j < j0; j++) dst[j] = 0.0f;
                    if (g->sw == 1) {
                        for (long j = j0; j < j1; j++) dst[j] = line[j + shift];
                    } else {
                        for (long j = j0; j < j1; j++) dst[j] = line[j * g->sw + shift];
                    }
                    for (long j = j1; j < g->ow; j++) dst[j] = 0.0f;
                }
            }
        }
    }
}

/// The adjoint of im2col: image (overwritten) = Σ over the patches that read each pixel.
static void col2im(const float *restrict cols, const nns_window *g, float *restrict image) {
    const long positions = g->oh * g->ow;
    memset(image, 0, sizeof(float) * g->c * g->h * g->w);  // one call per image: cheap
    for (long ch = 0; ch < g->c; ch++) {
        float *plane = image + ch * g->h * g->w;
        for (long u = 0; u < g->kh; u++) {
            for (long v = 0; v < g->kw; v++) {
                const float *row = cols + ((ch * g->kh + u) * g->kw + v) * positions;
                long j0, j1;
                columns_inside(g, v, &j0, &j1);
                for (long i = 0; i < g->oh; i++) {
                    const long y = i * g->sh + u - g->ph;
                    if (y < 0 || y >= g->h) continue;
                    float *restrict line = plane + y * g->w;
                    const float *restrict src = row + i * g->ow;
                    const long shift = v - g->pw;
                    if (g->sw == 1) {
                        for (long j = j0; j < j1; j++) line[j + shift] += src[j];
                    } else {
                        for (long j = j0; j < j1; j++) line[j * g->sw + shift] += src[j];
                    }
                }
            }
        }
    }
}

typedef struct {
    const nns_window *g;
    long out, patch, positions;
    const float *x, *w, *bias, *dy;
    float *y, *dx;
    int relu;
    int parallel_products; // one image: let its products use the threads instead
    long items, per_chunk;
    float *dw_partials;    // [chunks][out·patch]
    double *db_partials;   // [chunks][out]
    atomic_int failed;     // scratch memory ran out (set by any thread)
    _Alignas(64) atomic_long next;
    _Alignas(64) atomic_long done;
    char pad[64 - sizeof(atomic_long)];
} conv_job;

static void product(const conv_job *J, int trans_a, int trans_b, long m, long n, long k,
                    const float *a, long lda, const float *b, long ldb, float beta,
                    float *c, long ldc, int relu) {
    nns_sgemm_on(trans_a, trans_b, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc, relu,
                 J->parallel_products, -1);
}

static void forward_image(conv_job *J, long n, float *cols) {
    const long out = J->out, positions = J->positions;
    const float *image = J->x + n * J->g->c * J->g->h * J->g->w;
    if (use_avx2(J->g)) im2col_avx2(image, J->g, cols);
    else im2col(image, J->g, cols);
    float *y = J->y + n * out * positions;
    // The product adds onto the bias already in place (a bias per row, not per column).
    if (J->bias) {
        for (long o = 0; o < out; o++)
            for (long p = 0; p < positions; p++) y[o * positions + p] = J->bias[o];
    }
    product(J, 0, 0, out, positions, J->patch, J->w, J->patch, cols, positions,
            J->bias ? 1.0f : 0.0f, y, positions, J->relu);
}

/// Σ_p row[p] for p < n, in eight float lanes (vectorised) summed in double.
static double row_sum(const float *row, long n) {
    float lane[8] = {0};
    long p = 0;
    for (; p + 8 <= n; p += 8)
        for (int l = 0; l < 8; l++) lane[l] += row[p + l];
    double s = 0;
    for (int l = 0; l < 8; l++) s += lane[l];
    for (; p < n; p++) s += row[p];
    return s;
}

static void backward_chunk(conv_job *J, long q, float *cols, float *dcols) {
    const long out = J->out, positions = J->positions, patch = J->patch;
    const nns_window *g = J->g;
    float *dw = J->dw_partials + q * out * patch;
    double *db = J->db_partials + q * out;
    for (long o = 0; o < out; o++) db[o] = 0;
    const long first = q * J->per_chunk;
    const long last = first + J->per_chunk < g->m ? first + J->per_chunk : g->m;
    for (long n = first; n < last; n++) {
        const float *dy = J->dy + n * out * positions;
        const float *image = J->x + n * g->c * g->h * g->w;
        if (use_avx2(g)) im2col_avx2(image, g, cols);
        else im2col(image, g, cols);
        product(J, 0, 1, out, patch, positions, dy, positions, cols, positions,
                n == first ? 0.0f : 1.0f, dw, patch, 0);
        for (long o = 0; o < out; o++) db[o] += row_sum(dy + o * positions, positions);
        if (J->dx) {
            product(J, 1, 0, patch, positions, out, J->w, patch, dy, positions, 0.0f, dcols, positions, 0);
            float *dx = J->dx + n * g->c * g->h * g->w;
            if (use_avx2(g)) col2im_avx2(dcols, g, dx);
            else col2im(dcols, g, dx);
        }
    }
}

static void conv_region(void *ctx, int tid, int nthreads) {
    (void)nthreads;
    conv_job *J = ctx;
    const size_t floats = (size_t)(J->patch * J->positions);
    float *cols = nns_thread_scratch(NNS_SCRATCH_CONV_COLUMNS, floats);
    float *dcols = J->dx ? nns_thread_scratch(NNS_SCRATCH_CONV_GRADIENT, floats) : NULL;
    for (long t = atomic_fetch_add_explicit(&J->next, 1, memory_order_relaxed); t < J->items;
         t = atomic_fetch_add_explicit(&J->next, 1, memory_order_relaxed)) {
        if (!cols || (J->dx && !dcols)) atomic_store_explicit(&J->failed, 1, memory_order_relaxed);
        else if (J->dy) backward_chunk(J, t, cols, dcols);
        else forward_image(J, t, cols);
        atomic_fetch_add_explicit(&J->done, 1, memory_order_release);
    }
    if (tid == 0) nns_pool_wait_at_least(&J->done, J->items);
}

static void run(conv_job *J) {
    atomic_init(&J->next, 0);
    atomic_init(&J->done, 0);
    atomic_init(&J->failed, 0);
    int threads = nns_threads_for_work((double)J->items * J->out * J->patch * J->positions);
    if (threads > J->items) threads = (int)J->items;
    J->parallel_products = J->g->m == 1;
    if (threads > 1 && !J->parallel_products && nns_pool_run(conv_region, J, threads)) return;
    conv_region(J, 0, 1);
}

int nns_conv_forward(const float *x, const nns_window *g, const float *w, long out,
                     const float *bias, int relu, float *y) {
    if (g->m <= 0 || out <= 0) return 0;
    conv_job J = {
        .g = g, .out = out, .patch = g->c * g->kh * g->kw, .positions = g->oh * g->ow,
        .x = x, .w = w, .bias = bias, .y = y, .relu = relu != 0,
        .items = g->m,
    };
    run(&J);
    return atomic_load(&J.failed) ? -1 : 0;
}

int nns_conv_backward(const float *x, const float *dy, const nns_window *g, const float *w,
                      long out, float *dw, float *db, float *dx) {
    if (g->m <= 0 || out <= 0) return 0;
    const long patch = g->c * g->kh * g->kw, weights = out * patch;
    long chunks = g->m < MAX_CHUNKS ? g->m : MAX_CHUNKS;
    if (chunks * weights > MAX_PARTIAL_FLOATS) chunks = weights >= MAX_PARTIAL_FLOATS ? 1 : MAX_PARTIAL_FLOATS / weights;
    const long per_chunk = (g->m + chunks - 1) / chunks;
    chunks = (g->m + per_chunk - 1) / per_chunk;
    // The partial sums: floats for ∂C/∂W, then doubles for ∂C/∂b (8-byte aligned).
    const long dw_floats = (chunks * weights + 1) / 2 * 2;
    float *partials = nns_thread_scratch(NNS_SCRATCH_CONV_PARTIALS, (size_t)(dw_floats + 2 * chunks * out));
    if (!partials) return -1;
    conv_job J = {
        .g = g, .out = out, .patch = patch, .positions = g->oh * g->ow,
        .x = x, .w = w, .dy = dy, .dx = dx, .items = chunks, .per_chunk = per_chunk,
        .dw_partials = partials, .db_partials = (double *)(void *)(partials + dw_floats),
    };
    run(&J);
    if (atomic_load(&J.failed)) return -1;
    memcpy(dw, J.dw_partials, sizeof(float) * weights);
    for (long q = 1; q < chunks; q++) {
        const float *part = J.dw_partials + q * weights;
        for (long i = 0; i < weights; i++) dw[i] += part[i];
    }
    for (long o = 0; o < out; o++) {
        double s = 0;
        for (long q = 0; q < chunks; q++) s += J.db_partials[q * out + o];
        db[o] = (float)s;
    }
    return 0;
}
