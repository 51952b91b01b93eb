import NNEngine

/// grad, trace, graph (docs/language.md, "Differentiating functions"): a user function evaluated on traced inputs (`Value.traced`)
/// records its operations on the engine's tape, which then differentiates it exactly
/// (reverse or forward mode) or shows it as a trace table or a graph.
enum AutodiffBuiltins {
    static let list: [Builtin] = [
        Builtin("grad", family: "autodiff", [.required("f")],
                help: "a function returning ∂f/∂x (one argument) or the list of partial derivatives (several), exact by reverse-mode autodiff: grad(fn(x) => x^2)(3) is 6") { args in
            let f = try args.function("f")
            let name = "grad(\(functionName(f)))"
            return .function(Function(name: name, implementation: .native(arity: nil) { arguments, interpreter in
                try AutodiffEvaluation.evaluate(f, arguments, interpreter: interpreter, caller: "grad").gradientValue()
            }))
        },
        Builtin("trace", family: "autodiff",
                [.required("f"), .variadic("args"), .optional("mode", .string("reverse")), .optional("wrt", .number(0))],
                help: "the evaluation trace of f at args as the notes write it (v₁ = x², v₂ = sin v₁, …): each value with its adjoint v̄ᵢ (mode: \"reverse\", v̄ₙ = 1), tangent v̇ᵢ (mode: \"forward\", ẋ = 1 on input `wrt:`) or both (mode: \"both\"), then the derivative") { args in
            let mode = try args.string("mode")
            guard ["forward", "reverse", "both"].contains(mode) else {
                throw args.error("mode", mustBe: "\"reverse\", \"forward\" or \"both\"")
            }
            let f = try args.function("f")
            let evaluation = try AutodiffEvaluation.evaluate(f, args.rest, interpreter: args.interpreter, caller: "trace")
            let wrt = try args.wholeNumber("wrt")
            guard wrt < evaluation.inputs.count else {
                throw args.error("wrt", "`wrt:` is the position of an input, from 0 to \(evaluation.inputs.count - 1)")
            }
            return .object(try EvaluationTrace(evaluation, mode: mode, seed: wrt, functionName: functionName(f)))
        },
        Builtin("graph", family: "autodiff",
                [.required("f"), .variadic("args"), .optional("format", .string("tree")), .optional("file")],
                help: "the computational graph of f at args: a tree (output at the root) in the terminal; format: \"dot\" gives Graphviz text (also g.dot), file: \"g.dot\" writes it — dot -Tsvg g.dot > g.svg draws it") { args in
            let format = try args.string("format")
            guard format == "tree" || format == "dot" else { throw args.error("format", mustBe: "\"tree\" or \"dot\"") }
            let f = try args.function("f")
            let evaluation = try AutodiffEvaluation.evaluate(f, args.rest, interpreter: args.interpreter, caller: "graph")
            let graph = try evaluation.tape.graph(output: evaluation.output)
            if !args["file"].isNone {
                let path = try args.interpreter.filePath(try args.string("file"))
                try AtomicFile.write(Array(graph.dot.utf8), to: path)
                return .string(path)
            }
            return format == "dot" ? .string(graph.dot) : .object(GraphValue(graph))
        },
    ]

    /// A function's name for `∂f/∂x` (`f` for anonymous ones).
    static func functionName(_ value: Value) -> String {
        if case .function(let f) = value, f.name != "<fn>", !f.name.isEmpty { return f.name }
        return "f"
    }
}

/// The REPL's `:trace` helper: the traces of `f` at `arguments` (both modes by default), as text.
extension Interpreter {
    public func traceText(of function: Value, at arguments: [Value], mode: String = "both") throws -> String {
        let evaluation = try AutodiffEvaluation.evaluate(function, arguments, interpreter: self, caller: "trace")
        return try EvaluationTrace(evaluation, mode: mode, seed: 0,
                                   functionName: AutodiffBuiltins.functionName(function)).text
    }
}
