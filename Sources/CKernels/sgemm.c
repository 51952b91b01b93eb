// The GEMM driver (GotoBLAS/BLIS loop nest) and the public API.
//
//   for jc in N by NC:                       B block kc x nc, packed once, shared by threads
//     for pc in K by KC:
//       pack B[pc, jc] into NR-wide panels   (panels split among threads)
//       for ic in M by MC:
//         pack A[ic, pc] into MR-tall panels (or use A in place, see use_a_in_place)
//         barrier
//         tiles (jr, ir) of this block, split evenly among threads, jr-major
//         barrier
//
// The microkernel applies alpha/beta on the first k block and the bias/ReLU epilogue on
// the last, so C is written once per k block and the epilogue costs no extra pass.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
extern const nns_kernel_desc nns_kernel_avx512_8x32, nns_kernel_avx512_12x32,
    nns_kernel_avx512_6x64;
#endif

// ---- kernel selection ----

static const nns_kernel_desc *g_kernel;
static int g_threads;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/// Below this many multiply-adds (m*n*k) a product runs on one thread: the hand-off to
/// the pool and the barriers cost more than they save (measured, see bench/matmul.sh).
static long g_parallel_min_madds = 1L << 18;

/// Tuning hook NNS_A_IN_PLACE=0/1 overrides the heuristic (-1 = heuristic).
static int g_a_in_place = -1;

static int env_equals(const char *name, const char *value) {
    const char *v = getenv(name);
    return v && strcmp(v, value) == 0;
}

/// The kernel called `name` if this CPU can run it, else NULL.
static const nns_kernel_desc *kernel_named(const char *name) {
    if (strcmp(name, "portable") == 0) return &nns_kernel_portable;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    int has_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    int has_avx512 = has_avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
    if (strcmp(name, "best") == 0)
        return has_avx512 ? &nns_kernel_avx512 : has_avx2 ? &nns_kernel_avx2 : &nns_kernel_portable;
    if (strcmp(name, "avx2") == 0 || strcmp(name, "avx2+fma") == 0) return has_avx2 ? &nns_kernel_avx2 : NULL;
    if (strcmp(name, "avx512") == 0) return has_avx512 ? &nns_kernel_avx512 : NULL;
#elif defined(__aarch64__)
    if (strcmp(name, "best") == 0 || strcmp(name, "neon") == 0) return &nns_kernel_neon;
#else
    if (strcmp(name, "best") == 0) return &nns_kernel_portable;
#endif
    return NULL;
}

static void init_once(void) {
    const nns_kernel_desc *best = kernel_named("best");
    // NNS_KERNEL may only force a kernel this CPU can run.
    const char *forced = getenv("NNS_KERNEL");
    if (forced && kernel_named(forced)) best = kernel_named(forced);
#if defined(__x86_64__) || defined(__i386__)
    if (best == &nns_kernel_avx512) {
        // tuning hook: alternative AVX-512 tile shapes
        if (env_equals("NNS_TILE", "8x32")) best = &nns_kernel_avx512_8x32;
        else if (env_equals("NNS_TILE", "12x32")) best = &nns_kernel_avx512_12x32;
        else if (env_equals("NNS_TILE", "6x64")) best = &nns_kernel_avx512_6x64;
    }
#endif
    g_kernel = best;

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    g_threads = cpus > 0 ? (int)cpus : 1;
    const char *t = getenv("NNS_THREADS");
    if (t && atoi(t) > 0) g_threads = atoi(t);
    const char *th = getenv("NNS_PARALLEL_MIN");
    if (th && atol(th) >= 0) g_parallel_min_madds = atol(th);
    const char *ip = getenv("NNS_A_IN_PLACE");
    if (ip) g_a_in_place = atoi(ip) != 0;
}

static const nns_kernel_desc *kernel(void) {
    pthread_once(&g_once, init_once);
    return g_kernel;
}

void nns_set_threads(int threads) {
    pthread_once(&g_once, init_once);
    g_threads = threads < 1 ? 1 : (threads > 64 ? 64 : threads);
}

int nns_get_threads(void) {
    pthread_once(&g_once, init_once);
    return g_threads;
}

const char *nns_kernel_name(void) { return kernel()->name; }

int nns_set_kernel(const char *name) {
    pthread_once(&g_once, init_once);
    const nns_kernel_desc *kd = name ? kernel_named(name) : NULL;
    if (!kd) return -1;
    g_kernel = kd;
    return 0;
}

// ---- per-thread packing buffers (owned by the calling thread, shared with workers) ----

static pthread_key_t g_buf_key;
static pthread_once_t g_buf_once = PTHREAD_ONCE_INIT;
typedef struct { float *data; size_t cap; } pack_buffer;

static void free_buffer(void *p) {
    pack_buffer *b = p;
    free(b->data);
    free(b);
}
static void make_key(void) { pthread_key_create(&g_buf_key, free_buffer); }

static float *thread_buffer(size_t floats) {
    pthread_once(&g_buf_once, make_key);
    pack_buffer *b = pthread_getspecific(g_buf_key);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b) return NULL;
        pthread_setspecific(g_buf_key, b);
    }
    if (b->cap < floats) {
        free(b->data);
        size_t bytes = (floats * sizeof(float) + 63) & ~(size_t)63;
        b->data = aligned_alloc(64, bytes);
        b->cap = b->data ? floats : 0;
    }
    return b->data;
}

// ---- the loop nest ----

typedef struct {
    const nns_kernel_desc *kd;
    int trans_a, trans_b;
    long m, n, k;
    float alpha, beta;
    const float *a; long lda;
    const float *b; long ldb;
    float *c; long ldc;
    const float *bias; int relu;
    int a_in_place;   // microkernel reads A where it is (edge panels still packed)
    long kc_block, mc_block, nc_block;
    float *bp, *ap;   // shared packing buffers
} gemm_job;

static inline void split(long count, int tid, int nthreads, long *lo, long *hi) {
    *lo = count * tid / nthreads;
    *hi = count * (tid + 1) / nthreads;
}

static void gemm_region(void *ctx, int tid, int nthreads) {
    const gemm_job *J = ctx;
    const nns_kernel_desc *kd = J->kd;
    const int MR = kd->mr, NR = kd->nr;
    for (long jc = 0; jc < J->n; jc += J->nc_block) {
        long nc = J->n - jc < J->nc_block ? J->n - jc : J->nc_block;
        long np = (nc + NR - 1) / NR;
        for (long pc = 0; pc < J->k; pc += J->kc_block) {
            long kc = J->k - pc < J->kc_block ? J->k - pc : J->kc_block;
            int first = pc == 0, last = pc + kc >= J->k;
            long lo, hi;
            split(np, tid, nthreads, &lo, &hi);
            for (long jp = lo; jp < hi; jp++) {
                long j = jc + jp * NR;
                int nr = J->n - j < NR ? (int)(J->n - j) : NR;
                const float *src = J->trans_b ? J->b + j * J->ldb + pc : J->b + pc * J->ldb + j;
                kd->pack_b(J->trans_b, kc, nr, src, J->ldb, J->bp + jp * NR * kc);
            }
            nns_tile_epilogue epi = {
                .alpha = J->alpha, .beta = first ? J->beta : 1.0f,
                .bias = NULL, .relu = last && J->relu,
            };
            for (long ic = 0; ic < J->m; ic += J->mc_block) {
                long mc = J->m - ic < J->mc_block ? J->m - ic : J->mc_block;
                long mp = (mc + MR - 1) / MR;
                // In place, only a ragged last panel is packed (the kernel reads MR rows).
                long first_packed = J->a_in_place ? (mc % MR ? mp - 1 : mp) : 0;
                split(mp - first_packed, tid, nthreads, &lo, &hi);
                for (long ip = first_packed + lo; ip < first_packed + hi; ip++) {
                    long i = ic + ip * MR;
                    int mr = J->m - i < MR ? (int)(J->m - i) : MR;
                    const float *src = J->trans_a ? J->a + pc * J->lda + i : J->a + i * J->lda + pc;
                    nns_pack_a_generic(J->trans_a, kc, mr, MR, src, J->lda, J->ap + ip * MR * kc);
                }
                nns_pool_barrier(nthreads);
                split(np * mp, tid, nthreads, &lo, &hi);
                for (long t = lo; t < hi; t++) {
                    long jp = t / mp, ip = t % mp;
                    long i = ic + ip * MR, j = jc + jp * NR;
                    int mr = J->m - i < MR ? (int)(J->m - i) : MR;
                    int nr = J->n - j < NR ? (int)(J->n - j) : NR;
                    const float *a;
                    long rs_a, cs_a;
                    if (ip >= first_packed) {
                        a = J->ap + ip * MR * kc; rs_a = 1; cs_a = MR;
                    } else if (J->trans_a) {
                        a = J->a + pc * J->lda + i; rs_a = 1; cs_a = J->lda;
                    } else {
                        a = J->a + i * J->lda + pc; rs_a = J->lda; cs_a = 1;
                    }
                    nns_tile_epilogue e = epi;
                    if (last && J->bias) e.bias = J->bias + j;
                    kd->kernel(kc, a, rs_a, cs_a, J->bp + jp * NR * kc, J->c + i * J->ldc + j,
                               J->ldc, mr, nr, &e);
                }
                nns_pool_barrier(nthreads);
            }
        }
    }
}

/// C = beta*C (+ bias, ReLU) when there is no product to add (k == 0 or alpha == 0).
static void scale_only(long m, long n, float beta, float *c, long ldc, const float *bias, int relu) {
    for (long i = 0; i < m; i++) {
        float *cr = c + i * ldc;
        for (long j = 0; j < n; j++) {
            float v = beta == 0.0f ? 0.0f : beta * cr[j];
            if (bias) v += bias[j];
            if (relu && v < 0.0f) v = 0.0f;
            cr[j] = v;
        }
    }
}

static void gemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *b, long ldb, float beta, float *c,
                 long ldc, const float *bias, int relu) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0.0f) {
        scale_only(m, n, beta, c, ldc, bias, relu);
        return;
    }
    const nns_kernel_desc *kd = kernel();
    const int MR = kd->mr, NR = kd->nr;
    gemm_job J = {
        .kd = kd, .trans_a = trans_a != 0, .trans_b = trans_b != 0, .m = m, .n = n, .k = k,
        .alpha = alpha, .beta = beta, .a = a, .lda = lda, .b = b, .ldb = ldb, .c = c,
        .ldc = ldc, .bias = bias, .relu = relu,
    };
    // Balanced blocks: k = 784 becomes 4 x 196 rather than 3 x 256 + 16.
    long kblocks = (k + kd->kc - 1) / kd->kc;
    J.kc_block = (k + kblocks - 1) / kblocks;
    long mblocks = (m + kd->mc - 1) / kd->mc;
    J.mc_block = ((m + mblocks - 1) / mblocks + MR - 1) / MR * MR;
    J.nc_block = n < kd->nc ? n : kd->nc;

    // A in place saves the packing pass when each A block is reused by few B panels;
    // large blocks are packed so they sit contiguously in L2.
    J.a_in_place = g_a_in_place >= 0 ? g_a_in_place : 0;

    long bp_floats = J.kc_block * ((J.nc_block + NR - 1) / NR * NR);
    long ap_floats = J.kc_block * J.mc_block;
    float *buf = thread_buffer((size_t)(bp_floats + ap_floats + 16));
    if (!buf) { // out of memory: nothing sensible left but the unblocked loop
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                double s = 0;
                for (long p = 0; p < k; p++)
                    s += (double)(trans_a ? a[p * lda + i] : a[i * lda + p]) *
                         (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
                float v = alpha * (float)s + (beta == 0.0f ? 0.0f : beta * c[i * ldc + j]);
                if (bias) v += bias[j];
                if (relu && v < 0.0f) v = 0.0f;
                c[i * ldc + j] = v;
            }
        return;
    }
    J.bp = buf;
    J.ap = buf + ((bp_floats + 15) & ~15L);

    int nthreads = nns_get_threads();
    long tiles = ((m + MR - 1) / MR) * ((n + NR - 1) / NR);
    if ((double)m * n * k < (double)g_parallel_min_madds || tiles < 2) nthreads = 1;
    if (nthreads > tiles) nthreads = (int)tiles;
    if (nthreads > 1 && nns_pool_run(gemm_region, &J, nthreads)) return;
    gemm_region(&J, 0, 1);
}

void nns_sgemm(int trans_a, int trans_b, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc) {
    gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL, 0);
}

void nns_sgemm_bias(int trans_a, int trans_b, long m, long n, long k,
                    const float *a, long lda, const float *b, long ldb,
                    const float *bias, nns_epilogue epilogue, float *c, long ldc) {
    gemm(trans_a, trans_b, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc, bias,
         epilogue == NNS_EPILOGUE_RELU);
}
