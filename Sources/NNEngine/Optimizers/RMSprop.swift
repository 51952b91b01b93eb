import CKernels

/// RMSprop, as `torch.optim.RMSprop` (not centred, no momentum), with Keras' default ρ = 0.9:
///
///     g ← ∇C + λ·w
///     v ← ρ·v + (1 − ρ)·g²      (v starts at 0)
///     w ← w − η·g / (√v + ε)
public final class RMSprop: Optimizer {
    public var learningRate: Float
    public var rho: Float
    public var epsilon: Float
    public var weightDecay: Float
    public var schedule: LearningRateSchedule?
    private let state = OptimizerState(buffersPerParameter: 1)

    /// `rmsprop(lr: 0.001, rho: 0.9, eps: 1e-8)`.
    public init(learningRate: Float = 0.001, rho: Float = 0.9, epsilon: Float = 1e-8, weightDecay: Float = 0) throws {
        try checkRate(learningRate, name: "rmsprop")
        guard rho >= 0, rho < 1 else {
            throw EngineError("rmsprop: rho must be in [0, 1), got \(formatOption(rho))", hint: "the default is 0.9")
        }
        try checkEpsilon(epsilon, name: "rmsprop", default: "1e-8")
        try checkDecay(weightDecay, name: "rmsprop")
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, r = rho, eps = epsilon, wd = weightDecay
        for slot in state.slots(for: parameters) {
            slot.steps += 1
            let params = nns_step_params(
                kind: NNS_STEP_RMSPROP, lr: lr, weight_decay: wd, beta1: r, beta2: 0,
                eps: eps, root_correction2: 1, first: 0)
            vectorStep(slot.parameter, params, slot.buffer(0))
        }
    }

    public func reset() { state.reset() }

    public var description: String {
        var s = "rmsprop(lr: \(schedule.map { $0.description } ?? formatHyperParameter(learningRate))"
        if rho != 0.9 { s += ", rho: \(formatHyperParameter(rho))" }
        if epsilon != 1e-8 { s += ", eps: \(formatHyperParameter(epsilon))" }
        if weightDecay != 0 { s += ", weight_decay: \(formatHyperParameter(weightDecay))" }
        return s + ")"
    }
}
