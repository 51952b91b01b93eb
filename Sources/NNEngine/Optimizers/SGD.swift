import CKernels

/// Stochastic gradient descent, with optional momentum and Nesterov momentum, exactly as
/// `torch.optim.SGD` (dampening 0):
///
///     g ← ∇C + λ·w
///     v ← g                    (first step)      v ← μ·v + g   (later steps)
///     d ← g + μ·v  (nesterov)   d ← v  (classical momentum)   d ← g  (μ = 0)
///     w ← w − η·d
///
/// Note PyTorch's velocity has no (1 − μ) factor and starts at the first gradient; the notes'
/// `v = βv + (1−β)∇L` form is the same update with η rescaled by (1 − β).
public final class SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    public var schedule: LearningRateSchedule?
    private let state = OptimizerState(buffersPerParameter: 1)

    /// `sgd(lr:, momentum: 0, nesterov: false)`. Throws on a negative rate or momentum, or on
    /// Nesterov without momentum (PyTorch refuses that too).
    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) throws {
        try checkRate(learningRate, name: "sgd")
        guard momentum >= 0, momentum.isFinite else {
            throw EngineError("sgd: momentum must be ≥ 0, got \(formatOption(momentum))", hint: "typical values are 0.9 or 0.99")
        }
        guard !nesterov || momentum > 0 else {
            throw EngineError("sgd: nesterov needs a momentum > 0", hint: "try sgd(lr: 0.01, momentum: 0.9, nesterov: true)")
        }
        try checkDecay(weightDecay, name: "sgd")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, mu = momentum, wd = weightDecay, nest = nesterov
        if mu == 0 {
            for p in parameters where p.isTrainable {
                withValueAndGradient(p) { w, g, range in
                    if wd == 0 {
                        for i in range { w[i] -= lr * g[i] }
                    } else {
                        for i in range { w[i] -= lr * (g[i] + wd * w[i]) }
                    }
                }
            }
            return
        }
        for slot in state.slots(for: parameters) {
            let params = nns_step_params(
                kind: nest ? NNS_STEP_NESTEROV : NNS_STEP_MOMENTUM, lr: lr, weight_decay: wd,
                beta1: mu, beta2: 0, eps: 0, root_correction2: 1, first: slot.steps == 0 ? 1 : 0)
            slot.steps += 1
            vectorStep(slot.parameter, params, slot.buffer(0))
        }
    }

    public func reset() { state.reset() }

    public var plainStepRate: Float? { momentum == 0 && weightDecay == 0 ? learningRate : nil }

    public var description: String {
        var s = "sgd(lr: \(schedule.map { $0.description } ?? formatHyperParameter(learningRate))"
        if momentum != 0 { s += ", momentum: \(formatHyperParameter(momentum))" }
        if nesterov { s += ", nesterov: true" }
        if weightDecay != 0 { s += ", weight_decay: \(formatHyperParameter(weightDecay))" }
        return s + ")"
    }
}

func checkRate(_ lr: Float, name: String) throws {
    guard lr >= 0, lr.isFinite else {
        throw EngineError("\(name): the learning rate must be a finite number ≥ 0, got \(formatOption(lr))",
                          hint: "typical values are 0.1 to 0.0001")
    }
}

/// eps keeps the adaptive optimizers from dividing by zero, so it must be a positive number.
func checkEpsilon(_ eps: Float, name: String, default defaultValue: String) throws {
    guard eps > 0, eps.isFinite else {
        throw EngineError("\(name): eps must be > 0, got \(formatOption(eps))", hint: "the default is \(defaultValue)")
    }
}

func checkDecay(_ wd: Float, name: String) throws {
    guard wd >= 0, wd.isFinite else {
        throw EngineError("\(name): weight_decay must be a finite number ≥ 0, got \(formatOption(wd))",
                          hint: "typical values are 1e-4 to 1e-2")
    }
}
