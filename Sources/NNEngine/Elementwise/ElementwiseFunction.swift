/// One element-wise function, defined once: its value and derivative (generic, so the same
/// definition serves tensor elements and language numbers), the notes' notation for
/// step-through and traces, and, for an activation, its ONNX nodes and PyTorch module.
///
/// The activation layer, the math builtins, the autodiff tape, traces, step-through and both
/// exporters all read this one definition. A new function is one type conforming to this
/// protocol and its line in `ElementwiseFunctions.all`.
public protocol ElementwiseFunction {
    /// The builtin's name (`exp`, `leaky_relu`).
    static var name: String { get }
    /// One line for `help` and the reference.
    static var help: String { get }
    /// The default of the `alpha:` option, for the functions that take one.
    static var alphaDefault: Double? { get }
    /// Also a layer (`relu`), not only a function of numbers (`exp`).
    static var isActivation: Bool { get }
    /// relu and its kin: `init: "auto"` picks He for the layer before one.
    static var isReLUFamily: Bool { get }

    /// y = f(x).
    static func value<T: MathScalar>(_ x: T, alpha: T) -> T
    /// dy/dx at x, given y = f(x) (reused where it is cheaper). Kinks take the value PyTorch
    /// uses: relu'(0) = 0, abs'(0) = 0, step' = 0 everywhere.
    static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T
    /// Whether `derivative` reads x (else y alone suffices, and a layer need not keep x).
    static var derivativeUsesInput: Bool { get }

    /// y = f(x) over a buffer (the default loops over `value`; relu has SIMD lanes).
    static func apply(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, alpha: Float)
    /// d = g ⊙ f'(x), from x and y = f(x).
    static func backward(_ g: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                         into d: UnsafeMutableBufferPointer<Float>, alpha: Float)

    /// How a trace writes f applied to `x` (`σ(v₁)`, `exp v₁`, `√v₁`).
    static func traceText(_ x: String, alpha: String) -> String
    /// How a trace writes ∂y/∂x, with `x` the operand and `y` the result (`y(1 − y)`).
    static func partialText(x: String, y: String, alpha: String) -> String
    /// Step-through's `a = h(z)` with the function's definition.
    static func formula(input: String, output: String) -> String
    /// Step-through's h'(z), written with the output's name, where the notes give one.
    static func derivativeFormula(output: String) -> String?

    /// The ONNX nodes computing f(x); returns the output's name.
    static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String
    /// The PyTorch module computing f.
    static func pytorch(alpha: Float) -> PyTorchModule
}

public extension ElementwiseFunction {
    static var alphaDefault: Double? { nil }
    static var isActivation: Bool { false }
    static var isReLUFamily: Bool { false }
    static var derivativeUsesInput: Bool { true }

    static func apply(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        for i in x.indices { y[i] = value(x[i], alpha: alpha) }
    }

    static func backward(_ g: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                         into d: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        if derivativeUsesInput {
            for i in g.indices { d[i] = g[i] * derivative(x: x[i], y: y[i], alpha: alpha) }
        } else {
            // x is not kept for these (it may be empty): pass y in its place.
            for i in g.indices { d[i] = g[i] * derivative(x: y[i], y: y[i], alpha: alpha) }
        }
    }

    static func traceText(_ x: String, alpha: String) -> String { name + " " + x }
    static func formula(input: String, output: String) -> String { "\(output) = \(name)(\(input))" }
    static func derivativeFormula(output: String) -> String? { nil }

    static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String {
        // Only activations are exported, and each defines its own nodes.
        preconditionFailure("\(name) is not a layer and has no ONNX form")
    }

    static func pytorch(alpha: Float) -> PyTorchModule {
        preconditionFailure("\(name) is not a layer and has no PyTorch form")
    }
}

/// An element-wise function with its option: what the tape records, what tensors apply.
public struct UnaryOp: Equatable, @unchecked Sendable, CustomStringConvertible {
    public let function: any ElementwiseFunction.Type
    /// The `alpha:` option (0 for the functions without one).
    public let alpha: Float

    public init(_ function: any ElementwiseFunction.Type, alpha: Float? = nil) {
        self.function = function
        self.alpha = alpha ?? Float(function.alphaDefault ?? 0)
    }

    public static func == (a: UnaryOp, b: UnaryOp) -> Bool {
        ObjectIdentifier(a.function) == ObjectIdentifier(b.function) && a.alpha == b.alpha
    }

    /// Whether this is `function` (with any option).
    public func `is`(_ other: any ElementwiseFunction.Type) -> Bool { ObjectIdentifier(function) == ObjectIdentifier(other) }

    /// The name a user writes (`exp`, `leaky_relu`).
    public var name: String { function.name }
    public var description: String { name }

    /// The operation on one number.
    @inline(__always)
    public func apply(_ x: Float) -> Float { function.value(x, alpha: alpha) }

    /// The operation on one language number (Float64).
    public func apply(_ x: Double) -> Double { function.value(x, alpha: Double(alpha)) }

    /// dy/dx at input `x`, given the output `y = apply(x)`.
    @inline(__always)
    public func derivative(input x: Float, output y: Float) -> Float { function.derivative(x: x, y: y, alpha: alpha) }

    /// The option as a trace writes it.
    var alphaText: String { ShortestNumber.text(alpha) }

    public static let negate = UnaryOp(Negate.self)
    public static let exp = UnaryOp(Exp.self)
    public static let log = UnaryOp(Log.self)
    public static let sqrt = UnaryOp(SquareRoot.self)
    public static let sin = UnaryOp(Sine.self)
    public static let cos = UnaryOp(Cosine.self)
    public static let tan = UnaryOp(Tangent.self)
    public static let asin = UnaryOp(Arcsine.self)
    public static let acos = UnaryOp(Arccosine.self)
    public static let atan = UnaryOp(Arctangent.self)
    public static let abs = UnaryOp(AbsoluteValue.self)
    public static let tanh = UnaryOp(HyperbolicTangent.self)
    public static let sigmoid = UnaryOp(Sigmoid.self)
    public static let relu = UnaryOp(ReLU.self)
    public static let step = UnaryOp(Step.self)
    public static let identity = UnaryOp(Identity.self)
    public static let gelu = UnaryOp(GELU.self)
    public static func leakyRelu(alpha: Float) -> UnaryOp { UnaryOp(LeakyReLU.self, alpha: alpha) }
    public static func elu(alpha: Float) -> UnaryOp { UnaryOp(ELU.self, alpha: alpha) }
}

/// out[i] = f(a[i], b[i]), eight lanes at a time: the compiler does not vectorise these
/// loops by itself (it cannot rule out that the buffers overlap), and relu's backward
/// alone was 3% of an MNIST training step.
@inline(__always)
func lanes(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
           _ out: UnsafeMutableBufferPointer<Float>,
           _ vector: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>,
           _ scalar: (Float, Float) -> Float) {
    let n = out.count
    guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress, let po = out.baseAddress else { return }
    var i = 0
    while i + 8 <= n {
        let va = UnsafeRawPointer(pa + i).loadUnaligned(as: SIMD8<Float>.self)
        let vb = UnsafeRawPointer(pb + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(po + i).storeBytes(of: vector(va, vb), as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        po[i] = scalar(pa[i], pb[i])
        i += 1
    }
}
