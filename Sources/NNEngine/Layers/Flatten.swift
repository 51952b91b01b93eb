/// `flatten`: each sample as one vector, `[m, c, h, w]` → `[m, c·h·w]` in row-major order
/// (PyTorch's `nn.Flatten()`), between the convolutional part of a network and its linear
/// part. The data is not copied; the backward reshapes the gradient back.
public final class Flatten: Layer {
    private var latestShape: [Int] = []

    public init() {}

    public var kind: String { "flatten" }
    public func copy() -> Layer { Flatten() }

    public static let kinds = ["flatten"]
    public static let builders = [LayerBuilder("flatten", [],
        help: "the layer turning [m, c, h, w] into [m, c·h·w], between convolutions and linear layers") { _ in Flatten() }]
    public static func make(_ record: LayerRecord) throws -> Layer { Flatten() }

    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        guard let input else { return [nil] }
        return [SampleShapes.count(input)]
    }

    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        graph.node("Flatten", [x], attributes: [.int("axis", 1)])
    }

    public var pytorch: PyTorchModule { PyTorchModule("nn.Flatten()") }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        guard input.rank >= 1 else {
            throw EngineError("flatten needs a batch [m, ...] but got a number", hint: "give it a batch of samples")
        }
        latestShape = input.shape
        return input.reshaped([input.shape[0], input.count / max(input.shape[0], 1)])
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard !latestShape.isEmpty else { throw backwardBeforeForward(self) }
        let m = latestShape[0]
        guard outputGradient.shape == [m, latestShape.reduce(1, *) / max(m, 1)] else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: [m, latestShape.reduce(1, *) / max(m, 1)])
        }
        return needInputGradient ? outputGradient.reshaped(latestShape) : nil
    }
}
