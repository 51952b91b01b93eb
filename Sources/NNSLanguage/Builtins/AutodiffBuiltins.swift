import NNEngine

/// grad, trace, graph (SPEC §9): differentiating nns functions exactly, by evaluating them on
/// traced inputs and running the engine's tape in reverse (grad) or either mode (trace).
enum AutodiffBuiltins {
    static let list: [Builtin] = [
        Builtin("grad", family: "autodiff", [.required("f")],
                help: "grad(f): a function returning ∂f/∂x (one argument) or the list of partial derivatives (several), exact by reverse-mode autodiff; e.g. grad(fn(x) => log(sin(x^2)))(1.0)") { args in
            let f = try args.function("f")
            let arity = AutodiffEvaluation.arity(of: f)
            guard arity >= 1 else {
                throw args.error("f", "the function takes no arguments, so there is nothing to differentiate")
            }
            let name = "grad(" + functionName(f) + ")"
            return .function(Function(name: name, implementation: .native(arity: arity) { arguments, interpreter in
                try AutodiffEvaluation.evaluate(f, arguments, interpreter: interpreter, caller: "grad").gradientValue()
            }))
        },
        Builtin("trace", family: "autodiff",
                [.required("f"), .variadic("args"), .optional("mode", .string("both")), .optional("wrt", .number(0))],
                help: "trace(f, args..., mode: \"forward\"|\"reverse\"|\"both\"): the evaluation trace v₁ = x², v₂ = sin v₁, … with each value and its tangent v̇ᵢ (forward, ẋ = 1; `wrt:` picks the input) or adjoint v̄ᵢ (reverse, v̄ₙ = 1), and the derivative") { args in
            let mode = try args.string("mode")
            guard ["forward", "reverse", "both"].contains(mode) else {
                throw args.error("mode", mustBe: "\"forward\", \"reverse\" or \"both\"")
            }
            let f = try args.function("f")
            let evaluation = try AutodiffEvaluation.evaluate(f, args.rest, interpreter: args.interpreter, caller: "trace")
            let wrt = try args.wholeNumber("wrt")
            guard wrt < evaluation.inputs.count else {
                throw args.error("wrt", "`wrt:` is the position of an input, from 0 to \(evaluation.inputs.count - 1)")
            }
            return .object(try TraceValue(evaluation, mode: mode, seed: wrt, functionName: functionName(f)))
        },
        Builtin("graph", family: "autodiff",
                [.required("f"), .variadic("args"), .optional("format", .string("tree")), .optional("file")],
                help: "graph(f, args...): the computational graph of f at args as a tree (output at the root); format: \"dot\" gives Graphviz text; file: \"g.dot\" writes it (dot -Tsvg g.dot > g.svg draws it)") { args in
            let format = try args.string("format")
            guard format == "tree" || format == "dot" else { throw args.error("format", mustBe: "\"tree\" or \"dot\"") }
            let f = try args.function("f")
            let evaluation = try AutodiffEvaluation.evaluate(f, args.rest, interpreter: args.interpreter, caller: "graph")
            let graph = try evaluation.tape.graph(output: evaluation.output)
            if !args["file"].isNone {
                let path = try args.string("file")
                try AtomicFile.write(Array(graph.dot.utf8), to: path)
                return .string(path)
            }
            return .string(format == "dot" ? graph.dot : GraphText.tree(graph))
        },
    ]

    /// A function's name for `∂f/∂x` (`f` for anonymous ones).
    static func functionName(_ value: Value) -> String {
        if case .function(let f) = value, f.name != "<fn>", !f.name.isEmpty { return f.name }
        return "f"
    }
}

/// What `trace` returns: prints as the trace table(s); `t.value` is f's value, `t.gradient`
/// the derivative (as `grad` gives it), `t.forward` / `t.reverse` the rows as records.
final class TraceValue: ObjectValue {
    let text: String
    let value: Value
    let gradient: Value
    let forwardRows: [TraceRow]
    let reverseRows: [TraceRow]

    init(_ evaluation: AutodiffEvaluation, mode: String, seed: Int, functionName: String) throws {
        value = evaluation.result
        gradient = try evaluation.gradientValue()
        let point = TraceText.point(names: evaluation.names, values: evaluation.inputs.map(\.value))
        guard let output = evaluation.output else {
            text = "\(functionName) does not depend on its inputs at \(point): its derivative is 0"
            forwardRows = []
            reverseRows = []
            return
        }
        let tape = evaluation.tape
        forwardRows = mode == "reverse" ? [] : try tape.forwardTrace(seed: evaluation.inputs[seed], output: output)
        reverseRows = mode == "forward" ? [] : try tape.reverseTrace(output: output)
        var parts = [String]()
        if mode != "reverse" {
            parts.append(TraceText.forward(forwardRows, point: point, seedName: evaluation.names[seed], functionName: functionName))
        }
        if mode != "forward" {
            parts.append(TraceText.reverse(reverseRows, point: point, functionName: functionName))
        }
        text = parts.joined(separator: "\n\n")
    }

    var kindName: String { "trace" }
    var displayText: String { text }
    var memberNames: [String] { ["value", "gradient", "forward", "reverse", "text"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "value": return value
        case "gradient": return gradient
        case "text": return .string(text)
        case "forward": return Self.rows(forwardRows)
        case "reverse": return Self.rows(reverseRows)
        default: return nil
        }
    }

    func jsonText(_ encoder: JSONEncoderContext) -> String {
        encoder.encode(.record([("value", value), ("gradient", gradient),
                                ("forward", Self.rows(forwardRows)), ("reverse", Self.rows(reverseRows))]))
    }

    /// Each row as `{v: "v₂", expression: "sin v₁", value:, derivative_symbol:, rule:, derivative:}`.
    static func rows(_ rows: [TraceRow]) -> Value {
        .list(rows.map { row in
            .record([("v", .string(row.symbol)), ("expression", .string(row.expression)),
                     ("value", Value.fromTensorElement(row.value)),
                     ("derivative_symbol", .string(row.derivativeSymbol)), ("rule", .string(row.derivativeExpression)),
                     ("derivative", Value.fromTensorElement(row.derivative))])
        })
    }
}

/// The REPL's `:trace` helper: both traces of `f` at `arguments`, as text.
extension Interpreter {
    public func traceText(of function: Value, at arguments: [Value], mode: String = "both") throws -> String {
        let evaluation = try AutodiffEvaluation.evaluate(function, arguments, interpreter: self, caller: "trace")
        return try TraceValue(evaluation, mode: mode, seed: 0,
                              functionName: AutodiffBuiltins.functionName(function)).text
    }
}
