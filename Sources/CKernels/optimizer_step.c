// The optimizers' elementwise updates (see nns_optimizer.h). They were Swift loops the
// compiler left scalar (four buffers it could not prove apart): Adam's was 50% of a
// one-thread MNIST epoch's samples. Here each is a loop over restrict pointers that the
// compiler vectorises for each kernel family's target.
#include "nns_optimizer.h"
#include "nns_kernels.h"
#include "gemm_internal.h"
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

// The scalar formulas round every product and sum on its own; so must each lane.
#pragma STDC FP_CONTRACT OFF

/// The loops every variant compiles: inlined into each caller, vectorised for its target.
static inline __attribute__((always_inline)) void
step(const nns_step_params *p, float *restrict w, const float *restrict g, float *restrict s0,
     float *restrict s1, ptrdiff_t n) {
    const float lr = p->lr, wd = p->weight_decay, b1 = p->beta1, b2 = p->beta2, eps = p->eps;
    switch (p->kind) {
    case NNS_STEP_MOMENTUM:
    case NNS_STEP_NESTEROV: {
        const int nesterov = p->kind == NNS_STEP_NESTEROV;
        if (p->first) {
            for (ptrdiff_t i = 0; i < n; i++) {
                float gi = g[i] + wd * w[i];
                s0[i] = gi;
                w[i] -= lr * (nesterov ? gi + b1 * gi : gi);
            }
        } else if (nesterov) {
            for (ptrdiff_t i = 0; i < n; i++) {
                float gi = g[i] + wd * w[i];
                float vi = b1 * s0[i] + gi;
                s0[i] = vi;
                w[i] -= lr * (gi + b1 * vi);
            }
        } else {
            for (ptrdiff_t i = 0; i < n; i++) {
                float gi = g[i] + wd * w[i];
                float vi = b1 * s0[i] + gi;
                s0[i] = vi;
                w[i] -= lr * vi;
            }
        }
        break;
    }
    case NNS_STEP_RMSPROP: {
        const float keep = 1.0f - b1;
        for (ptrdiff_t i = 0; i < n; i++) {
            float gi = g[i] + wd * w[i];
            float vi = b1 * s0[i] + keep * gi * gi;
            s0[i] = vi;
            w[i] -= lr * gi / (__builtin_sqrtf(vi) + eps);
        }
        break;
    }
    case NNS_STEP_ADAGRAD:
        for (ptrdiff_t i = 0; i < n; i++) {
            float gi = g[i] + wd * w[i];
            float si = s0[i] + gi * gi;
            s0[i] = si;
            w[i] -= lr * gi / (__builtin_sqrtf(si) + eps);
        }
        break;
    case NNS_STEP_ADAM: {
        const float keep1 = 1.0f - b1, keep2 = 1.0f - b2, rc2 = p->root_correction2;
        for (ptrdiff_t i = 0; i < n; i++) {
            float gi = g[i] + wd * w[i];
            float mi = b1 * s0[i] + keep1 * gi;
            float vi = b2 * s1[i] + keep2 * gi * gi;
            s0[i] = mi;
            s1[i] = vi;
            w[i] -= lr * mi / (__builtin_sqrtf(vi) / rc2 + eps);
        }
        break;
    }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void step_avx512(
    const nns_step_params *p, float *w, const float *g, float *s0, float *s1, ptrdiff_t n) {
    step(p, w, g, s0, s1, n);
}
__attribute__((target("avx2"))) static void step_avx2(
    const nns_step_params *p, float *w, const float *g, float *s0, float *s1, ptrdiff_t n) {
    step(p, w, g, s0, s1, n);
}
#endif

static void step_baseline(const nns_step_params *p, float *w, const float *g, float *s0,
                          float *s1, ptrdiff_t n) {
    step(p, w, g, s0, s1, n);
}

/// The step with the code of `family`, subnormals flushed when `flush`.
static void step_in(nns_family family, int flush, const nns_step_params *p, float *w, const float *g,
                    float *s0, float *s1, ptrdiff_t n) {
#if defined(__x86_64__)
    // FTZ (results) and DAZ (inputs), this thread only, restored after.
    const unsigned csr = _mm_getcsr();
    if (flush) _mm_setcsr(csr | 0x8040u);
    if (family == NNS_FAMILY_AVX512) step_avx512(p, w, g, s0, s1, n);
    else if (family == NNS_FAMILY_AVX2) step_avx2(p, w, g, s0, s1, n);
    else step_baseline(p, w, g, s0, s1, n);
    if (flush) _mm_setcsr(csr);
#else
    (void)family;
    (void)flush;
    step_baseline(p, w, g, s0, s1, n);
#endif
}

int nns_optimizer_step_isa(const char *isa, int flush, const nns_step_params *p, float *w,
                           const float *g, float *s0, float *s1, ptrdiff_t n) {
    int family = nns_family_of(isa);
    if (n < 0 || family < 0) return -1;
    step_in((nns_family)family, flush, p, w, g, s0, s1, n);
    return 0;
}

void nns_optimizer_step(const nns_step_params *p, float *w, const float *g, float *s0,
                        float *s1, ptrdiff_t n) {
    if (n > 0) step_in(nns_selected_family(), 1, p, w, g, s0, s1, n);
}
