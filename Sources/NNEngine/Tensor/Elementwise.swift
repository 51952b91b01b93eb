import Foundation

/// A two-operand element-wise operation. Comparisons give 1 for true and 0 for false.
/// Arithmetic follows IEEE 754: dividing by zero gives ±inf or NaN, never a trap.
public enum BinaryOp: String, CaseIterable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case power = "^", modulo = "%"
    case minimum = "min", maximum = "max"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<="
    case greater = ">", greaterEqual = ">="

    /// The operation on one pair of numbers.
    @inline(__always)
    public func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return Foundation.pow(a, b)
        case .modulo: return BinaryOp.floorMod(a, b)
        case .minimum: return a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        case .maximum: return a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        }
    }

    /// Whether the result is a truth value (1/0) rather than a number.
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }

    /// Python's `%`: the result takes the sign of the divisor (`-7 % 3 == 2`), so
    /// `a == floor(a / b) * b + a % b`. A zero divisor gives NaN, as IEEE `fmod` does.
    @inline(__always)
    public static func floorMod(_ a: Float, _ b: Float) -> Float {
        let r = fmodf(a, b)
        if r != 0 && ((r < 0) != (b < 0)) { return r + b }
        return r
    }
}

extension Tensor {
    /// `op` applied to every element.
    public func applying(_ op: UnaryOp) -> Tensor {
        var out = self
        out.apply(op)
        return out
    }

    /// Applies `op` to every element in place.
    public mutating func apply(_ op: UnaryOp) {
        if op.is(Identity.self) { return }
        scalars.withUnsafeMutableBufferPointer { p in
            op.function.apply(UnsafeBufferPointer(p), p, alpha: op.alpha)
        }
    }

    /// `op` applied to each pair of elements of `self` and `other` under broadcasting.
    public func applying(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        var out = Tensor(zeros: [])
        try Tensor.apply(op, self, other, into: &out)
        return out
    }

    /// `op(a, b)` written into `out`, which is resized to the broadcast shape and reuses its
    /// storage when the element count is unchanged (for layers that keep their buffers).
    public static func apply(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, into out: inout Tensor) throws {
        let shape = try Broadcasting.shape(a.shape, b.shape)
        switch op {
        // Literal closures let each case compile to its own specialised loop.
        case .add: combine(a, b, into: &out, shape: shape) { $0 + $1 }
        case .subtract: combine(a, b, into: &out, shape: shape) { $0 - $1 }
        case .multiply: combine(a, b, into: &out, shape: shape) { $0 * $1 }
        case .divide: combine(a, b, into: &out, shape: shape) { $0 / $1 }
        case .power where b.count == 1 && b.scalars[0] == 2:
            // x² is by far the most common power; pow() is several times slower than x·x.
            combine(a, b, into: &out, shape: shape) { x, _ in x * x }
        default: combine(a, b, into: &out, shape: shape) { op.apply($0, $1) }
        }
    }

    /// Element-wise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.add, b) }
    /// Element-wise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.subtract, b) }
    /// Element-wise (Hadamard) product with broadcasting; `matmul` is the matrix product.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.multiply, b) }
    /// Element-wise quotient with broadcasting (IEEE: x/0 is ±inf or NaN).
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.divide, b) }
    /// Element-wise floor modulo with broadcasting, as Python's `%`.
    public static func % (a: Tensor, b: Tensor) throws -> Tensor { try a.applying(.modulo, b) }
    /// Element-wise negation.
    public static prefix func - (a: Tensor) -> Tensor { a.applying(.negate) }

    /// Every element multiplied by `s`.
    public static func * (a: Tensor, s: Float) -> Tensor {
        var out = a
        out.scalars.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= s } }
        return out
    }

    /// `s` added to every element.
    public static func + (a: Tensor, s: Float) -> Tensor {
        var out = a
        out.scalars.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] += s } }
        return out
    }

    /// Element-wise power `a ^ b` with broadcasting.
    public static func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.applying(.power, b) }
    /// Element-wise minimum with broadcasting (NaN if either is NaN).
    public static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.applying(.minimum, b) }
    /// Element-wise maximum with broadcasting (NaN if either is NaN).
    public static func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.applying(.maximum, b) }
}
