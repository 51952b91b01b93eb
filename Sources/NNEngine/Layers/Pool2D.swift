/// `maxpool(kernel, stride:)` and `avgpool(kernel, stride:)`: 2-d pooling of each channel
/// of a batch of images `[m, c, h, w]` into `[m, c, oh, ow]`, as PyTorch's `nn.MaxPool2d`
/// and `nn.AvgPool2d` (stride the kernel unless given, no padding). Max pooling keeps which
/// input won each window, so its backward sends each gradient to that input alone; average
/// pooling shares it equally over the window. The work is `Pooling`'s.
///
/// `forward(traced:)` keeps the protocol's refusal: pooling is not differentiable by
/// `grad`/`trace`.
public final class Pool2D: Layer {
    /// The kind of pooling and its window (kernel, stride; padding zero).
    public private(set) var pooling: Pooling
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var hasForward = false

    /// Pooling of `kind` over `kernel` windows `stride` apart.
    public init(_ kind: Pooling.Kind, kernel: Extent2D, stride: Extent2D? = nil) throws {
        let s = stride ?? kernel
        let name = Pool2D.source(kind, kernel, s)
        guard kernel.height >= 1, kernel.width >= 1, s.height >= 1, s.width >= 1,
              kernel.height <= 1 << 16, kernel.width <= 1 << 16, s.height <= 1 << 16, s.width <= 1 << 16 else {
            throw EngineError("\(name) needs a kernel and stride of at least 1", hint: "e.g. maxpool(2) or maxpool(3, stride: 2)")
        }
        pooling = Pooling(kind, window: Window2D(kernel: kernel, stride: s))
    }

    /// The window: kernel, stride and (zero) padding.
    public var window: Window2D { pooling.window }

    static func kindName(_ kind: Pooling.Kind) -> String { kind == .max ? "maxpool" : "avgpool" }

    static func arguments(_ kernel: Extent2D, _ stride: Extent2D) -> [LayerArgument] {
        let k = (kernel.height, kernel.width)
        return [.extent("kernel", k, positional: true),
                LayerArgument.extent("stride", (stride.height, stride.width), default: nil)]
            .filter { $0.name == "kernel" || stride != kernel }
    }

    static func source(_ kind: Pooling.Kind, _ kernel: Extent2D, _ stride: Extent2D) -> String {
        LayerSource.text(kind: kindName(kind), arguments: arguments(kernel, stride))
    }

    public var kind: String { Pool2D.kindName(pooling.kind) }
    public var arguments: [LayerArgument] { Pool2D.arguments(window.kernel, window.stride) }
    public func copy() -> Layer { try! Pool2D(pooling.kind, kernel: window.kernel, stride: window.stride) }  // checked by self's init

    public static let kinds = ["maxpool", "avgpool"]
    public static let builders = [(Pooling.Kind.max, "maxpool", "max"), (.average, "avgpool", "average")].map { kind, name, what in
        LayerBuilder(name, [.required("kernel"), .optional("stride")],
                     help: "\(what) pooling of each channel over kernel×kernel windows (stride: the kernel unless given)") { call in
            let kernel = try call.extent("kernel")
            return try Pool2D(kind, kernel: kernel, stride: call.isGiven("stride") ? try call.extent("stride") : kernel)
        }
    }
    public static func make(_ record: LayerRecord) throws -> Layer {
        let k = try record.extent("kernel")
        let s = try record.extent("stride", default: -1)
        let kernel = Extent2D(k.0, k.1)
        return try Pool2D(record.kind == "maxpool" ? .max : .average, kernel: kernel,
                          stride: s.0 == -1 ? kernel : Extent2D(s.0, s.1))
    }

    // MARK: shape

    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        guard let input else { return [nil, nil, nil] }
        guard input.count == 3 else {
            throw ShapeProblem.expects("images [c, h, w]", gives: input.count == 1 ? "flat samples of \(SampleShapes.text(input)) numbers" : SampleShapes.text(input),
                                       fix: "put reshape(c, h, w) first to make each sample an image")
        }
        return [input[0]] + (try Conv2D.spatialOutput(window, input, fix: "use a smaller window, or pool less before it"))
    }

    // MARK: step-through and export

    public func formula(input: String, output: String) -> String {
        let op = pooling.kind == .max ? "max_{u,v}" : "mean_{u,v}"
        return "\(output)[c,i,j] = \(op) \(input)[c, i·s+u, j·s+v]"
    }

    /// MaxPool or AveragePool, no padding (so count_include_pad does not arise).
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        let k = window.kernel, s = window.stride
        return graph.node(pooling.kind == .max ? "MaxPool" : "AveragePool", [x],
                          attributes: [.ints("kernel_shape", [Int64(k.height), Int64(k.width)]),
                                       .ints("strides", [Int64(s.height), Int64(s.width)])])
    }

    public var pytorch: PyTorchModule {
        let module = pooling.kind == .max ? "nn.MaxPool2d" : "nn.AvgPool2d"
        return PyTorchModule("\(module)(kernel_size=\(Conv2D.python(window.kernel)), stride=\(Conv2D.python(window.stride)))")
    }

    // MARK: passes

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        guard input.rank == 4 else {
            throw EngineError("\(self) needs images of shape [m, channels, height, width] but got \(input.shape)",
                              hint: "put reshape(c, h, w) first to turn rows of pixels into images")
        }
        try pooling.forward(input, into: &output)
        hasForward = true
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard hasForward else { throw backwardBeforeForward(self) }
        guard needInputGradient else { return nil }
        try pooling.backward(outputGradient, into: &inputGradient)
        return inputGradient
    }

    /// Whether the network may run `backwardThroughReLU` for a relu just before this layer.
    var absorbsReLUBackward: Bool { pooling.kind == .max }

    /// ∂C/∂z for `relu |> maxpool` in one pass, given ∂C/∂(this layer's output), from the
    /// latest forward: the relu's output at each window's winner is the window's maximum, so
    /// a gradient passes where that is > 0. Saves the relu's pass over the larger maps.
    func backwardThroughReLU(_ outputGradient: Tensor) throws -> Tensor {
        guard hasForward else { throw backwardBeforeForward(self) }
        try pooling.backward(outputGradient, gate: output, into: &inputGradient)
        return inputGradient
    }
}
