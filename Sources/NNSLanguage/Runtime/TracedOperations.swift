import NNEngine

/// The interpreter's operations on traced values (see `TracedValue`): the hooks in the
/// operator, call and forward-pass code send any operation with a traced operand here, and
/// everything else goes on as before.
extension Interpreter {
    /// `a op b` when either side is traced; nil when neither is.
    func tracedBinary(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value? {
        guard let tape = TracedOperations.tape(of: [a, b]) else { return nil }
        do {
            return try TracedOperations.binary(op, a, b, tape: tape)
        } catch {
            throw located(error, at: range)
        }
    }

    /// `-a` when `a` is traced; nil otherwise.
    func tracedNegation(_ value: Value) -> Value? {
        guard let t = value.tracedValue else { return nil }
        return .object(TracedValue(-t.traced))
    }

    /// A builtin applied to traced arguments: the math functions and activations record on
    /// the tape; printing and inspecting builtins see the traced value as it is; any other
    /// builtin is an error that says why. nil when no argument is traced.
    func tracedBuiltinCall(_ builtin: Builtin, positional: [Value], keywords: [(String, Value)]) throws -> Value? {
        let all = positional + keywords.map(\.1)
        guard let tape = TracedOperations.tape(of: all) else { return nil }
        if TracedOperations.transparent.contains(builtin.name) { return nil }
        let arguments = try BuiltinArguments.bind(builtin, positional: positional, keywords: keywords, interpreter: self)
        if let result = try TracedOperations.builtin(builtin.name, arguments, tape: tape) { return result }
        throw BuiltinError(
            "\(builtin.name): cannot follow a value being differentiated through `\(builtin.name)`",
            hint: "grad, trace and graph follow arithmetic, exp log sqrt sin cos tanh abs min max sum mean "
                + "and the activations; use plain numbers elsewhere")
    }

    /// The forward pass of a traced input through a network of activations and linear
    /// layers (z = W·a + b with the weights as constants); nil for an untraced input.
    func tracedForward(_ network: Network, _ input: Value) throws -> Value? {
        guard let x = input.tracedValue else { return nil }
        var a = x.traced
        for layer in network.layers {
            a = try TracedOperations.layer(layer, a)
        }
        return .object(TracedValue(a))
    }
}

/// The traced counterparts of the language's operations.
enum TracedOperations {
    /// Builtins that take a traced value as it is (it prints and reports its kind as its value).
    static let transparent: Set<String> = ["print", "str", "type", "len", "json", "append"]

    /// The tape of the first traced value among `values`.
    static func tape(of values: [Value]) -> Tape? {
        for value in values { if let t = value.tracedValue { return t.traced.tape } }
        return nil
    }

    /// A value on `tape`: traced values as they are, numbers, bools and tensors as constants.
    static func traced(_ value: Value, on tape: Tape) throws -> Traced {
        if let t = value.tracedValue { return t.traced }
        if case .bool(let b) = value { return tape.constant(b ? 1 : 0) }
        guard let tensor = try value.asTensor() else {
            throw BuiltinError("cannot combine a \(value.kindName) with a value being differentiated")
        }
        return tape.constant(tensor)
    }

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, tape: Tape) throws -> Value {
        let x = try traced(a, on: tape), y = try traced(b, on: tape)
        let engineOp: BinaryOp
        switch op {
        case .add: engineOp = .add
        case .subtract: engineOp = .subtract
        case .multiply: engineOp = .multiply
        case .divide: engineOp = .divide
        case .remainder: engineOp = .modulo
        case .power: engineOp = .power
        case .matmul:
            return wrap(try x.matmul(y))
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            // A comparison's derivative is zero: compute it on the values, off the tape, so
            // `if x > 0 { ... }` branches on a plain bool.
            return try comparison(op, x.value, y.value)
        case .and, .or:
            throw BuiltinError("`\(op.rawValue)` needs true or false, not a number being differentiated")
        }
        return wrap(try x.combined(engineOp, y))
    }

    private static func comparison(_ op: BinaryOperator, _ x: Tensor, _ y: Tensor) throws -> Value {
        let engineOp: BinaryOp
        switch op {
        case .equal: engineOp = .equal
        case .notEqual: engineOp = .notEqual
        case .less: engineOp = .less
        case .lessEqual: engineOp = .lessEqual
        case .greater: engineOp = .greater
        default: engineOp = .greaterEqual
        }
        let result = try x.applying(engineOp, y)
        if result.count == 1 && x.rank == 0 && y.rank == 0 { return .bool(result.scalars[0] != 0) }
        return .tensor(result)
    }

    static func wrap(_ t: Traced) -> Value { .object(TracedValue(t)) }

    /// The math functions and activations on traced arguments; nil for other builtins.
    static func builtin(_ name: String, _ args: BuiltinArguments, tape: Tape) throws -> Value? {
        func operand(_ parameter: String) throws -> Traced { try traced(args[parameter], on: tape) }
        switch name {
        case "exp": return wrap(try operand("x").exp())
        case "log": return wrap(try operand("x").log())
        case "sqrt": return wrap(try operand("x").sqrt())
        case "sin": return wrap(try operand("x").sin())
        case "cos": return wrap(try operand("x").cos())
        case "abs": return wrap(try operand("x").abs())
        case "tanh": return wrap(try operand("x").tanh())
        case "sigmoid": return wrap(try operand("x").sigmoid())
        case "relu": return wrap(try operand("x").relu())
        case "gelu": return wrap(try operand("x").gelu())
        case "identity": return wrap(try operand("x").identity())
        case "step": return wrap(try operand("x").step())
        case "leaky_relu": return wrap(try operand("x").leakyRelu(alpha: Float(try args.number("alpha"))))
        case "elu": return wrap(try operand("x").elu(alpha: Float(try args.number("alpha"))))
        case "softmax": return wrap(try operand("x").softmax())
        case "sum", "mean":
            guard args["axis"].isNone else {
                throw BuiltinError("\(name): `axis:` is not supported on a value being differentiated",
                                   hint: "reduce over all elements, or index rows with x[i]")
            }
            let x = try operand("x")
            return wrap(name == "sum" ? x.sum() : x.mean())
        case "min", "max":
            if !args["b"].isNone {
                let a = try operand("a"), b = try operand("b")
                return wrap(name == "min" ? try a.minimum(b) : try a.maximum(b))
            }
            guard args["axis"].isNone else {
                throw BuiltinError("\(name): `axis:` is not supported on a value being differentiated")
            }
            let a = try operand("a")
            return wrap(name == "min" ? try a.minElement() : try a.maxElement())
        default:
            return nil
        }
    }

    /// One layer's forward pass on a traced input: activations element-wise, linear layers
    /// as a · Wᵀ + b with constant weights, softmax along the last axis.
    static func layer(_ layer: Layer, _ a: Traced) throws -> Traced {
        if let activation = layer as? Activation {
            return a.applying(unaryOp(activation.function))
        }
        if layer is Softmax { return try a.softmax() }
        if let linear = layer as? Linear {
            let weight = a.constant(try linear.weight.value.transposed())
            let bias = a.constant(linear.bias.value)
            return try a.matmul(weight) + bias
        }
        throw BuiltinError("a \(layer.description) layer cannot be followed by grad or trace",
                           hint: "grad and trace follow linear layers, activations and softmax")
    }

    static func unaryOp(_ function: Activation.Function) -> UnaryOp {
        switch function {
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .relu: return .relu
        case .gelu: return .gelu
        case .identity: return .identity
        case .step: return .step
        case .leakyReLU(let alpha): return .leakyRelu(alpha: alpha)
        case .elu(let alpha): return .elu(alpha: alpha)
        }
    }
}
