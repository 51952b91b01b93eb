import NNEngine

/// Values on an autodiff tape (SPEC §9): while `grad`, `trace` or `graph` runs a function,
/// its inputs are `.traced`, and every operator, math function and activation applied to them
/// records itself on the tape. Plain numbers and tensors mixed in become tape constants.
extension Value {
    /// `value` as a value on `tape`: traced values as they are, numbers and tensors as constants.
    static func traced(_ value: Value, on tape: Tape) throws -> Traced {
        switch value {
        case .traced(let t):
            guard t.tape === tape else {
                throw BuiltinError("values from two different grad/trace evaluations cannot be combined")
            }
            return t
        case .number(let x): return tape.constant(x)
        default:
            guard let t = try value.asTensor() else {
                throw BuiltinError("a \(value.kindName) cannot take part in a differentiated computation",
                                   hint: "grad, trace and graph follow numbers and tensors")
            }
            return tape.constant(t)
        }
    }

    /// The traced value inside, if this is one.
    var tracedValue: Traced? {
        if case .traced(let t) = self { return t }
        return nil
    }
}

/// Layers applied to traced inputs, so `x |> relu` and `net(x)` inside a differentiated
/// function are recorded too: an activation is its element-wise operation, softmax its
/// row-wise softmax, a linear layer x·Wᵀ + b with W and b as constants.
enum TracedLayers {
    static func forward(_ layers: [Layer], _ input: Traced) throws -> Traced {
        var x = input
        for layer in layers {
            switch layer {
            case let activation as Activation:
                x = x.applying(unaryOp(activation.function))
            case is Softmax:
                x = try x.softmax()
            case let linear as Linear:
                let weight = try x.constant(linear.weight.value).transposed()
                x = try x.matmul(weight).combined(.add, x.constant(linear.bias.value))
            default:
                throw BuiltinError("a \(layer.kind) layer cannot be differentiated by grad/trace",
                                   hint: "inside a differentiated function use linear layers, activations and softmax")
            }
        }
        return x
    }

    static func unaryOp(_ function: Activation.Function) -> UnaryOp {
        switch function {
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .relu: return .relu
        case .leakyReLU(let alpha): return .leakyRelu(alpha: alpha)
        case .elu(let alpha): return .elu(alpha: alpha)
        case .gelu: return .gelu
        case .identity: return .identity
        case .step: return .step
        }
    }
}
