import CKernels
import Testing
@testable import NNEngine

/// The optimizers' elementwise updates in C (`nns_optimizer_step`, behind SGD with momentum,
/// RMSprop, Adagrad and Adam): every variant this CPU runs gives, bit for bit, what the
/// scalar formula gives in Swift, and subnormals are flushed only when asked.
@Suite struct OptimizerStepKernelTests {
    private struct State: Equatable {
        var w: [Float], s0: [Float], s1: [Float]
    }

    private static let kinds: [nns_step_kind] = [
        NNS_STEP_MOMENTUM, NNS_STEP_NESTEROV, NNS_STEP_RMSPROP, NNS_STEP_ADAGRAD, NNS_STEP_ADAM,
    ]

    private static func params(_ kind: nns_step_kind, first: Bool = false, weightDecay: Float = 0.01) -> nns_step_params {
        switch kind {
        case NNS_STEP_ADAM:
            return nns_step_params(kind: kind, lr: 0.001 / 0.19, weight_decay: weightDecay, beta1: 0.9,
                                   beta2: 0.999, eps: 1e-8, root_correction2: 0.0447, first: 0)
        case NNS_STEP_RMSPROP:
            return nns_step_params(kind: kind, lr: 0.01, weight_decay: weightDecay, beta1: 0.9,
                                   beta2: 0, eps: 1e-8, root_correction2: 1, first: 0)
        case NNS_STEP_ADAGRAD:
            return nns_step_params(kind: kind, lr: 0.01, weight_decay: weightDecay, beta1: 0,
                                   beta2: 0, eps: 1e-10, root_correction2: 1, first: 0)
        default:
            return nns_step_params(kind: kind, lr: 0.1, weight_decay: weightDecay, beta1: 0.9,
                                   beta2: 0, eps: 0, root_correction2: 1, first: first ? 1 : 0)
        }
    }

    /// The update as the optimizers wrote it in Swift before it moved to C: one element at
    /// a time, each operation rounded on its own.
    private static func reference(_ p: nns_step_params, _ start: State, _ g: [Float]) -> State {
        var s = start
        let (lr, wd, b1, b2, eps) = (p.lr, p.weight_decay, p.beta1, p.beta2, p.eps)
        for i in g.indices {
            let gi = g[i] + wd * s.w[i]
            switch p.kind {
            case NNS_STEP_MOMENTUM, NNS_STEP_NESTEROV:
                let vi = p.first != 0 ? gi : b1 * s.s0[i] + gi
                s.s0[i] = vi
                s.w[i] -= lr * (p.kind == NNS_STEP_NESTEROV ? gi + b1 * vi : vi)
            case NNS_STEP_RMSPROP:
                let vi = b1 * s.s0[i] + (1 - b1) * gi * gi
                s.s0[i] = vi
                s.w[i] -= lr * gi / (vi.squareRoot() + eps)
            case NNS_STEP_ADAGRAD:
                let si = s.s0[i] + gi * gi
                s.s0[i] = si
                s.w[i] -= lr * gi / (si.squareRoot() + eps)
            default:
                let mi = b1 * s.s0[i] + (1 - b1) * gi
                let vi = b2 * s.s1[i] + (1 - b2) * gi * gi
                s.s0[i] = mi
                s.s1[i] = vi
                s.w[i] -= lr * mi / (vi.squareRoot() / p.root_correction2 + eps)
            }
        }
        return s
    }

    /// Each variant's result from `start` (the ones this CPU cannot run left out).
    private static func variants(_ p: nns_step_params, _ start: State, _ g: [Float], flush: Bool) -> [(isa: String, state: State)] {
        ["portable", "avx2", "avx512"].compactMap { isa in
            var s = start
            var p = p
            let status = s.w.withUnsafeMutableBufferPointer { w in
                s.s0.withUnsafeMutableBufferPointer { s0 in
                    s.s1.withUnsafeMutableBufferPointer { s1 in
                        nns_optimizer_step_isa(isa, flush ? 1 : 0, &p, w.baseAddress, g, s0.baseAddress,
                                               s1.baseAddress, g.count)
                    }
                }
            }
            return status == 0 ? (isa, s) : nil
        }
    }

    private static func randomStart(_ n: Int, seed: UInt64, kind: nns_step_kind) -> (State, [Float]) {
        var r = Xoshiro256StarStar(seed: seed)
        func values(_ scale: Double, positive: Bool = false) -> [Float] {
            (0..<n).map { _ in Float((positive ? r.uniform() : r.uniform() * 2 - 1) * scale) }
        }
        let w = values(1), g = values(0.5)
        // Squared-gradient averages are ≥ 0 (a negative one would make the root NaN).
        let squares = kind == NNS_STEP_RMSPROP || kind == NNS_STEP_ADAGRAD
        return (State(w: w, s0: values(0.1, positive: squares), s1: values(0.01, positive: true)), g)
    }

    /// Lengths around the vector widths (16 floats in AVX-512, 8 in AVX2) and their
    /// remainders, every kind, with and without weight decay, first momentum step included.
    @Test(arguments: [0, 1, 7, 8, 15, 16, 17, 33, 1000])
    func everyVariantMatchesTheScalarFormula(n: Int) {
        for (k, kind) in Self.kinds.enumerated() {
            for first in [false, true] where !first || kind == NNS_STEP_MOMENTUM || kind == NNS_STEP_NESTEROV {
                for wd: Float in [0, 0.01] {
                    let p = Self.params(kind, first: first, weightDecay: wd)
                    let (start, g) = Self.randomStart(n, seed: UInt64(n * 31 + k), kind: kind)
                    let expected = Self.reference(p, start, g)
                    for flush in [false, true] {
                        let runs = Self.variants(p, start, g, flush: flush)
                        #expect(runs.contains { $0.isa == "portable" })
                        for run in runs {
                            // Compared as booleans: a failing array diff of 1000 floats is unreadable.
                            let same = run.state == expected
                            #expect(same, "\(run.isa), kind \(kind.rawValue), n \(n), first \(first), wd \(wd), flush \(flush)")
                        }
                    }
                }
            }
        }
    }

    /// Adam's first step by hand: m̂ = g and v̂ = g², so w moves by η·g/|g| = η (ε aside).
    @Test func adamFirstStepByHand() {
        // t = 1: η / (1 − β₁) = 0.1 / 0.1 = 1, √(1 − β₂) = √0.001.
        let p = nns_step_params(kind: NNS_STEP_ADAM, lr: 0.1 / 0.1, weight_decay: 0, beta1: 0.9,
                                beta2: 0.999, eps: 1e-8, root_correction2: Float(0.001.squareRoot()), first: 0)
        let start = State(w: [1, 1], s0: [0, 0], s1: [0, 0])
        for run in Self.variants(p, start, [0.5, -2], flush: true) {
            #expect(abs(run.state.w[0] - 0.9) < 1e-6 && abs(run.state.w[1] - 1.1) < 1e-6, "\(run.isa)")
            // m = (1 − β₁)·g, v = (1 − β₂)·g², to the rounding of 1 − β in Float (5e-5 relative)
            #expect(abs(run.state.s0[0] / 0.05 - 1) < 1e-4 && abs(run.state.s1[1] / 0.004 - 1) < 1e-4, "\(run.isa)")
        }
    }

    /// Velocities decaying through the subnormal range: kept as they are without flushing,
    /// read (a subnormal velocity) or written (a normal one whose decay is subnormal) as
    /// zero with it (x86; other CPUs keep them either way).
    @Test func subnormalsAreFlushedOnlyWhenAsked() {
        let tiny = Float.leastNormalMagnitude / 16, small: Float = 1.25e-38 // 0.9 × small is subnormal
        #expect(tiny < Float.leastNormalMagnitude && small > Float.leastNormalMagnitude)
        #expect(0.9 * small < Float.leastNormalMagnitude)
        let p = Self.params(NNS_STEP_MOMENTUM, weightDecay: 0)
        let start = State(w: [1, 1], s0: [tiny, small], s1: [0, 0])
        for run in Self.variants(p, start, [0, 0], flush: false) {
            #expect(run.state.s0 == [0.9 * tiny, 0.9 * small] && run.state.s0[0] > 0, "\(run.isa)")
        }
        #if arch(x86_64)
        for run in Self.variants(p, start, [0, 0], flush: true) {
            #expect(run.state.s0 == [0, 0] && run.state.w == [1, 1], "\(run.isa)")
        }
        #endif
    }

    @Test func badArgumentsWriteNothing() {
        var p = Self.params(NNS_STEP_ADAM)
        #expect(nns_optimizer_step_isa("portable", 1, &p, nil, nil, nil, nil, -1) == -1)
    }
}
