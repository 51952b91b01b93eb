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
