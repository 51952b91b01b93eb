#ifndef NNS_OPTIMIZER_H
#define NNS_OPTIMIZER_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which update nns_optimizer_step runs (the formulas of NNEngine's optimizers, in the
/// same order of operations). Each starts from g ← ∇C + λ·w.
typedef enum {
    /// SGD with momentum μ = beta1: v ← μ·v + g (v ← g on the first step), w ← w − η·v.
    NNS_STEP_MOMENTUM,
    /// The same velocity, w ← w − η·(g + μ·v).
    NNS_STEP_NESTEROV,
    /// RMSprop, ρ = beta1: v ← ρ·v + (1 − ρ)·g², w ← w − η·g / (√v + ε).
    NNS_STEP_RMSPROP,
    /// Adagrad: s ← s + g², w ← w − η·g / (√s + ε).
    NNS_STEP_ADAGRAD,
    /// Adam: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²,
    /// w ← w − η·m / (√v / root_correction2 + ε), η already divided by 1 − β₁ᵗ.
    NNS_STEP_ADAM,
} nns_step_kind;

/// The hyper-parameters of one step of one parameter.
typedef struct {
    nns_step_kind kind;
    float lr;               ///< η (Adam: η / (1 − β₁ᵗ))
    float weight_decay;     ///< λ
    float beta1;            ///< μ, ρ or β₁
    float beta2;            ///< β₂ (Adam)
    float eps;              ///< ε
    float root_correction2; ///< Adam: √(1 − β₂ᵗ)
    int first;              ///< momentum: this is the parameter's first step
} nns_step_params;

/// One optimizer step over elements [0, n) of a parameter: w (value), g (gradient), and its
/// state buffers s0 (velocity, square average or sum, Adam's m) and s1 (Adam's v; unused
/// otherwise, may be NULL). Elementwise, so ranges of one parameter may run on different
/// threads. Runs in the vector lanes of the products' kernel family (see nns_kernel_name)
/// with each element rounded as the scalar formula rounds it (no fused multiply-add), and
/// with subnormal inputs and results taken as zero on x86: the moment estimates of weights
/// whose gradient is rarely non-zero (MNIST's border pixels) decay through the subnormal
/// range, where each operation costs a microcode assist (measured: Adam's epochs 2 and 3
/// 1.4-1.6x as long as its first). Those values are below 1.2e-38 and move no weight.
void nns_optimizer_step(const nns_step_params *p, float *w, const float *g, float *s0,
                        float *s1, ptrdiff_t n);

/// nns_optimizer_step with the code of kernel family `isa` ("avx512", "avx2+fma" or "avx2";
/// anything else: scalar code) whatever kernel is selected, for tests of each variant;
/// `flush` 0 keeps subnormals (the scalar formula's own results, for comparison).
/// Returns -1, writing nothing, when this CPU cannot run it or n is negative.
int nns_optimizer_step_isa(const char *isa, int flush, const nns_step_params *p, float *w,
                           const float *g, float *s0, float *s1, ptrdiff_t n);

#ifdef __cplusplus
}
#endif
#endif
