import Foundation

/// An element-wise activation a = h(z): `sigmoid tanh relu leaky_relu elu gelu identity step`.
/// Its backward is the notes' ∂C/∂z = ∂C/∂a ⊙ h'(z), with h' taken from the cached output
/// where that is cheaper (σ' = σ(1−σ), tanh' = 1−tanh², relu' = [a > 0]).
///
/// Works on tensors of any shape (`relu(-3)` is `0`).
public final class Activation: Layer {
    /// Which function; the options are the language's keyword arguments.
    public enum Function: Equatable, Sendable {
        case sigmoid
        case tanh
        case relu
        /// x for x > 0, αx otherwise (`alpha` defaults to 0.01 as in PyTorch).
        case leakyReLU(alpha: Float)
        /// x for x > 0, α(eˣ − 1) otherwise (`alpha` defaults to 1).
        case elu(alpha: Float)
        /// x·Φ(x) with Φ the standard normal CDF, exactly (via erf), as PyTorch's default GELU.
        case gelu
        case identity
        /// Heaviside: 1 for z ≥ 0, else 0 (the perceptron's activation). Its derivative is 0
        /// everywhere it exists, so no gradient flows through a step layer: networks with one
        /// train by the perceptron rule, not by backpropagation.
        case step

        /// The builtin's name.
        public var name: String {
            switch self {
            case .sigmoid: "sigmoid"
            case .tanh: "tanh"
            case .relu: "relu"
            case .leakyReLU: "leaky_relu"
            case .elu: "elu"
            case .gelu: "gelu"
            case .identity: "identity"
            case .step: "step"
            }
        }

        /// relu, leaky_relu, elu, gelu: the layers after which `init: "auto"` picks He.
        public var isReLUFamily: Bool {
            switch self {
            case .relu, .leakyReLU, .elu, .gelu: true
            default: false
            }
        }

        /// The option a backward needs from the input rather than the output.
        var needsInput: Bool {
            switch self {
            case .leakyReLU, .elu, .gelu, .sigmoid: true   // sigmoid: logits for bce's fused form
            default: false
            }
        }
    }

    public let function: Function

    /// The `alpha:` option of leaky_relu and elu (nil for the others).
    public var alpha: Float? {
        switch function {
        case .leakyReLU(let a), .elu(let a): a
        default: nil
        }
    }

    private(set) var cachedInput = Tensor(zeros: [0])
    private(set) var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var hasForward = false
    private var outputShape: [Int] = []
    /// Set when the network fused this relu into the linear layer before it: the output
    /// (and the mask for the backward) then live in that layer's output buffer.
    var fusedProducer: Linear?

    public init(_ function: Function) { self.function = function }

    public var kind: String { function.name }
    public var description: String {
        switch function {
        case .leakyReLU(let alpha): "leaky_relu(alpha: \(formatOption(alpha)))"
        case .elu(let alpha): "elu(alpha: \(formatOption(alpha)))"
        default: function.name
        }
    }
    public func copy() -> Layer { Activation(function) }

    /// The output of the latest forward (the fused linear layer's when fused).
    var latestOutput: Tensor { fusedProducer?.output ?? output }

    /// Records a forward that the linear layer before did with a relu epilogue.
    func adoptFusedForward(from linear: Linear) {
        fusedProducer = linear
        outputShape = linear.output.shape
        hasForward = true
    }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        fusedProducer = nil
        hasForward = true
        outputShape = input.shape
        // identity hands its input on untouched and keeps no reference to it (holding the
        // previous layer's buffer would make that layer copy it on its next write)
        if function == .identity { return input }
        if function.needsInput { cachedInput.assign(input) }
        output.resize(to: input.shape)
        let f = function
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                Activation.apply(f, x, y)
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard hasForward else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == outputShape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: outputShape)
        }
        guard needInputGradient else { return nil }
        if function == .identity { return outputGradient }
        let a = latestOutput
        inputGradient.resize(to: a.shape)
        let f = function
        outputGradient.scalars.withUnsafeBufferPointer { g in
            a.scalars.withUnsafeBufferPointer { y in
                cachedInput.scalars.withUnsafeBufferPointer { x in
                    inputGradient.scalars.withUnsafeMutableBufferPointer { d in
                        Activation.derivative(f, g, x, y, d)
                    }
                }
            }
        }
        return inputGradient
    }

    // MARK: the functions and their derivatives

    static func apply(_ f: Function, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>) {
        switch f {
        case .sigmoid:
            for i in x.indices { y[i] = sigmoid(x[i]) }
        case .tanh:
            for i in x.indices { y[i] = Foundation.tanh(x[i]) }
        case .relu:
            let zero = SIMD8<Float>()
            lanes(x, x, y, { x, _ in zero.replacing(with: x, where: x .> zero) }, { x, _ in x > 0 ? x : 0 })
        case .leakyReLU(let alpha):
            lanes(x, x, y, { x, _ in (alpha * x).replacing(with: x, where: x .> SIMD8<Float>()) },
                  { x, _ in x > 0 ? x : alpha * x })
        case .elu(let alpha):
            for i in x.indices { y[i] = x[i] > 0 ? x[i] : alpha * Foundation.expm1(x[i]) }
        case .gelu:
            for i in x.indices { y[i] = gelu(x[i]) }
        case .identity:
            for i in x.indices { y[i] = x[i] }
        case .step:
            for i in x.indices { y[i] = x[i] >= 0 ? 1 : 0 }
        }
    }

    /// d = g ⊙ h'(z), from the input x (when `needsInput`) or the output y.
    static func derivative(_ f: Function, _ g: UnsafeBufferPointer<Float>, _ x: UnsafeBufferPointer<Float>,
                           _ y: UnsafeBufferPointer<Float>, _ d: UnsafeMutableBufferPointer<Float>) {
        switch f {
        case .sigmoid:
            lanes(g, y, d, { g, y in g * y * (1 - y) }, { g, y in g * y * (1 - y) })
        case .tanh:
            lanes(g, y, d, { g, y in g * (1 - y * y) }, { g, y in g * (1 - y * y) })
        case .relu:
            let zero = SIMD8<Float>()
            lanes(g, y, d, { g, y in zero.replacing(with: g, where: y .> zero) }, { g, y in y > 0 ? g : 0 })
        case .leakyReLU(let alpha):
            lanes(g, x, d, { g, x in (alpha * g).replacing(with: g, where: x .> SIMD8<Float>()) },
                  { g, x in x > 0 ? g : alpha * g })
        case .elu(let alpha):
            for i in g.indices { d[i] = x[i] > 0 ? g[i] : g[i] * alpha * Foundation.exp(x[i]) }
        case .gelu:
            for i in g.indices { d[i] = g[i] * geluDerivative(x[i]) }
        case .identity:
            for i in g.indices { d[i] = g[i] }
        case .step:
            for i in g.indices { d[i] = 0 }
        }
    }

    /// out[i] = f(a[i], b[i]), eight lanes at a time: the compiler does not vectorise these
    /// loops by itself (it cannot rule out that the buffers overlap), and relu's backward
    /// alone was 3% of an MNIST training step.
    @inline(__always)
    static func lanes(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
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

    /// σ(x), written so neither branch overflows: e^{−|x|} ≤ 1.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// x·Φ(x) = ½x(1 + erf(x/√2)).
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752))
    }

    /// Φ(x) + x·φ(x).
    @inline(__always)
    static func geluDerivative(_ x: Float) -> Float {
        let cdf = 0.5 * (1 + Foundation.erf(x * 0.70710678118654752))
        let pdf = Foundation.exp(-0.5 * x * x) * 0.39894228040143268
        return cdf + x * pdf
    }
}
