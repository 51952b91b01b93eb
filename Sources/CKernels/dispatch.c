// Run-time choice of microkernel (CPU features, NNS_KERNEL) and the thread count.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
extern const nns_kernel_desc nns_kernel_avx512_14x32, nns_kernel_avx512_12x32,
    nns_kernel_avx512_6x64;
#endif

// ---- kernel selection ----

/// Products below this many multiply-adds run on one thread (measured, see bench/README.md).
#define PARALLEL_MIN_DEFAULT (1L << 18)

static nns_config g_config = {
    .parallel_min_madds = PARALLEL_MIN_DEFAULT,
    .a_in_place = -1,
    .backoff_ns = 200000000L,
    .far_ns = 200,
};
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

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

/// The L1 data cache of CPU 0 in bytes, 0 when the system does not say.
static long l1d_bytes(void) {
#ifdef _SC_LEVEL1_DCACHE_SIZE
    long v = sysconf(_SC_LEVEL1_DCACHE_SIZE);
    if (v > 0) return v;
#endif
    // sysfs ("Data", "48K") where glibc's sysconf does not know the CPU
    char type[16] = "";
    long kib = 0;
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index0/type", "r");
    if (f) {
        if (fscanf(f, "%15s", type) != 1) type[0] = 0;
        fclose(f);
    }
    if (strcmp(type, "Data") != 0) return 0;
    f = fopen("/sys/devices/system/cpu/cpu0/cache/index0/size", "r");
    if (!f) return 0;
    if (fscanf(f, "%ldK", &kib) != 1) kib = 0;
    fclose(f);
    return kib * 1024;
}

static void init_once(void) {
    const nns_kernel_desc *best = kernel_named("best");
    // NNS_KERNEL may only force a kernel this CPU can run.
    const char *forced = getenv("NNS_KERNEL");
    if (forced && kernel_named(forced)) best = kernel_named(forced);
#if defined(__x86_64__) || defined(__i386__)
    if (best == &nns_kernel_avx512) {
        // tuning hook: alternative AVX-512 tile shapes
        if (env_equals("NNS_TILE", "14x32")) best = &nns_kernel_avx512_14x32;
        else if (env_equals("NNS_TILE", "12x32")) best = &nns_kernel_avx512_12x32;
        else if (env_equals("NNS_TILE", "6x64")) best = &nns_kernel_avx512_6x64;
    }
#endif
    g_config.kernel = best;
    g_config.l1d_bytes = l1d_bytes();

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    g_config.threads = cpus > 0 ? (int)(cpus > 64 ? 64 : cpus) : 1;
    const char *t = getenv("NNS_THREADS");
    if (t && atoi(t) > 0) g_config.threads = atoi(t) > 64 ? 64 : atoi(t);
    // tuning hooks, see nns_config
    const char *th = getenv("NNS_PARALLEL_MIN");
    if (th && atol(th) >= 0) g_config.parallel_min_madds = atol(th);
    if (getenv("NNS_KC")) g_config.kc = atol(getenv("NNS_KC"));
    if (getenv("NNS_MC")) g_config.mc = atol(getenv("NNS_MC"));
    if (getenv("NNS_NC")) g_config.nc = atol(getenv("NNS_NC"));
    const char *bo = getenv("NNS_BACKOFF_MS");
    if (bo && atol(bo) >= 0) g_config.backoff_ns = atol(bo) * 1000000L;
    const char *far = getenv("NNS_FAR_NS");
    if (far && atol(far) >= 0) g_config.far_ns = atol(far);
    const char *ip = getenv("NNS_A_IN_PLACE");
    if (ip) g_config.a_in_place = atoi(ip) != 0;
}

const nns_config *nns_config_get(void) {
    pthread_once(&g_once, init_once);
    return &g_config;
}

void nns_set_threads(int threads) {
    pthread_once(&g_once, init_once);
    g_config.threads = threads < 1 ? 1 : (threads > 64 ? 64 : threads);
}

int nns_get_threads(void) {
    pthread_once(&g_once, init_once);
    return g_config.threads;
}

const char *nns_kernel_name(void) { return nns_config_get()->kernel->name; }

int nns_family_of(const char *isa) {
    int avx512 = strcmp(isa, "avx512") == 0, avx2 = strcmp(isa, "avx2+fma") == 0 || strcmp(isa, "avx2") == 0;
    if (!avx512 && !avx2) return NNS_FAMILY_PORTABLE;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (avx512) return __builtin_cpu_supports("avx512f") ? NNS_FAMILY_AVX512 : -1;
    return __builtin_cpu_supports("avx2") ? NNS_FAMILY_AVX2 : -1;
#else
    return -1;
#endif
}

nns_family nns_selected_family(void) { return nns_config_get()->kernel->family; }

long nns_kernel_k_block(long *l1d) {
    const nns_config *cfg = nns_config_get();
    if (l1d) *l1d = cfg->l1d_bytes;
    return cfg->kc > 0 ? cfg->kc : nns_kernel_kc(cfg->kernel, cfg);
}

int nns_set_kernel(const char *name) {
    pthread_once(&g_once, init_once);
    const nns_kernel_desc *kd = name ? kernel_named(name) : NULL;
    if (!kd) return -1;
    g_config.kernel = kd;
    return 0;
}

void nns_set_tuning(long kc, long mc, long nc, int a_in_place, long parallel_min) {
    pthread_once(&g_once, init_once);
    g_config.kc = kc > 0 ? kc : 0;
    g_config.mc = mc > 0 ? mc : 0;
    g_config.nc = nc > 0 ? nc : 0;
    g_config.a_in_place = a_in_place < 0 ? -1 : a_in_place != 0;
    g_config.parallel_min_madds = parallel_min >= 0 ? parallel_min : PARALLEL_MIN_DEFAULT;
}
