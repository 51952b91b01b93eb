import NNEngine

/// A number or tensor that `grad`, `trace` or `graph` is following: it behaves as its value
/// in user code, but every arithmetic operation, math function and activation applied to it
/// records onto the engine's autodiff tape (`Tape`), so the function can be differentiated
/// afterwards. Loops and branches simply record the operations they actually execute.
public final class TracedValue: ObjectValue {
    public let traced: Traced

    public init(_ traced: Traced) { self.traced = traced }

    /// The value as a plain language value (a number for one element).
    public var plainValue: Value {
        let t = traced.value
        return t.rank == 0 ? Value.number(fromFloat: t.scalars[0]) : .tensor(t)
    }

    /// A traced value reports the kind it stands for, so `type(x)` works the same inside `grad`.
    public var kindName: String { traced.value.rank == 0 ? "number" : "tensor" }
    public var displayText: String { plainValue.displayText }
    public func jsonText(_ encoder: JSONEncoderContext) -> String { encoder.encode(plainValue) }

    public var memberNames: [String] { ["shape"] }

    public func member(_ name: String) -> Value? {
        guard name == "shape" else { return nil }
        return .list(traced.value.shape.map { Value.number(Double($0)) })
    }

    public var length: Int? { traced.value.rank >= 1 ? traced.value.shape[0] : nil }

    /// `x[i]`: element i of a vector or row i of a matrix, recorded as the product eᵢ @ x
    /// with a one-hot constant, so the derivative flows back to exactly that element.
    public func element(at index: Int) throws -> Value? {
        let value = traced.value
        guard value.rank == 1 || value.rank == 2 else {
            throw BuiltinError("indexing a differentiated tensor of rank \(value.rank) is not supported",
                               hint: "index vectors and matrices; reshape other tensors first")
        }
        var picker = Tensor(zeros: [value.shape[0]])
        picker.scalars[index] = 1
        return .object(TracedValue(try traced.constant(picker).matmul(traced)))
    }
}

extension Value {
    /// The traced value this holds, if any.
    var tracedValue: TracedValue? {
        if case .object(let object as TracedValue) = self { return object }
        return nil
    }
}
