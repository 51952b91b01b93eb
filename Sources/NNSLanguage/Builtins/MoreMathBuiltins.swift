import Foundation
import NNEngine

/// ceil pow std var isnan isinf and the constants pi e inf nan (docs/language.md, "Library functions"):
/// numbers in Float64, tensors element-wise, and inside `grad`/`trace`/`graph` recorded on the
/// tape wherever a derivative exists (ceil, isnan and isinf are flat: constants there).
enum MoreMathBuiltins {
    static let list: [Builtin] = [
        Builtin("ceil", family: "math", [.required("x")], help: "the smallest whole number ≥ x, element-wise on tensors") { args in
            try flat(args) { $0.rounded(.up) }
        },
        Builtin("isnan", family: "math", [.required("x")], help: "true for NaN (not a number); 1/0 per element of a tensor") { args in
            try flat(args, test: true) { $0.isNaN ? 1 : 0 }
        },
        Builtin("isinf", family: "math", [.required("x")], help: "true for inf or -inf; 1/0 per element of a tensor") { args in
            try flat(args, test: true) { $0.isInfinite ? 1 : 0 }
        },
        Builtin("pow", family: "math", [.required("x"), .required("y")],
                help: "x to the power y (as x ^ y), element-wise with broadcasting; differentiable in both") { args in
            if let t = args["x"].tracedValue ?? args["y"].tracedValue {
                let x = try Value.traced(args["x"], on: t.tape), y = try Value.traced(args["y"], on: t.tape)
                return .traced(try x.power(y))
            }
            if case .number(let x) = args["x"], case .number(let y) = args["y"] { return .number(Foundation.pow(x, y)) }
            return .tensor(try args.tensor("x").applying(.power, try args.tensor("y")))
        },
        spread("var", squareRoot: false,
               help: "the variance: mean squared distance from the mean (NumPy's var: ddof 0 divides by n, ddof: 1 by n − 1)"),
        spread("std", squareRoot: true,
               help: "the standard deviation √var (NumPy's std: ddof 0 divides by n, ddof: 1 by n − 1)"),
    ]


    /// A function with zero derivative: numbers in Float64, tensors element by element, a
    /// traced value's result as a tape constant. `test` makes a number's result a bool.
    static func flat(_ args: BuiltinArguments, test: Bool = false, _ f: @escaping (Double) -> Double) throws -> Value {
        if case .number(let x) = args["x"] { return test ? .bool(f(x) != 0) : .number(f(x)) }
        var t = try args.tensor("x")
        for i in t.scalars.indices { t.scalars[i] = Float(f(Double(t.scalars[i]))) }
        if let traced = args["x"].tracedValue { return .traced(traced.constant(t)) }
        return .tensor(t)
    }

    // MARK: variance and standard deviation

    static func spread(_ name: String, squareRoot: Bool, help: String) -> Builtin {
        Builtin(name, family: "math", [.required("x"), .optional("axis"), .optional("ddof", .number(0))], help: help) { args in
            let ddof = try args.wholeNumber("ddof")
            if let traced = args["x"].tracedValue {
                guard args["axis"].isNone else {
                    throw args.error("axis", "`axis:` is not supported inside grad, trace and graph",
                                     hint: "differentiate the \(name) of the whole tensor, or loop over its rows")
                }
                return .traced(try tracedSpread(traced, ddof: ddof, squareRoot: squareRoot))
            }
            if case .number = args["x"] {
                return .number(ddof >= 1 ? .nan : 0)
            }
            let t = try args.tensor("x")
            if args["axis"].isNone {
                // The whole tensor in Float64, two passes (as statistics.pvariance does).
                let xs = t.scalars.map(Double.init)
                let n = Double(xs.count) - Double(ddof)
                guard n > 0 else { return .number(.nan) }
                let mean = xs.reduce(0, +) / Double(xs.count)
                let v = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
                return .number(squareRoot ? v.squareRoot() : v)
            }
            let axis = try t.normalizedAxis(try args.wholeNumber("axis", minimum: -Swift.max(t.rank, 1)))
            let n = Float(t.shape[axis] - ddof)
            let deviations = try t - (try t.mean(axis: axis, keepDims: true))
            var v = try (deviations * deviations).sum(axis: axis)
            for i in v.scalars.indices { v.scalars[i] = n > 0 ? v.scalars[i] / n : .nan }
            return Value.fromTensorElement(squareRoot ? v.applying(.sqrt) : v)
        }
    }

    /// Σ(x − mean x)² / (n − ddof) on the tape, so its derivative 2(x − mean)/(n − ddof) flows back.
    static func tracedSpread(_ x: Traced, ddof: Int, squareRoot: Bool) throws -> Traced {
        let n = Double(x.value.count - ddof)
        let deviation = try x - x.mean()
        let squares = try deviation.power(x.tape.constant(2))
        let variance = try squares.sum() / x.tape.constant(n > 0 ? n : .nan)
        return squareRoot ? variance.sqrt() : variance
    }
}

/// The constants bound as global names (a user's own `e = ...` hides them, as in Python),
/// each with the one line `:help` shows.
public enum MathConstants {
    static let all: [(name: String, value: Value, help: String)] = [
        ("pi", .number(Double.pi), "π = 3.14159…, the ratio of a circle's circumference to its diameter"),
        ("e", .number(M_E), "e = 2.71828…, the base of the natural logarithm (exp(1))"),
        ("inf", .number(.infinity), "positive infinity (-inf is negative infinity); isinf(x) tests for either"),
        ("nan", .number(.nan), "not a number: the result of 0/0; isnan(x) tests for it (nan == nan is false)"),
    ]

    /// The help line of a constant, by name.
    public static func help(_ name: String) -> String? { all.first { $0.name == name }?.help }
}

/// concat and stack (docs/language.md, "Library functions"): tensors joined along an existing or a new axis; under
/// `grad` each input gets back its own piece of the derivative.
enum JoinBuiltins {
    static let list: [Builtin] = [
        join("concat", stacked: false,
             help: "tensors end to end along `axis:` (default 0); the other axes must agree (np.concatenate)"),
        join("stack", stacked: true,
             help: "tensors of one shape along a new axis at `axis:` (default 0): n tensors [a, b] give [n, a, b] (np.stack)"),
    ]

    static func join(_ name: String, stacked: Bool, help: String) -> Builtin {
        Builtin(name, family: "tensors", [.required("ts"), .optional("axis", .number(0))], help: help) { args in
            let items = try args.list("ts")
            guard !items.isEmpty else { throw args.error("ts", "needs at least one tensor", hint: "\(name)([a, b], axis: 0)") }
            guard let axisNumber = args["axis"].asNumber, axisNumber == axisNumber.rounded(), Swift.abs(axisNumber) < 1e9 else {
                throw args.error("axis", mustBe: "a whole number")
            }
            let axis = Int(axisNumber)
            if let first = items.lazy.compactMap(\.tracedValue).first {
                let parts = try items.map { try Value.traced($0, on: first.tape) }
                return .traced(try Traced.join(parts, axis: axis, stacked: stacked))
            }
            var parts: [Tensor] = []
            for (k, item) in items.enumerated() {
                guard let t = try item.asTensor() else {
                    throw args.error("ts", "element \(k + 1) must be a tensor or a list of numbers, got \(BuiltinArguments.describe(item))")
                }
                parts.append(t)
            }
            let result = stacked ? try Tensor.stack(parts, axis: axis) : try Tensor.concatenate(parts, axis: axis)
            return .tensor(result)
        }
    }
}
