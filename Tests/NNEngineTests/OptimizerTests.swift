import Testing
@testable import NNEngine

/// A two-weight problem: w = [1, −2]; each step sets the gradient the test gives, then steps.
/// Expected values are worked out by hand in the comments.
private func run(_ optimizer: Optimizer, gradients: [[Float]], start: [Float] = [1, -2]) -> [Float] {
    let p = Parameter(name: "weight", value: Tensor(start))
    for g in gradients {
        p.grad = Tensor(g)
        optimizer.step([p])
    }
    return p.value.scalars
}

private func close(_ a: [Float], _ b: [Double], tolerance: Double = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance }
}

private let g: [Float] = [0.5, -1]

@Suite struct OptimizerTests {
    @Test func plainSGD() throws {
        // w − 3·η·g = [1 − 3·0.05, −2 + 3·0.1]
        let w = run(try SGD(learningRate: 0.1), gradients: [g, g, g])
        #expect(close(w, [0.85, -1.7]))
    }

    @Test func sgdMomentumFollowsPyTorch() throws {
        // v₁ = g → w₁ = w₀ − 0.1g = [0.95, −1.9]
        // v₂ = 0.9g + g = 1.9g → w₂ = w₁ − 0.19g = [0.855, −1.71]
        // v₃ = 0.9·1.9g + g = 2.71g → w₃ = w₂ − 0.271g = [0.7195, −1.439]
        let w = run(try SGD(learningRate: 0.1, momentum: 0.9), gradients: [g, g, g])
        #expect(close(w, [0.7195, -1.439]))
    }

    @Test func sgdNesterov() throws {
        // d₁ = g + 0.9·v₁ = 1.9g → w₁ = [1 − 0.095, −2 + 0.19] = [0.905, −1.81]
        // v₂ = 1.9g, d₂ = g + 0.9·1.9g = 2.71g → w₂ = [0.905 − 0.1355, −1.81 + 0.271]
        let w = run(try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), gradients: [g, g])
        #expect(close(w, [0.7695, -1.539]))
    }

    @Test func sgdWeightDecayAddsLambdaW() throws {
        // g' = g + 0.1·w = [0.6, −1.2] → w₁ = [0.94, −1.88]
        // g' = [0.5 + 0.094, −1 − 0.188] → w₂ = [0.94 − 0.0594, −1.88 + 0.1188]
        let w = run(try SGD(learningRate: 0.1, weightDecay: 0.1), gradients: [g, g])
        #expect(close(w, [0.8806, -1.7612]))
    }

    @Test func adamFirstStepMovesByLearningRateTimesSign() throws {
        // m̂₁ = g, v̂₁ = g² → Δw = −η·g/|g| = −0.1·sign(g)
        let w = run(try Adam(learningRate: 0.1), gradients: [g])
        #expect(close(w, [0.9, -1.9]))
    }

    @Test func adamSecondStepWithBiasCorrection() throws {
        // g₂ = [−0.5, 2]. Weight 0: m₂ = 0.9·0.05 − 0.05 = −0.005, m̂ = −0.005/0.19 = −0.0263158;
        // v₂ = 0.999·0.00025 + 0.00025 = 0.00049975, v̂ = v₂/0.001999 = 0.25 → Δ = +0.1·0.0263158/0.5.
        // Weight 1: m₂ = −0.09 + 0.2 = 0.11, m̂ = 0.578947; v₂ = 0.000999 + 0.004, v̂ = 2.50075,
        // √v̂ = 1.581376 → Δ = −0.1·0.578947/1.581376 = −0.0366102.
        let w = run(try Adam(learningRate: 0.1), gradients: [g, [-0.5, 2]])
        #expect(close(w, [0.9052632, -1.9366102]))
    }

    @Test func adamWeightDecayIsCoupled() throws {
        // g' = [−0.2 + 0.5·1, 0.5 − 0.5·2] = [0.3, −0.5]: the decay flips the signs, so the
        // first step goes −0.1·sign(g') = [−0.1, +0.1], against the raw gradient.
        let w = run(try Adam(learningRate: 0.1, weightDecay: 0.5), gradients: [[-0.2, 0.5]])
        #expect(close(w, [0.9, -1.9]))
    }

    @Test func rmspropTwoSteps() throws {
        // v₁ = 0.1g² → Δ = 0.01/√0.1 = 0.0316228 per unit sign
        // v₂ = 0.19g² → Δ = 0.01/√0.19 = 0.0229416
        let w = run(try RMSprop(learningRate: 0.01), gradients: [g, g])
        #expect(close(w, [1 - 0.0545644, -2 + 0.0545644]))
    }

    @Test func adagradTwoSteps() throws {
        // s₁ = g² → Δ = 0.1·sign(g); s₂ = 2g² → Δ = 0.1/√2 = 0.0707107
        let w = run(try Adagrad(learningRate: 0.1), gradients: [g, g])
        #expect(close(w, [0.8292893, -1.8292893]))
    }

    /// A parameter large enough to be updated in ranges on several threads: the two-weight
    /// problem repeated 30,000 times must give the hand-computed pair everywhere.
    @Test(arguments: 0..<5) func largeParametersAreUpdatedEverywhere(which: Int) throws {
        let cases: [(Optimizer, [[Float]], [Double])] = [
            (try SGD(learningRate: 0.1, momentum: 0.9), [g, g, g], [0.7195, -1.439]),
            (try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), [g, g], [0.7695, -1.539]),
            (try Adam(learningRate: 0.1), [g, [-0.5, 2]], [0.9052632, -1.9366102]),
            (try RMSprop(learningRate: 0.01), [g, g], [1 - 0.0545644, -2 + 0.0545644]),
            (try Adagrad(learningRate: 0.1), [g, g], [0.8292893, -1.8292893]),
        ]
        let (optimizer, gradients, expected) = cases[which]
        let pairs = 30_000
        let tiled = { (v: [Float]) in [Float]((0..<pairs).flatMap { _ in v }) }
        let w = run(optimizer, gradients: gradients.map(tiled), start: tiled([1, -2]))
        #expect(w.count == 2 * pairs)
        let wrong = (0..<pairs).filter { !close(Array(w[2 * $0...2 * $0 + 1]), expected) }
        #expect(wrong.isEmpty, "\(wrong.count) pairs differ, first at \(wrong.first ?? -1)")
    }

    @Test func buffersAreNotTrained() throws {
        let buffer = Parameter(name: "running_mean", value: Tensor([3, 4]), isTrainable: false)
        buffer.grad = Tensor([1, 1])
        for opt: Optimizer in [try SGD(learningRate: 0.1, momentum: 0.9), try Adam(), try RMSprop(), try Adagrad()] {
            opt.step([buffer])
        }
        #expect(buffer.value.scalars == [3, 4])
    }

    @Test func stateIsPerParameter() throws {
        // Two parameters with momentum: each keeps its own velocity.
        let a = Parameter(name: "a", value: Tensor([0])), b = Parameter(name: "b", value: Tensor([0]))
        let opt = try SGD(learningRate: 1, momentum: 0.5)
        a.grad = Tensor([1]); b.grad = Tensor([-2])
        opt.step([a, b])  // v_a = 1, v_b = −2
        opt.step([a, b])  // v_a = 1.5, v_b = −3
        #expect(a.value.scalars == [-2.5])
        #expect(b.value.scalars == [5])
        opt.reset()
        opt.step([a])     // fresh velocity: v_a = 1
        #expect(a.value.scalars == [-3.5])
    }

    @Test func scheduleSetsLearningRate() throws {
        let opt = try SGD(learningRate: 1)
        opt.setSchedule(.stepDecay(initial: 0.1, gamma: 0.5, every: 2))
        #expect(abs(opt.learningRate - 0.1) < 1e-7)
        opt.applySchedule(epoch: 2)
        #expect(abs(opt.learningRate - 0.05) < 1e-7)
        #expect(opt.description == "sgd(lr: step_decay(0.1, 0.5, 2))")
    }

    @Test func badHyperParametersThrow() {
        #expect(throws: EngineError.self) { try SGD(learningRate: -1) }
        #expect(throws: EngineError.self) { try SGD(learningRate: .nan) }
        #expect(throws: EngineError.self) { try SGD(learningRate: 0.1, nesterov: true) }
        #expect(throws: EngineError.self) { try Adam(beta1: 1) }
        #expect(throws: EngineError.self) { try RMSprop(rho: -0.1) }
        #expect(throws: EngineError.self) { try Adagrad(weightDecay: -1) }
    }
}
