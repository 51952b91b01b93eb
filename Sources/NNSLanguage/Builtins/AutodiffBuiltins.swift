import NNEngine

/// grad, trace, graph (SPEC §9): a user function evaluated on traced inputs records its
/// operations on the engine's tape, which then differentiates it (reverse or forward mode)
/// or shows it as a trace table or a graph.
enum AutodiffBuiltins {
    static let list: [Builtin] = [
        Builtin("grad", family: "autodiff", [.required("f")],
                help: "a function returning ∂f/∂x (one argument) or the list of partial derivatives (several): grad(fn(x) => x^2)(3) is 6") { args in
            let f = try args.function("f")
            let name = "grad(\(functionName(f)))"
            return .function(Function(name: name, implementation: .native(arity: nil) { arguments, interpreter in
                let run = try record(f, arguments, interpreter: interpreter, caller: "grad")
                guard run.output.value.count == 1 else {
                    throw BuiltinError("grad: the function must return a single number, got a tensor of shape \(ShapeText.format(run.output.value.shape))",
                                       hint: "reduce it first, e.g. with sum(...) or mean(...)")
                }
                let gradients = try run.tape.gradients(of: run.output, withRespectTo: run.inputs)
                let values = zip(gradients, arguments).map { gradient, argument -> Value in
                    if case .number = argument, gradient.count == 1 { return Value.number(fromFloat: gradient.scalars[0]) }
                    return .tensor(gradient)
                }
                return values.count == 1 ? values[0] : .list(values)
            }))
        },
        Builtin("trace", family: "autodiff", [.required("f"), .variadic("args"), .optional("mode", .string("reverse"))],
                help: "the evaluation trace of f at args: each vᵢ, its operation and value, with the adjoint v̄ᵢ (mode: \"reverse\") or tangent v̇ᵢ (mode: \"forward\", seeded at the first input)") { args in
            let f = try args.function("f")
            let mode = try args.string("mode")
            guard mode == "reverse" || mode == "forward" else { throw args.error("mode", mustBe: "\"reverse\" or \"forward\"") }
            guard !args.rest.isEmpty else { throw BuiltinError("trace: give the arguments to evaluate f at, e.g. trace(f, 1.0)") }
            let run = try record(f, args.rest, interpreter: args.interpreter, caller: "trace")
            let rows = mode == "forward"
                ? try run.tape.forwardTrace(seed: run.inputs[0], output: run.output)
                : try run.tape.reverseTrace(output: run.output)
            return .object(TraceValue(rows: rows, forward: mode == "forward",
                                      call: "\(functionName(f))(" + args.rest.map(\.representation).joined(separator: ", ") + ")"))
        },
        Builtin("graph", family: "autodiff", [.required("f"), .variadic("args")],
                help: "the computational graph of f at args: a tree in the terminal; .dot is Graphviz text") { args in
            let f = try args.function("f")
            guard !args.rest.isEmpty else { throw BuiltinError("graph: give the arguments to evaluate f at, e.g. graph(f, 1.0)") }
            let run = try record(f, args.rest, interpreter: args.interpreter, caller: "graph")
            return .object(GraphValue(try run.tape.graph(output: run.output)))
        },
    ]

    /// One evaluation of `f` on fresh tape variables named after its parameters.
    struct Recording {
        var tape: Tape
        var inputs: [Traced]
        var output: Traced
    }

    static func record(_ f: Value, _ arguments: [Value], interpreter: Interpreter, caller: String) throws -> Recording {
        let tape = Tape()
        let names = parameterNames(f, count: arguments.count)
        var inputs: [Traced] = []
        for (index, argument) in arguments.enumerated() {
            guard let value = try argument.asTensor() else {
                throw BuiltinError("\(caller): argument \(index + 1) must be a number or a tensor, got a \(argument.kindName)")
            }
            inputs.append(tape.variable(value, name: names[index]))
        }
        let result = try interpreter.callValue(f, inputs.map { .traced($0) })
        let output: Traced
        switch result {
        case .traced(let t): output = t
        default:
            // A result that does not depend on the inputs (a constant function).
            guard let value = try result.asTensor() else {
                throw BuiltinError("\(caller): the function must return a number or a tensor, got a \(result.kindName)")
            }
            output = tape.constant(value)
        }
        return Recording(tape: tape, inputs: inputs, output: output)
    }

    /// The names of a user function's parameters (x, y…), else x₁, x₂….
    static func parameterNames(_ f: Value, count: Int) -> [String] {
        if case .function(let function) = f, case .user(let user) = function.implementation {
            let names = user.literal.parameters.map(\.name.name)
            if names.count >= count { return Array(names.prefix(count)) }
        }
        return count == 1 ? ["x"] : (1...count).map { "x\($0)" }
    }

    static func functionName(_ f: Value) -> String {
        if case .function(let function) = f { return function.name }
        return f.displayText
    }
}
