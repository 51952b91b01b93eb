import CKernels

/// Adagrad, as `torch.optim.Adagrad` (no learning-rate decay, initial accumulator 0):
///
///     g ← ∇C + λ·w
///     s ← s + g²
///     w ← w − η·g / (√s + ε)
public final class Adagrad: Optimizer {
    public var learningRate: Float
    public var epsilon: Float
    public var weightDecay: Float
    public var schedule: LearningRateSchedule?
    private let state = OptimizerState(buffersPerParameter: 1)

    /// `adagrad(lr: 0.01, eps: 1e-10)` (PyTorch's defaults).
    public init(learningRate: Float = 0.01, epsilon: Float = 1e-10, weightDecay: Float = 0) throws {
        try checkRate(learningRate, name: "adagrad")
        try checkEpsilon(epsilon, name: "adagrad", default: "1e-10")
        try checkDecay(weightDecay, name: "adagrad")
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, eps = epsilon, wd = weightDecay
        for slot in state.slots(for: parameters) {
            slot.steps += 1
            let params = nns_step_params(
                kind: NNS_STEP_ADAGRAD, lr: lr, weight_decay: wd, beta1: 0, beta2: 0,
                eps: eps, root_correction2: 1, first: 0)
            vectorStep(slot.parameter, params, slot.buffer(0))
        }
    }

    public func reset() { state.reset() }

    public var description: String {
        var s = "adagrad(lr: \(schedule.map { $0.description } ?? formatHyperParameter(learningRate))"
        if epsilon != 1e-10 { s += ", eps: \(formatHyperParameter(epsilon))" }
        if weightDecay != 0 { s += ", weight_decay: \(formatHyperParameter(weightDecay))" }
        return s + ")"
    }
}
