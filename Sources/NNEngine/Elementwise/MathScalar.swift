import Foundation

/// Float and Double with the C library's functions, so each element-wise function is written
/// once, generically, and runs on tensor elements (Float32) and language numbers (Float64).
public protocol MathScalar: BinaryFloatingPoint {
    static func exp(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tan(_ x: Self) -> Self
    static func asin(_ x: Self) -> Self
    static func acos(_ x: Self) -> Self
    static func atan(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
}

extension Float: MathScalar {
    @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) public static func expm1(_ x: Float) -> Float { Foundation.expm1(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inline(__always) public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
    @inline(__always) public static func sin(_ x: Float) -> Float { Foundation.sin(x) }
    @inline(__always) public static func cos(_ x: Float) -> Float { Foundation.cos(x) }
    @inline(__always) public static func tan(_ x: Float) -> Float { Foundation.tan(x) }
    @inline(__always) public static func asin(_ x: Float) -> Float { Foundation.asin(x) }
    @inline(__always) public static func acos(_ x: Float) -> Float { Foundation.acos(x) }
    @inline(__always) public static func atan(_ x: Float) -> Float { Foundation.atan(x) }
    @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inline(__always) public static func erf(_ x: Float) -> Float { Foundation.erf(x) }
}

extension Double: MathScalar {
    @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inline(__always) public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inline(__always) public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inline(__always) public static func tan(_ x: Double) -> Double { Foundation.tan(x) }
    @inline(__always) public static func asin(_ x: Double) -> Double { Foundation.asin(x) }
    @inline(__always) public static func acos(_ x: Double) -> Double { Foundation.acos(x) }
    @inline(__always) public static func atan(_ x: Double) -> Double { Foundation.atan(x) }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) public static func erf(_ x: Double) -> Double { Foundation.erf(x) }
}

extension MathScalar {
    /// σ(x) = 1/(1 + e⁻ˣ), written so neither branch overflows: e^{−|x|} ≤ 1.
    @inline(__always)
    public static func sigmoid(_ x: Self) -> Self {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    /// Φ(x), the standard normal distribution function.
    @inline(__always)
    static func normalCDF(_ x: Self) -> Self { 0.5 * (1 + erf(x * 0.70710678118654752)) }

    /// φ(x), the standard normal density.
    @inline(__always)
    static func normalDensity(_ x: Self) -> Self { exp(-0.5 * x * x) * 0.39894228040143268 }
}
