import Foundation
import NNEngine

/// exp log sqrt sin cos abs, min max sum mean: on numbers (in Float64) and element-wise or
/// as reductions on tensors (through the engine's element-wise ops and reductions).
enum MathBuiltins {
    static let list: [Builtin] = ElementwiseFunctions.all.filter { !$0.isActivation }.map(unary) + [
        extremum("min", .minimum, help: "min(a, b) element-wise, or the smallest element of a tensor or list (axis: optional)"),
        extremum("max", .maximum, help: "max(a, b) element-wise, or the largest element of a tensor or list (axis: optional)"),
        reduction("sum", .sum, help: "the sum of all elements, or along `axis:`"),
        reduction("mean", .mean, help: "the mean of all elements, or along `axis:`"),
        Builtin("round", family: "math", [.required("x"), .optional("digits", .number(0))],
                help: "round to `digits` decimal places (halves away from zero), element-wise on tensors") { args in
            // Past 17 digits a Float64 has nothing left to round.
            let digits = min(try args.wholeNumber("digits", minimum: -30), 17)
            let scale = Foundation.pow(10.0, Double(digits))
            func rounded(_ v: Double) -> Double { digits == 0 ? v.rounded() : (v * scale).rounded() / scale }
            if case .number(let x) = args["x"] { return .number(rounded(x)) }
            var t = try args.tensor("x")
            for i in t.scalars.indices { t.scalars[i] = Float(rounded(Double(t.scalars[i]))) }
            return .tensor(t)
        },
        Builtin("floor", family: "math", [.required("x")], help: "the largest whole number ≤ x") { args in
            .number(try args.number("x").rounded(.down))
        },
    ]

    /// A math function of the engine's table: numbers in Float64, tensors element-wise.
    static func unary(_ function: any ElementwiseFunction.Type) -> Builtin {
        Builtin(function.name, family: "math", [.required("x")], help: function.help) { args in
            try applyUnary(args, "x", UnaryOp(function))
        }
    }

    /// Applies `op` to the argument `name`: a number stays a number (computed in Float64), a
    /// traced value is recorded on its tape, anything tensor-like becomes a tensor; an absent
    /// argument gives `orMake()` (an activation's layer).
    static func applyUnary(_ args: BuiltinArguments, _ name: String, _ op: UnaryOp,
                           orMake: (() -> Value)? = nil) throws -> Value {
        switch args[name] {
        case .none where orMake != nil: return orMake!()
        case .number(let x): return .number(op.apply(x))
        case .traced(let t): return .traced(t.applying(op))
        default: return .tensor(try args.tensor(name).applying(op))
        }
    }

    static func extremum(_ name: String, _ op: BinaryOp, help: String) -> Builtin {
        Builtin(name, family: "math", [.required("a"), .optional("b"), .optional("axis")], help: help) { args in
            if let t = args["a"].tracedValue ?? args["b"].tracedValue {
                let a = try Value.traced(args["a"], on: t.tape)
                if args["b"].isNone {
                    return .traced(op == .minimum ? try a.minElement() : try a.maxElement())
                }
                return .traced(try a.combined(op, try Value.traced(args["b"], on: t.tape)))
            }
            if !args["b"].isNone {
                if case .number(let x) = args["a"], case .number(let y) = args["b"] {
                    if x.isNaN || y.isNaN { return .number(.nan) }
                    return .number(op == .minimum ? Swift.min(x, y) : Swift.max(x, y))
                }
                return .tensor(try args.tensor("a").applying(op, try args.tensor("b")))
            }
            let t = try args.tensor("a")
            guard t.count > 0 else { throw args.error("a", "cannot take the \(name) of nothing", hint: "the tensor or list is empty") }
            let axis = try args.optionalWholeNumber("axis", minimum: -t.rank)
            let result = op == .minimum ? try t.minimum(axis: axis) : try t.maximum(axis: axis)
            return Value.fromTensorElement(result)
        }
    }

    static func reduction(_ name: String, _ op: Reduction, help: String) -> Builtin {
        Builtin(name, family: "math", [.required("x"), .optional("axis")], help: help) { args in
            if case .number(let x) = args["x"] { return .number(x) }
            if case .traced(let traced) = args["x"], args["axis"].isNone {
                return .traced(op == .sum ? traced.sum() : traced.mean())
            }
            let t = try args.tensor("x")
            let axis = try args.optionalWholeNumber("axis", minimum: -Swift.max(t.rank, 1))
            if axis == nil, case .list(let l) = args["x"], l.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                // A plain list of numbers sums in Float64, as numbers do elsewhere.
                let numbers = l.items.compactMap(\.asNumber)
                let total = numbers.reduce(0, +)
                return .number(op == .sum ? total : (numbers.isEmpty ? .nan : total / Double(numbers.count)))
            }
            return Value.fromTensorElement(try t.reduced(op, axis: axis))
        }
    }
}
