// Paired A/B of two builds of the C kernels (bench/kernel-ab/run.sh builds them): loads
// both as shared libraries, sets each to one thread, and on every MNIST shape and 1024^3
// alternates calls A, B, B, A, ... timing each in thread CPU time. Two calls microseconds
// apart see the same phase of a noisy machine, so the per-pair time ratio is the change's
// effect with the noise divided out.
// Usage: ab SECONDS libA.so libB.so [shape]
// AB_THREADS=N (default 1) runs both builds on N threads and times the calls in wall time
// instead (for threading changes; two threads' calls are then noisier, so run more pairs).
// Output per shape: B's speed-up over A (A's call time / B's) at the median pair, p10 and
// p90, the ratio of total times, and each build's fastest call in GFLOP/s.
// Two more shapes call nns_sgemm_extras as a training step does: the first layer's weight
// gradient taking its SGD step on listed rows of Wᵀ (490 kept inputs, k = a batch of 64),
// and the second layer's ∂C/∂Z gated by relu' (k = 32). Both builds must share the layout
// of nns_gemm_extras (nns_kernels.h, as the working tree has it).
#include "nns_kernels.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*sgemm_fn)(int, int, long, long, long, float, const float *, long,
                         const float *, long, float, float *, long);
typedef void (*sgemm_extras_fn)(int, int, long, long, long, float, const float *, long,
                                const float *, long, float, float *, long, const nns_gemm_extras *);
typedef void (*set_threads_fn)(int);

enum { PLAIN, STEP_ROWS, GATED };
typedef struct { const char *name; int trans_a, trans_b; long m, k, n; int extras; } shape;

// The shapes of bench/nns-bench/MatmulBench.swift (m x k x n), then the step's two.
static const shape shapes[] = {
    {"784x256.fwd", 0, 1, 64, 784, 256}, {"784x256.dW", 1, 0, 256, 64, 784},
    {"784x256.dA", 0, 0, 64, 256, 784},  {"256x32.fwd", 0, 1, 64, 256, 32},
    {"256x32.dW", 1, 0, 32, 64, 256},    {"256x32.dA", 0, 0, 64, 32, 256},
    {"square1024", 0, 0, 1024, 1024, 1024},
    {"step.490x256", 1, 0, 490, 64, 256, STEP_ROWS}, {"gated.256x32", 0, 0, 64, 32, 256, GATED},
};
/// Rows of Wᵀ (784 x 256) that the step shape's 490 rows of C step, spread as a batch's
/// nonzero columns are.
enum { WT_ROWS = 784 };

/// Thread CPU time on one thread, wall time on several (AB_THREADS).
static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(clock_id, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_value(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: ab SECONDS libA.so libB.so [shape]\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    int threads = getenv("AB_THREADS") ? atoi(getenv("AB_THREADS")) : 1;
    if (threads < 1) threads = 1;
    if (threads > 1) clock_id = CLOCK_MONOTONIC;
    sgemm_fn gemm[2];
    sgemm_extras_fn gemm_extras[2];
    for (int i = 0; i < 2; i++) {
        void *h = dlopen(argv[2 + i], RTLD_NOW | RTLD_LOCAL);
        if (!h) { fprintf(stderr, "ab: %s\n", dlerror()); return 1; }
        gemm[i] = (sgemm_fn)dlsym(h, "nns_sgemm");
        gemm_extras[i] = (sgemm_extras_fn)dlsym(h, "nns_sgemm_extras");
        set_threads_fn set_threads = (set_threads_fn)dlsym(h, "nns_set_threads");
        if (!gemm[i] || !set_threads) { fprintf(stderr, "ab: %s has no nns_sgemm\n", argv[2 + i]); return 1; }
        set_threads(threads);
    }
    const char *only = argc > 4 ? argv[4] : NULL;
    enum { MAX_PAIRS = 1 << 20 };
    double *ratios = malloc(sizeof(double) * MAX_PAIRS);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        shape h = shapes[s];
        if (only && strcmp(only, h.name) != 0) continue;
        if (h.extras && (!gemm_extras[0] || !gemm_extras[1])) continue;
        float *a = malloc(sizeof(float) * h.m * h.k), *b = malloc(sizeof(float) * h.k * h.n);
        float *c = malloc(sizeof(float) * h.m * h.n), *g = malloc(sizeof(float) * h.m * h.n);
        float *wt = calloc(WT_ROWS * h.n, sizeof(float));
        int *rows = malloc(sizeof(int) * h.m);
        for (long i = 0; i < h.m * h.k; i++) a[i] = (i % 17) * 0.01f - 0.08f;
        for (long i = 0; i < h.k * h.n; i++) b[i] = (i % 13) * 0.01f - 0.06f;
        for (long i = 0; i < h.m * h.n; i++) g[i] = (float)(i % 3) - 1.0f;
        for (long i = 0; i < h.m; i++) rows[i] = (int)(i * WT_ROWS / h.m);
        nns_gemm_extras x = {0};
        if (h.extras == GATED) x = (nns_gemm_extras){.gate = g, .ldg = h.n};
        if (h.extras == STEP_ROWS)
            x = (nns_gemm_extras){.update = wt, .ldu = h.n, .step = -1e-6f, .discard_c = 1, .update_rows = rows};
        long lda = h.trans_a ? h.m : h.k, ldb = h.trans_b ? h.k : h.n;
#define CALL(w)                                                                                      \
    (h.extras ? gemm_extras[w](h.trans_a, h.trans_b, h.m, h.n, h.k, 1, a, lda, b, ldb, 0, c, h.n, &x) \
              : gemm[w](h.trans_a, h.trans_b, h.m, h.n, h.k, 1, a, lda, b, ldb, 0, c, h.n))
        for (int w = 0; w < 2; w++) CALL(w); // warm-up: page faults, scratch buffers
        int n = 0;
        double start = cpu_seconds(), total[2] = {0, 0}, best[2] = {1e9, 1e9};
        do {
            double t[2];
            for (int q = 0; q < 2; q++) {
                int w = q ^ (n & 1); // alternate which build goes first
                double t0 = cpu_seconds();
                CALL(w);
                t[w] = cpu_seconds() - t0;
                total[w] += t[w];
                if (t[w] < best[w]) best[w] = t[w];
            }
            ratios[n++] = t[0] / t[1];
        } while (cpu_seconds() - start < seconds && n < MAX_PAIRS);
        qsort(ratios, n, sizeof(double), by_value);
        double gflop = 2.0 * h.m * h.n * h.k * 1e-9;
        printf("%-12s B/A median %.3f p10 %.3f p90 %.3f total %.3f | fastest GFLOP/s A %.1f B %.1f (%d pairs)\n",
               h.name, ratios[n / 2], ratios[n / 10], ratios[n * 9 / 10], total[0] / total[1],
               gflop / best[0], gflop / best[1], n);
#undef CALL
        free(a); free(b); free(c); free(g); free(wt); free(rows);
    }
    free(ratios);
    return 0;
}
