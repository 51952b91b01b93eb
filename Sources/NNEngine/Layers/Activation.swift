/// An element-wise activation a = h(z), one layer class for every function of
/// `ElementwiseFunctions` that is an activation (`sigmoid tanh relu leaky_relu elu gelu silu
/// softplus identity step`): the function's definition lives in the table, not here.
/// Its backward is the notes' ∂C/∂z = ∂C/∂a ⊙ h'(z), with h' taken from the cached output
/// where that is cheaper (σ' = σ(1−σ), tanh' = 1−tanh², relu' = [a > 0]).
///
/// Works on tensors of any shape (`relu(-3)` is `0`).
public final class Activation: Layer {
    /// The function with its option (`alpha:` of leaky_relu and elu).
    public let function: UnaryOp

    private(set) var cachedInput = Tensor(zeros: [0])
    private(set) var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var hasForward = false
    private var outputShape: [Int] = []
    /// Set when the network fused this relu into the linear or conv2d layer before it: the
    /// output (and the mask for the backward) then live in that layer's output buffer.
    var fusedProducer: (any ReLUFusing)?

    public init(_ function: UnaryOp) { self.function = function }

    /// The activation `function` with its default option.
    public convenience init(_ function: any ElementwiseFunction.Type) { self.init(UnaryOp(function)) }

    /// The `alpha:` option of leaky_relu and elu (nil for the others).
    public var alpha: Float? { function.function.alphaDefault == nil ? nil : function.alpha }

    public var kind: String { function.name }
    public var arguments: [LayerArgument] { alpha.map { [.real("alpha", $0)] } ?? [] }
    public func copy() -> Layer { Activation(function) }

    public static var kinds: [String] { ElementwiseFunctions.activations.map { $0.name } }
    public static func make(_ record: LayerRecord) throws -> Layer {
        guard let f = ElementwiseFunctions.named(record.kind), f.isActivation else { throw record.error("is not an activation") }
        guard let alphaDefault = f.alphaDefault else { return Activation(f) }
        return Activation(UnaryOp(f, alpha: Float(try record.real("alpha", default: alphaDefault))))
    }

    public func forward(traced x: Traced) throws -> Traced { x.applying(function) }
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        function.function.exportONNX(x, alpha: function.alpha, to: graph)
    }
    public var pytorch: PyTorchModule { function.function.pytorch(alpha: function.alpha) }
    public func formula(input: String, output: String) -> String { function.function.formula(input: input, output: output) }
    public func derivativeFormula(output: String) -> String? { function.function.derivativeFormula(output: output) }
    public var isReLUFamily: Bool { function.function.isReLUFamily }

    /// Whether the forward keeps z: for a derivative that reads it, and for sigmoid, whose
    /// logits `bce` reads for its fused form.
    private var keepsInput: Bool { function.function.derivativeUsesInput || function.is(Sigmoid.self) }

    /// The output of the latest forward (the fused linear layer's when fused).
    var latestOutput: Tensor { fusedProducer?.output ?? output }

    /// Records a forward that the layer before did with a relu epilogue.
    func adoptFusedForward(from producer: any ReLUFusing) {
        fusedProducer = producer
        outputShape = producer.output.shape
        hasForward = true
    }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        fusedProducer = nil
        hasForward = true
        outputShape = input.shape
        // identity hands its input on untouched and keeps no reference to it (holding the
        // previous layer's buffer would make that layer copy it on its next write)
        if function.is(Identity.self) { return input }
        if keepsInput { cachedInput.assign(input) }
        output.resize(to: input.shape)
        let f = function
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                f.function.apply(x, y, alpha: f.alpha)
            }
        }
        return output
    }

    /// Elements below which a share of the backward pass is not worth another thread.
    static let elementsPerThread = 1 << 15

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard hasForward else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == outputShape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: outputShape)
        }
        guard needInputGradient else { return nil }
        if function.is(Identity.self) { return outputGradient }
        let a = latestOutput
        inputGradient.resize(to: a.shape)
        let f = function
        outputGradient.scalars.withUnsafeBufferPointer { g in
            a.scalars.withUnsafeBufferPointer { y in
                cachedInput.scalars.withUnsafeBufferPointer { x in
                    inputGradient.scalars.withUnsafeMutableBufferPointer { d in
                        // Element by element, so ranges may run on both threads (a conv
                        // layer's maps are large enough to leave the other core idle).
                        let whole = x.count == y.count
                        parallelFor(y.count, grain: Activation.elementsPerThread) { r in
                            f.function.backward(UnsafeBufferPointer(rebasing: g[r]), x: whole ? UnsafeBufferPointer(rebasing: x[r]) : x,
                                                y: UnsafeBufferPointer(rebasing: y[r]),
                                                into: UnsafeMutableBufferPointer(rebasing: d[r]), alpha: f.alpha)
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}

/// A layer whose GEMM can apply the relu after it in its epilogue (linear, conv2d): the
/// network then runs the two as one pass over the output.
protocol ReLUFusing: Layer {
    /// The latest forward's output (relu(z) when fused).
    var output: Tensor { get }
    func forward(_ input: Tensor, epilogue: MatMulEpilogue, mode: PassMode) throws -> Tensor
}

extension Linear: ReLUFusing {}
extension Conv2D: ReLUFusing {}
