import NNEngine

/// One evaluation of a user's function on traced inputs: the tape it recorded, its inputs
/// (the vᵢ with i ≤ 0) and its output, ready for either mode of differentiation.
struct AutodiffEvaluation {
    let tape: Tape
    let inputs: [Traced]
    /// The output on the tape; nil when the result does not depend on the inputs at all
    /// (a constant function, whose derivative is zero).
    let output: Traced?
    /// The function's result as a plain value.
    let result: Value
    /// The inputs' names (the function's parameter names).
    let names: [String]
    /// Whether each argument was a number (its derivative is then a number too).
    let scalarInputs: [Bool]

    /// Calls `function` on `arguments`, each replaced by a traced variable, so every
    /// operation it performs on them records onto a fresh tape.
    static func evaluate(_ function: Value, _ arguments: [Value], interpreter: Interpreter,
                         caller: String) throws -> AutodiffEvaluation {
        guard !arguments.isEmpty else {
            throw BuiltinError("\(caller): give the point to differentiate at, e.g. \(caller)(f, 1.0)",
                               hint: "the arguments after the function are its inputs")
        }
        let tape = Tape()
        let names = parameterNames(function, count: arguments.count)
        var inputs = [Traced]()
        var scalar = [Bool]()
        for (argument, name) in zip(arguments, names) {
            if case .traced = argument {
                throw BuiltinError("\(caller): differentiating inside a function that is itself being differentiated is not supported",
                                   hint: "grad of grad: differentiate the analytic derivative instead")
            }
            guard let tensor = try argument.asTensor() else {
                throw BuiltinError("\(caller): the input \(name) must be a number or a tensor, got a \(argument.kindName)")
            }
            inputs.append(tape.variable(tensor, name: name))
            scalar.append(tensor.rank == 0)
        }
        let result = try interpreter.callValue(function, inputs.map { .traced($0) })
        let output: Traced?
        let plain: Value
        if case .traced(let traced) = result {
            output = traced
            plain = Value.fromTensorElement(traced.value)
        } else if result.asNumber != nil || result.tensorValue != nil {
            output = nil
            plain = result
        } else {
            throw BuiltinError("\(caller): the function must return a number or a tensor, got a \(result.kindName)")
        }
        return AutodiffEvaluation(tape: tape, inputs: inputs, output: output, result: plain,
                                  names: names, scalarInputs: scalar)
    }

    /// ∂f/∂input for each input, in reverse mode (zeros for a constant function).
    func gradients() throws -> [Tensor] {
        guard let output else { return inputs.map { Tensor(zeros: $0.value.shape) } }
        guard output.value.count == 1 else {
            throw BuiltinError("grad: the function must return a single number, got a tensor of shape \(ShapeText.format(output.value.shape))",
                               hint: "reduce it first, e.g. with sum(...) or mean(...); reverse mode needs a scalar output")
        }
        return try tape.gradients(of: output, withRespectTo: inputs)
    }

    /// The gradients as language values: one number or tensor for a single input, a list for several.
    func gradientValue() throws -> Value {
        let values = zip(try gradients(), scalarInputs).map { gradient, isScalar in
            isScalar ? Value.number(fromFloat: gradient.scalars[0]) : Value.tensor(gradient)
        }
        return values.count == 1 ? values[0] : .list(values)
    }

    /// The names the trace gives the inputs: the parameters of a user function, else x, y, ….
    static func parameterNames(_ function: Value, count: Int) -> [String] {
        var names: [String] = []
        if case .function(let f) = function, case .user(let user) = f.implementation {
            names = user.literal.parameters.map(\.name.name)
        }
        let fallback = count == 1 ? ["x"] : (0..<count).map { "x" + TraceText.subscripted($0 + 1) }
        return (0..<count).map { $0 < names.count ? names[$0] : fallback[$0] }
    }

    /// How many arguments `grad(f)` takes: a user function's parameters without defaults;
    /// one for builtins, layers and networks.
    static func arity(of function: Value) -> Int {
        if case .function(let f) = function, case .user(let user) = f.implementation {
            return user.literal.parameters.filter { $0.defaultValue == nil }.count
        }
        return 1
    }
}
