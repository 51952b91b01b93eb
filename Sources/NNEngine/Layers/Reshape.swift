/// `reshape(c, h, w)`: each flat sample of c·h·w numbers as a `[c, h, w]` image, so a batch
/// `[m, c·h·w]` becomes `[m, c, h, w]` (how a CNN starts on MNIST's rows of 784 pixels:
/// `reshape(1, 28, 28)`). Row-major, as PyTorch's `nn.Unflatten(1, (c, h, w))`; the data is
/// not copied. Its backward reshapes the gradient back.
public final class Reshape: Layer {
    /// The sample shape produced, `[c, h, w]`.
    public let shape: [Int]

    public init(_ shape: [Int]) throws {
        guard shape.count == 3, shape.allSatisfy({ $0 >= 1 && $0 <= 1 << 24 }),
              shape[0].multipliedReportingOverflow(by: shape[1] * shape[2]).overflow == false,
              shape.reduce(1, *) <= 1 << 30 else {
            throw EngineError("reshape(\(shape.map(String.init).joined(separator: ", "))) needs three positive sizes: channels, height, width",
                              hint: "e.g. reshape(1, 28, 28) for MNIST rows of 784 pixels")
        }
        self.shape = shape
    }

    /// c·h·w.
    public var width: Int { shape.reduce(1, *) }

    public var kind: String { "reshape" }
    public var arguments: [LayerArgument] {
        [.integer("c", shape[0], positional: true), .integer("h", shape[1], positional: true), .integer("w", shape[2], positional: true)]
    }
    public func copy() -> Layer { try! Reshape(shape) }  // checked by self's init

    public static let kinds = ["reshape"]
    public static func make(_ record: LayerRecord) throws -> Layer {
        try Reshape([try record.count("c"), try record.count("h"), try record.count("w")])
    }

    public var inputShape: SampleShape? { [width] }
    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        let result = shape.map { Optional($0) }
        guard let input, input != [width], input != [nil] else { return result }
        if input.count == 1, let n = input[0] {
            throw ShapeProblem.expects("\(width) = \(shape.map(String.init).joined(separator: "·")) inputs", gives: "\(n)",
                                       fix: "choose c, h, w whose product is \(n)")
        }
        throw ShapeProblem.expects("flat samples of \(width) numbers", gives: SampleShapes.text(input),
                                   fix: "put flatten before \(self), or leave it out if the samples are already images")
    }

    /// Reshape to [-1, c, h, w].
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        let target = graph.constant("shape_\(shape.map(String.init).joined(separator: "x"))",
                                    int64s: [-1] + shape.map { Int64($0) })
        return graph.node("Reshape", [x, target])
    }

    public var pytorch: PyTorchModule { PyTorchModule("nn.Unflatten(1, (\(shape[0]), \(shape[1]), \(shape[2])))") }

    private var latestShape: [Int] = []

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == width else {
            throw EngineError("\(self) expects samples of \(width) numbers (a batch [m, \(width)]) but got shape \(input.shape)",
                              hint: "c·h·w must equal the number of features per sample")
        }
        latestShape = input.shape
        return input.reshaped([input.shape[0]] + shape)
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard latestShape.count == 2 else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == [latestShape[0]] + shape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: [latestShape[0]] + shape)
        }
        return needInputGradient ? outputGradient.reshaped(latestShape) : nil
    }
}
