import CKernels
import Foundation

/// Adam with bias correction, as `torch.optim.Adam` (t counts this parameter's steps from 1):
///
///     g ← ∇C + λ·w                       (coupled L2 — PyTorch's Adam, not AdamW)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     w ← w − η·m̂ / (√v̂ + ε)   with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
///
/// On the first step m̂ = g and v̂ = g², so each weight moves by ≈ η·sign(g).
public final class Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public var schedule: LearningRateSchedule?
    private let state = OptimizerState(buffersPerParameter: 2)

    /// `adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8)`.
    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) throws {
        try checkRate(learningRate, name: "adam")
        for (name, b) in [("beta1", beta1), ("beta2", beta2)] where !(b >= 0 && b < 1) {
            throw EngineError("adam: \(name) must be in [0, 1), got \(formatOption(b))", hint: "the defaults are beta1: 0.9, beta2: 0.999")
        }
        try checkEpsilon(epsilon, name: "adam", default: "1e-8")
        try checkDecay(weightDecay, name: "adam")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        let b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        for slot in state.slots(for: parameters) {
            slot.steps += 1
            let t = Double(slot.steps)
            // PyTorch's arrangement: w −= (η/bc₁)·m / (√v/√bc₂ + ε).
            let correction1 = 1 - pow(Double(b1), t)
            let correction2 = 1 - pow(Double(b2), t)
            let stepSize = Float(Double(learningRate) / correction1)
            let rootCorrection2 = Float(correction2.squareRoot())
            let params = nns_step_params(
                kind: NNS_STEP_ADAM, lr: stepSize, weight_decay: wd, beta1: b1, beta2: b2,
                eps: eps, root_correction2: rootCorrection2, first: 0)
            vectorStep(slot.parameter, params, slot.buffer(0), slot.buffer(1))
        }
    }

    public func reset() { state.reset() }

    public var description: String {
        var s = "adam(lr: \(schedule.map { $0.description } ?? formatHyperParameter(learningRate))"
        if beta1 != 0.9 { s += ", beta1: \(formatHyperParameter(beta1))" }
        if beta2 != 0.999 { s += ", beta2: \(formatHyperParameter(beta2))" }
        if epsilon != 1e-8 { s += ", eps: \(formatHyperParameter(epsilon))" }
        if weightDecay != 0 { s += ", weight_decay: \(formatHyperParameter(weightDecay))" }
        return s + ")"
    }
}
