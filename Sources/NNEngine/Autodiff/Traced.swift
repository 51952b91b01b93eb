/// A value on a tape: evaluating an operation on `Traced` handles computes the result and
/// records it, so the function can be differentiated afterwards.
public struct Traced {
    public let tape: Tape
    /// Position on the tape.
    public let id: Int

    /// The computed value.
    public var value: Tensor { tape.nodes[id].value }
    /// The recorded node.
    public var node: TapeNode { tape.nodes[id] }

    /// A constant on the same tape (for mixing plain numbers into an expression).
    public func constant(_ value: Tensor) -> Traced { tape.constant(value) }

    // MARK: element-wise

    /// `op` applied element-wise.
    public func applying(_ op: UnaryOp) -> Traced {
        tape.record(.unary(op), operands: [id], value: value.applying(op))
    }

    /// `op(self, other)` element-wise under broadcasting.
    public func combined(_ op: BinaryOp, _ other: Traced) throws -> Traced {
        try tape.check(other)
        let result = try value.applying(op, other.value)
        return tape.record(.binary(op), operands: [id, other.id], value: result)
    }

    public static func + (a: Traced, b: Traced) throws -> Traced { try a.combined(.add, b) }
    public static func - (a: Traced, b: Traced) throws -> Traced { try a.combined(.subtract, b) }
    /// Element-wise product (⊙); `matmul` is the matrix product.
    public static func * (a: Traced, b: Traced) throws -> Traced { try a.combined(.multiply, b) }
    public static func / (a: Traced, b: Traced) throws -> Traced { try a.combined(.divide, b) }
    /// Floor modulo, as Python's `%`.
    public static func % (a: Traced, b: Traced) throws -> Traced { try a.combined(.modulo, b) }
    public static prefix func - (a: Traced) -> Traced { a.applying(.negate) }

    /// `self ^ exponent`, element-wise.
    public func power(_ exponent: Traced) throws -> Traced { try combined(.power, exponent) }
    /// Element-wise minimum.
    public func minimum(_ other: Traced) throws -> Traced { try combined(.minimum, other) }
    /// Element-wise maximum.
    public func maximum(_ other: Traced) throws -> Traced { try combined(.maximum, other) }

    public func exp() -> Traced { applying(.exp) }
    public func log() -> Traced { applying(.log) }
    public func sqrt() -> Traced { applying(.sqrt) }
    public func sin() -> Traced { applying(.sin) }
    public func cos() -> Traced { applying(.cos) }
    public func tanh() -> Traced { applying(.tanh) }
    public func abs() -> Traced { applying(.abs) }
    public func sigmoid() -> Traced { applying(.sigmoid) }
    public func relu() -> Traced { applying(.relu) }
    public func gelu() -> Traced { applying(.gelu) }
    /// Heaviside step; its derivative is 0 everywhere (as a perceptron's).
    public func step() -> Traced { applying(.step) }
    public func identity() -> Traced { applying(.identity) }
    public func leakyRelu(alpha: Float = 0.01) -> Traced { applying(.leakyRelu(alpha: alpha)) }
    public func elu(alpha: Float = 1) -> Traced { applying(.elu(alpha: alpha)) }

    // MARK: reductions and matrices

    /// The sum of all elements.
    public func sum() -> Traced { tape.record(.sum, operands: [id], value: value.sum()) }
    /// The mean of all elements.
    public func mean() -> Traced { tape.record(.mean, operands: [id], value: value.mean()) }

    /// The largest element (an error for an empty tensor).
    public func maxElement() throws -> Traced {
        tape.record(.maxElement, operands: [id], value: try value.maximum())
    }

    /// The smallest element (an error for an empty tensor).
    public func minElement() throws -> Traced {
        tape.record(.minElement, operands: [id], value: try value.minimum())
    }

    /// The matrix product `self @ other`.
    public func matmul(_ other: Traced) throws -> Traced {
        try tape.check(other)
        let result = try TapeAlgebra.matmul(value, other.value)
        return tape.record(.matmul, operands: [id, other.id], value: result)
    }

    /// Softmax along the last axis.
    public func softmax() throws -> Traced {
        tape.record(.softmax, operands: [id], value: try TapeAlgebra.softmax(value))
    }

    /// The transpose of a matrix.
    public func transposed() throws -> Traced {
        tape.record(.transpose, operands: [id], value: try value.transposed())
    }
}
