import Foundation

/// A learning rate that changes with the epoch, set on the optimizer at the start of each
/// epoch (epoch counts from 0, so the first epoch trains with the initial rate η₀). Formulas
/// from the notes, with t the epoch index:
///
///     step_decay(η₀, γ, s)   η = η₀·γ^⌊t/s⌋
///     exp_decay(η₀, k)       η = η₀·e^(−k·t)
///     inv_decay(η₀, k)       η = η₀ / (1 + k·t)
///     cosine(η₀, T)          η = η₀·½(1 + cos(π·t/T))   (t ≥ T gives 0)
///
/// Per epoch, like Keras' `LearningRateScheduler` and PyTorch schedulers stepped once per
/// epoch; not per batch.
public enum LearningRateSchedule: Equatable, Sendable, CustomStringConvertible {
    case constant(Double)
    case stepDecay(initial: Double, gamma: Double, every: Int)
    case exponentialDecay(initial: Double, k: Double)
    case inverseDecay(initial: Double, k: Double)
    case cosine(initial: Double, epochs: Int)

    /// Checks the arguments, so a bad schedule is reported where it is written.
    public static func make(_ kind: String, _ args: [Double]) throws -> LearningRateSchedule {
        func need(_ n: Int, _ usage: String) throws {
            guard args.count == n else {
                throw EngineError("\(kind) takes \(n) arguments, got \(args.count)", hint: "usage: \(usage)")
            }
            guard args.allSatisfy({ $0.isFinite }) else {
                throw EngineError("\(kind): arguments must be finite numbers", hint: "usage: \(usage)")
            }
            guard args[0] >= 0 else {
                throw EngineError("\(kind): the initial learning rate must be ≥ 0, got \(formatOption(args[0]))", hint: "usage: \(usage)")
            }
        }
        func wholePositive(_ x: Double, _ what: String, _ usage: String) throws -> Int {
            guard x >= 1, x == x.rounded(), x < 1e9 else {
                throw EngineError("\(kind): \(what) must be a whole number ≥ 1, got \(formatOption(x))", hint: "usage: \(usage)")
            }
            return Int(x)
        }
        switch kind {
        case "step_decay":
            let usage = "step_decay(lr, gamma, every), e.g. step_decay(0.1, 0.5, 10)"
            try need(3, usage)
            guard args[1] >= 0 else { throw EngineError("step_decay: gamma must be ≥ 0, got \(formatOption(args[1]))", hint: "usage: \(usage)") }
            return .stepDecay(initial: args[0], gamma: args[1], every: try wholePositive(args[2], "every", usage))
        case "exp_decay":
            let usage = "exp_decay(lr, k), e.g. exp_decay(0.1, 0.05)"
            try need(2, usage)
            guard args[1] >= 0 else { throw EngineError("exp_decay: k must be ≥ 0, got \(formatOption(args[1]))", hint: "usage: \(usage)") }
            return .exponentialDecay(initial: args[0], k: args[1])
        case "inv_decay":
            let usage = "inv_decay(lr, k), e.g. inv_decay(0.1, 0.1)"
            try need(2, usage)
            guard args[1] >= 0 else { throw EngineError("inv_decay: k must be ≥ 0, got \(formatOption(args[1]))", hint: "usage: \(usage)") }
            return .inverseDecay(initial: args[0], k: args[1])
        case "cosine":
            let usage = "cosine(lr, epochs), e.g. cosine(0.1, 20)"
            try need(2, usage)
            return .cosine(initial: args[0], epochs: try wholePositive(args[1], "epochs", usage))
        default:
            throw EngineError("unknown schedule \(kind)", hint: "schedules: step_decay, exp_decay, inv_decay, cosine")
        }
    }

    /// η for epoch `epoch` (0-based).
    public func learningRate(epoch: Int) -> Double {
        let t = Double(max(0, epoch))
        switch self {
        case .constant(let lr): return lr
        case .stepDecay(let lr, let gamma, let every): return lr * pow(gamma, Double(max(0, epoch) / every))
        case .exponentialDecay(let lr, let k): return lr * exp(-k * t)
        case .inverseDecay(let lr, let k): return lr / (1 + k * t)
        case .cosine(let lr, let epochs):
            if epoch >= epochs { return 0 }
            return lr * 0.5 * (1 + cos(Double.pi * t / Double(epochs)))
        }
    }

    /// The nns source that builds this schedule.
    public var description: String {
        let f = ShortestNumber.text as (Double) -> String
        switch self {
        case .constant(let lr): return f(lr)
        case .stepDecay(let lr, let g, let e): return "step_decay(\(f(lr)), \(f(g)), \(e))"
        case .exponentialDecay(let lr, let k): return "exp_decay(\(f(lr)), \(f(k)))"
        case .inverseDecay(let lr, let k): return "inv_decay(\(f(lr)), \(f(k)))"
        case .cosine(let lr, let e): return "cosine(\(f(lr)), \(e))"
        }
    }
}
