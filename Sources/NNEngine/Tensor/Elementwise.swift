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

/// A one-operand element-wise operation: the math functions of the language and the
/// activations of the layer library, each with its derivative.
public enum UnaryOp: Equatable, Sendable {
    case negate, exp, log, sqrt, sin, cos, tanh, abs
    /// The tangent and the inverse trigonometric functions (radians).
    case tan, asin, acos, atan
    case sigmoid, relu, step, identity, gelu
    /// `x` for positive `x`, `alpha·x` otherwise.
    case leakyRelu(alpha: Float)
    /// `x` for positive `x`, `alpha·(eˣ − 1)` otherwise.
    case elu(alpha: Float)

    /// The name a user writes (`exp`, `leaky_relu`, …).
    public var name: String {
        switch self {
        case .negate: return "neg"
        case .exp: return "exp"
        case .log: return "log"
        case .sqrt: return "sqrt"
        case .sin: return "sin"
        case .cos: return "cos"
        case .tanh: return "tanh"
        case .abs: return "abs"
        case .tan: return "tan"
        case .asin: return "asin"
        case .acos: return "acos"
        case .atan: return "atan"
        case .sigmoid: return "sigmoid"
        case .relu: return "relu"
        case .step: return "step"
        case .identity: return "identity"
        case .gelu: return "gelu"
        case .leakyRelu: return "leaky_relu"
        case .elu: return "elu"
        }
    }

    /// The operation on one number.
    @inline(__always)
    public func apply(_ x: Float) -> Float {
        switch self {
        case .negate: return -x
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tanh: return Foundation.tanh(x)
        case .abs: return Swift.abs(x)
        case .tan: return Foundation.tan(x)
        case .asin: return Foundation.asin(x)
        case .acos: return Foundation.acos(x)
        case .atan: return Foundation.atan(x)
        case .sigmoid: return UnaryOp.sigmoid(x)
        case .relu: return x > 0 ? x : 0
        case .step: return x >= 0 ? 1 : 0
        case .identity: return x
        case .gelu: return x * UnaryOp.normalCDF(x)
        case .leakyRelu(let alpha): return x > 0 ? x : alpha * x
        case .elu(let alpha): return x > 0 ? x : alpha * (Foundation.exp(x) - 1)
        }
    }

    /// dy/dx at input `x`, given the output `y = apply(x)` (reused where it is cheaper).
    /// Kinks take the value PyTorch uses: relu'(0) = 0, abs'(0) = 0, step' = 0 everywhere.
    @inline(__always)
    public func derivative(input x: Float, output y: Float) -> Float {
        switch self {
        case .negate: return -1
        case .exp: return y
        case .log: return 1 / x
        case .sqrt: return 0.5 / y
        case .sin: return Foundation.cos(x)
        case .cos: return -Foundation.sin(x)
        case .tanh: return 1 - y * y
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .tan: return 1 + y * y
        case .asin: return 1 / (1 - x * x).squareRoot()
        case .acos: return -1 / (1 - x * x).squareRoot()
        case .atan: return 1 / (1 + x * x)
        case .sigmoid: return y * (1 - y)
        case .relu: return x > 0 ? 1 : 0
        case .step: return 0
        case .identity: return 1
        case .gelu:
            // d/dx x·Φ(x) = Φ(x) + x·φ(x), with φ the standard normal density.
            let density = Foundation.exp(-0.5 * x * x) / Float(2 * Double.pi).squareRoot()
            return UnaryOp.normalCDF(x) + x * density
        case .leakyRelu(let alpha): return x > 0 ? 1 : alpha
        case .elu(let alpha): return x > 0 ? 1 : y + alpha
        }
    }

    /// σ(x) = 1/(1 + e⁻ˣ), computed without overflow for large |x|.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// Φ(x), the standard normal distribution function, via erf (in Double for accuracy).
    @inline(__always)
    static func normalCDF(_ x: Float) -> Float {
        Float(0.5 * (1 + Foundation.erf(Double(x) / 2.0.squareRoot())))
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
        scalars.withUnsafeMutableBufferPointer { p in
            switch op {
            // The common cases get loops of their own so the switch stays out of the loop.
            case .relu: for i in p.indices { p[i] = p[i] > 0 ? p[i] : 0 }
            case .exp: for i in p.indices { p[i] = Foundation.exp(p[i]) }
            case .sigmoid: for i in p.indices { p[i] = UnaryOp.sigmoid(p[i]) }
            case .tanh: for i in p.indices { p[i] = Foundation.tanh(p[i]) }
            case .negate: for i in p.indices { p[i] = -p[i] }
            case .identity: break
            default: for i in p.indices { p[i] = op.apply(p[i]) }
            }
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
