// The machine's limit, measured: the core clock (a chain of dependent register-to-register
// integer adds, one cycle each on every x86-64 and ARMv8 core) and the peak FMA rate of
// the selected kernel's ISA (independent FMA chains, more than latency x FMA pipes can
// hide). The benchmarks divide by these to report GFLOP/s as a fraction of peak.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <string.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

static double thread_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/// Cycles of one pass: `n` dependent adds (n a multiple of 4). The addend is a register,
/// not an immediate: Intel's Golden Cove and later cores fold chains of immediate adds at
/// register rename, several a cycle (such a chain read 5.3 GHz on a 2.4 GHz Xeon).
static void add_chain(long n) {
    long x = 0, one = 1;
#if defined(__x86_64__)
    __asm__ volatile("1:\n add %2, %0\n add %2, %0\n add %2, %0\n add %2, %0\n sub $4, %1\n jnz 1b"
                     : "+r"(x), "+r"(n)
                     : "r"(one));
#elif defined(__aarch64__)
    __asm__ volatile("1:\n add %0, %0, %2\n add %0, %0, %2\n add %0, %0, %2\n add %0, %0, %2\n"
                     " subs %1, %1, #4\n b.ne 1b"
                     : "+r"(x), "+r"(n)
                     : "r"(one)
                     : "cc");
#else
    for (volatile long i = 0; i < n; i++) x += i;
#endif
    (void)x;
}

// 12 independent accumulators: FMA latency (4-5 cycles) x 2 pipes needs at least 10.
#define CHAINS 12

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) static float fma_avx2(long iters) {
    __m256 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps(0.001f * i);
    __m256 m = _mm256_set1_ps(0.9999f), a = _mm256_set1_ps(1e-4f);
    for (long it = 0; it < iters; it++) {
        __asm__ volatile("" : "+x"(m)); // keeps the loop from being folded
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], m, a);
    }
    float s = 0, v[8];
    for (int i = 0; i < CHAINS; i++) { _mm256_storeu_ps(v, acc[i]); s += v[0]; }
    return s;
}

__attribute__((target("avx512f"))) static float fma_avx512(long iters) {
    __m512 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps(0.001f * i);
    __m512 m = _mm512_set1_ps(0.9999f), a = _mm512_set1_ps(1e-4f);
    for (long it = 0; it < iters; it++) {
        __asm__ volatile("" : "+v"(m));
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], m, a);
    }
    float s = 0, v[16];
    for (int i = 0; i < CHAINS; i++) { _mm512_storeu_ps(v, acc[i]); s += v[0]; }
    return s;
}
#endif

typedef float vec4 __attribute__((vector_size(16)));
/// Baseline vectors (SSE2 / NEON): the portable kernel's limit.
static float fma_vec4(long iters) {
    vec4 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = (vec4){0.001f * i, 0, 0, 0};
    vec4 m = {0.9999f, 0.9999f, 0.9999f, 0.9999f}, a = {1e-4f, 1e-4f, 1e-4f, 1e-4f};
    for (long it = 0; it < iters; it++) {
#if defined(__aarch64__)
        __asm__ volatile("" : "+w"(m));
#elif defined(__x86_64__) || defined(__i386__)
        __asm__ volatile("" : "+x"(m));
#endif
        for (int i = 0; i < CHAINS; i++) acc[i] = acc[i] * m + a;
    }
    float s = 0;
    for (int i = 0; i < CHAINS; i++) s += acc[i][0];
    return s;
}

static volatile float g_sink;

double nns_measure_peak(double seconds, double *ghz, double *flops_per_cycle) {
    const char *name = nns_kernel_name();
    int lanes = 4;
    float (*run)(long) = fma_vec4;
#if defined(__x86_64__) || defined(__i386__)
    if (strcmp(name, "avx512") == 0) { run = fma_avx512; lanes = 16; }
    else if (strcmp(name, "avx2+fma") == 0) { run = fma_avx2; lanes = 8; }
#endif
    // Best of several short passes: a shared machine slows some of them down.
    const int passes = 10;
    const double slice = seconds / (2 * passes);
    double best_ghz = 0, best_gflops = 0;
    long adds = 1L << 22, iters = 1L << 16;
    for (int pass = 0; pass < passes; pass++) {
        double t0 = thread_seconds();
        add_chain(adds);
        double t = thread_seconds() - t0;
        if (t > 0 && adds / t / 1e9 > best_ghz) best_ghz = adds / t / 1e9;
        if (t < slice / 2) adds *= 2;
        t0 = thread_seconds();
        g_sink = run(iters);
        t = thread_seconds() - t0;
        double g = 2.0 * CHAINS * lanes * iters / t / 1e9;
        if (t > 0 && g > best_gflops) best_gflops = g;
        if (t < slice / 2) iters *= 2;
    }
    if (ghz) *ghz = best_ghz;
    if (flops_per_cycle) {
        // Rounded to a power of two (2 x lanes x FMA pipes).
        double f = best_ghz > 0 ? best_gflops / best_ghz : 0, p = 1;
        while (p * 1.41 < f) p *= 2;
        *flops_per_cycle = f > 0 ? p : 0;
    }
    return best_gflops;
}
