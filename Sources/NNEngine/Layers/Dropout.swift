/// `dropout(p)`: inverted dropout. In training each element is zeroed with probability p
/// and the survivors scaled by 1/(1 − p), so the expected output equals the input and
/// inference needs no rescaling: in inference the layer is the identity.
///
/// The mask is drawn from `source` (the shared seeded source unless given), one uniform
/// Float per element, kept where u ≥ p. Backward multiplies by the same mask.
public final class Dropout: Layer {
    /// The probability of dropping an element, in [0, 1].
    public let p: Double
    let source: RandomSource

    /// The latest training mask: 0 or 1/(1 − p) per element.
    private(set) var mask = Tensor(zeros: [0])
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var lastMode: PassMode?
    private var outputShape: [Int] = []

    public init(p: Double, source: RandomSource = .shared) throws {
        guard p >= 0, p <= 1 else {
            throw EngineError("dropout(\(formatOption(p))) needs a probability between 0 and 1",
                              hint: "p is the share of units dropped in training, e.g. dropout(0.5)")
        }
        self.p = p
        self.source = source
    }

    public var kind: String { "dropout" }
    public var arguments: [LayerArgument] { [.real("p", p, positional: true)] }
    public func copy() -> Layer { (try? Dropout(p: p, source: source)) ?? self }
    public var isTransparentToInit: Bool { true }

    public static let kinds = ["dropout"]
    public static func make(_ record: LayerRecord) throws -> Layer {
        let p = try record.real("p")
        guard p >= 0, p <= 1 else { throw record.error("needs a probability \"p\" in [0, 1]") }
        return try Dropout(p: p)
    }

    /// The identity, as in inference.
    public func forward(traced x: Traced) throws -> Traced { x }
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String { graph.node("Identity", [x]) }
    public var pytorch: PyTorchModule { PyTorchModule("nn.Dropout(p=\(PyTorchModule.float(p)))") }
    public func formula(input: String, output: String) -> String {
        "\(output) = \(input) (dropout is the identity outside training)"
    }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        lastMode = mode
        outputShape = input.shape
        guard mode == .training else { return input }
        mask.resize(to: input.shape)
        let threshold = Float(p)
        let keepScale: Float = p < 1 ? Float(1 / (1 - p)) : 0
        source.withGenerator { g in
            mask.scalars.withUnsafeMutableBufferPointer { m in
                for i in m.indices { m[i] = g.uniformFloat() >= threshold ? keepScale : 0 }
            }
        }
        output.resize(to: input.shape)
        Dropout.multiply(input, mask, into: &output)
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let mode = lastMode else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == outputShape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: outputShape)
        }
        guard needInputGradient else { return nil }
        guard mode == .training else { return outputGradient }
        inputGradient.resize(to: outputShape)
        Dropout.multiply(outputGradient, mask, into: &inputGradient)
        return inputGradient
    }

    private static func multiply(_ a: Tensor, _ b: Tensor, into c: inout Tensor) {
        a.scalars.withUnsafeBufferPointer { x in
            b.scalars.withUnsafeBufferPointer { y in
                c.scalars.withUnsafeMutableBufferPointer { z in
                    for i in z.indices { z[i] = x[i] * y[i] }
                }
            }
        }
    }
}
