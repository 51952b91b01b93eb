/// `conv2d(in, out, kernel, stride:, padding:)`: 2-d convolution (cross-correlation, as in
/// PyTorch's `nn.Conv2d`) of a batch of images `[m, in, h, w]` into `[m, out, oh, ow]`:
///
///     z[o,i,j] = Σ_c Σ_u Σ_v W[o,c,u,v]·a[c, i·s+u, j·s+v] + b[o]
///
/// with W of shape `[out, in, kh, kw]` and b of shape `[out]`, padding p adding zeros round
/// the input and oh = ⌊(h + 2p − kh)/s⌋ + 1 (likewise ow). The work is `Convolution`'s: the
/// patches as rows of one matrix product for the whole batch, on the project's GEMM.
///
/// Weights start as a linear layer's with fan-in in·kh·kw (He, Xavier with fan-out
/// out·kh·kw, PyTorch's uniform bound 1/√fan-in); `init: "auto"` picks He when a relu-family
/// layer follows. `forward(traced:)` keeps the protocol's refusal: a convolution is not
/// differentiable by `grad`/`trace`.
public final class Conv2D: Layer, AutoInitializing {
    public let inChannels: Int
    public let outChannels: Int
    /// Kernel size, stride and padding.
    public let window: Window2D
    /// W, shape `[out, in, kh, kw]`; state_dict name `weight`.
    public let weight: Parameter
    /// b, shape `[out]`; state_dict name `bias`.
    public let bias: Parameter
    /// The `init:` the layer was built with.
    public let initializer: WeightInit
    /// What the weights were drawn as once `auto` is resolved.
    public private(set) var effectiveInitializer: WeightInit
    /// `init: "auto"` until the next layer is known.
    private var pendingAutoInit = PendingAutoInit(weights: Tensor(zeros: [0]), pending: false)

    private var convolution: Convolution
    /// The latest forward's output (relu(z) when the network fused the relu after it).
    private(set) var output = Tensor(zeros: [0])
    private var inputGradient: Tensor? = Tensor(zeros: [0])
    private var hasForward = false

    /// Largest weight tensor accepted, as for linear layers.
    public static let maximumWeightCount = Linear.maximumWeightCount

    /// The weights' fan-in: in·kh·kw.
    public var fanIn: Int { inChannels * window.kernel.height * window.kernel.width }

    public init(inChannels: Int, outChannels: Int, window: Window2D, weight: Tensor? = nil, bias: Tensor? = nil,
                initializer: WeightInit = .auto, source: RandomSource = .shared) throws {
        let k = window.kernel, s = window.stride, p = window.padding
        let name = Conv2D.source(inChannels, outChannels, window)
        guard inChannels >= 1, outChannels >= 1, k.height >= 1, k.width >= 1 else {
            throw EngineError("\(name) needs positive channel counts and kernel sizes",
                              hint: "write conv2d(in, out, kernel), e.g. conv2d(1, 32, 3)")
        }
        guard s.height >= 1, s.width >= 1, p.height >= 0, p.width >= 0 else {
            throw EngineError("\(name) needs a stride of at least 1 and a padding of at least 0",
                              hint: "e.g. conv2d(16, 32, 3, stride: 2, padding: 1)")
        }
        let fanIn = inChannels * k.height * k.width
        let (count, overflow) = fanIn.multipliedReportingOverflow(by: outChannels)
        guard !overflow, count <= Conv2D.maximumWeightCount, k.height <= 1 << 16, k.width <= 1 << 16 else {
            throw EngineError("\(name) would hold more than \(Conv2D.maximumWeightCount) weights", hint: "check the sizes for a typo")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.window = window
        self.initializer = initializer
        convolution = Convolution(window: window)
        let shape = [outChannels, inChannels, k.height, k.width]
        let w: Tensor
        if let given = weight {
            guard given.shape == shape else {
                throw EngineError("\(name) needs a weight of shape \(shape) but got \(given.shape)",
                                  hint: "W has PyTorch's Conv2d layout [out, in, kh, kw]")
            }
            w = given
            effectiveInitializer = initializer
        } else {
            var drawn = initializer.weights(outputs: outChannels, inputs: fanIn, source: source)
            if initializer == .auto || initializer == .xavier {
                // Xavier's fan-out for a kernel is out·kh·kw, not out.
                let ratio = Float(WeightInit.xavierStandardDeviation(inputs: fanIn, outputs: outChannels * k.height * k.width)
                                  / WeightInit.xavierStandardDeviation(inputs: fanIn, outputs: outChannels))
                drawn.scalars.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= ratio } }
            }
            w = drawn.reshaped(shape)
            effectiveInitializer = initializer == .auto ? .xavier : initializer
        }
        if let b = bias, b.count != outChannels || b.rank > 1 {
            throw EngineError("\(name) needs a bias of shape [\(outChannels)] but got \(b.shape)", hint: "give one bias per output channel")
        }
        self.weight = Parameter(name: "weight", value: w)
        self.bias = Parameter(name: "bias", value: bias?.reshaped([outChannels]) ?? Tensor(zeros: [outChannels]))
        pendingAutoInit = PendingAutoInit(weights: w, pending: weight == nil && initializer == .auto)
    }

    /// `conv2d(1, 32, 3)`, `conv2d(16, 32, [3, 5], stride: 2, padding: 1)`.
    static func source(_ inputs: Int, _ outputs: Int, _ window: Window2D) -> String {
        LayerSource.text(kind: "conv2d", arguments: arguments(inputs, outputs, window))
    }

    static func arguments(_ inputs: Int, _ outputs: Int, _ window: Window2D) -> [LayerArgument] {
        let k = window.kernel, s = window.stride, p = window.padding
        return [.integer("in", inputs, positional: true), .integer("out", outputs, positional: true),
                .extent("kernel", (k.height, k.width), positional: true),
                .extent("stride", (s.height, s.width), default: 1), .extent("padding", (p.height, p.width), default: 0)]
    }

    public var kind: String { "conv2d" }
    public var arguments: [LayerArgument] { Conv2D.arguments(inChannels, outChannels, window) }
    public var parameters: [Parameter] { [weight, bias] }
    public var decayedParameters: [Parameter] { [weight] }
    public var isAffine: Bool { true }

    public func copy() -> Layer {
        let c = try! Conv2D(inChannels: inChannels, outChannels: outChannels, window: window,  // checked by self's init
                            weight: weight.value, bias: bias.value, initializer: initializer)
        c.weight.grad = weight.grad
        c.bias.grad = bias.grad
        c.effectiveInitializer = effectiveInitializer
        c.pendingAutoInit = pendingAutoInit
        return c
    }

    public static let kinds = ["conv2d"]
    public static let builders = [LayerBuilder("conv2d",
        [.required("in"), .required("out"), .required("kernel"), .optional("stride", .number(1)),
         .optional("padding", .number(0)), .optional("weight"), .optional("bias"), .optional("init", .string("auto"))],
        help: "a 2-d convolution of [m, in, h, w] images with W of shape [out, in, kh, kw]; kernel, stride, padding: a number or [h, w]") { call in
        let inputs = try call.count("in")
        let outputs = try call.count("out")
        let window = Window2D(kernel: try call.extent("kernel"), stride: try call.extent("stride"),
                              padding: try call.extent("padding", minimum: 0))
        let initializer = try call.initializer()
        let shape = [outputs, inputs, window.kernel.height, window.kernel.width]
        let weight = try call.tensor("weight")
        if let w = weight, w.shape != shape {
            throw call.error("weight", "weight must have shape [out, in, kh, kw] = \(Broadcasting.describe(shape)), got \(Broadcasting.describe(w.shape))",
                             hint: "W has PyTorch's Conv2d layout: one [in, kh, kw] kernel per output channel")
        }
        let bias = try call.tensor("bias")
        if let b = bias, b.count != outputs || b.rank > 1 {
            throw call.error("bias", "bias must have \(outputs) element\(outputs == 1 ? "" : "s") (one per output channel), got shape \(Broadcasting.describe(b.shape))")
        }
        return try Conv2D(inChannels: inputs, outChannels: outputs, window: window, weight: weight, bias: bias,
                          initializer: initializer, source: call.random)
    }]
    static func window(_ record: LayerRecord) throws -> Window2D {
        let k = try record.extent("kernel"), s = try record.extent("stride", default: 1)
        let p = try record.extent("padding", minimum: 0, default: 0)
        return Window2D(kernel: Extent2D(k.0, k.1), stride: Extent2D(s.0, s.1), padding: Extent2D(p.0, p.1))
    }
    public static func parameterShapes(_ record: LayerRecord) throws -> [(name: String, shape: [Int])] {
        let (i, o, k) = (try record.count("in"), try record.count("out"), try window(record).kernel)
        return [("weight", [o, i, k.height, k.width]), ("bias", [o])]
    }
    public static func make(_ record: LayerRecord) throws -> Layer {
        let (i, o, w) = (try record.count("in"), try record.count("out"), try window(record))
        return try Conv2D(inChannels: i, outChannels: o, window: w, initializer: .zeros)
    }

    // MARK: shape

    public var inputShape: SampleShape? { [inChannels, nil, nil] }

    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        guard let input else { return [outChannels, nil, nil] }
        guard input.count == 3 else {
            var fix = "put reshape(c, h, w) before it to make each sample an image"
            if input.count == 1, let n = input[0], n % inChannels == 0 {
                let side = Int(Double(n / inChannels).squareRoot().rounded())
                if side * side * inChannels == n { fix = "start with reshape(\(inChannels), \(side), \(side))" }
            }
            throw ShapeProblem.expects("images of \(inChannels) channel\(inChannels == 1 ? "" : "s") [c, h, w]",
                                       gives: input.count == 1 ? "flat samples of \(SampleShapes.text(input)) numbers" : SampleShapes.text(input),
                                       fix: fix)
        }
        if let c = input[0], c != inChannels {
            throw ShapeProblem.expects("\(inChannels) channel\(inChannels == 1 ? "" : "s")", gives: "\(c)",
                                       fix: "make conv2d's first argument \(c), the channels of the layer before")
        }
        return [outChannels] + (try Conv2D.spatialOutput(window, input, fix: "use a smaller kernel, more padding, or fewer poolings before it"))
    }

    /// The output height and width of `window` over `input` ([c, h, w]), nil where unknown;
    /// a `.needs` problem when the window does not fit.
    static func spatialOutput(_ window: Window2D, _ input: SampleShape, fix: String) throws -> SampleShape {
        guard let h = input[1], let w = input[2] else {
            let k = window.kernel, s = window.stride, p = window.padding
            return [input[1].map { ($0 + 2 * p.height - k.height) / s.height + 1 },
                    input[2].map { ($0 + 2 * p.width - k.width) / s.width + 1 }]
        }
        guard let out = window.outputSize(for: Extent2D(h, w)) else {
            let p = window.padding
            let padded = p.height == 0 && p.width == 0 ? "" : " (with padding \(p))"
            throw ShapeProblem.needs("needs at least \(window.kernel) input\(padded) but gets \(h)×\(w)",
                                     fix: fix)
        }
        return [out.height, out.width]
    }

    // MARK: step-through and export

    public func formula(input: String, output: String) -> String {
        "\(output)[o,i,j] = Σ_c Σ_u Σ_v W[o,c,u,v]·\(input)[c, i·s+u, j·s+v] + b[o]"
    }

    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        let k = window.kernel, s = window.stride, p = window.padding
        return graph.node("Conv", [x, try graph.parameter("weight"), try graph.parameter("bias")],
                          attributes: [.ints("kernel_shape", [Int64(k.height), Int64(k.width)]),
                                       .ints("strides", [Int64(s.height), Int64(s.width)]),
                                       .ints("pads", [Int64(p.height), Int64(p.width), Int64(p.height), Int64(p.width)])])
    }

    public var pytorch: PyTorchModule {
        let w = window
        return PyTorchModule("nn.Conv2d(\(inChannels), \(outChannels), kernel_size=\(Conv2D.python(w.kernel)), stride=\(Conv2D.python(w.stride)), padding=\(Conv2D.python(w.padding)))")
    }

    /// `3` or `(3, 5)`.
    static func python(_ e: Extent2D) -> String { e.height == e.width ? "\(e.height)" : "(\(e.height), \(e.width))" }

    // MARK: passes

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        try forward(input, epilogue: .none, mode: mode)
    }

    /// The forward with the relu after it optionally fused into the GEMM's epilogue.
    func forward(_ input: Tensor, epilogue: MatMulEpilogue, mode: PassMode) throws -> Tensor {
        guard input.rank == 4, input.shape[1] == inChannels else {
            throw EngineError("\(self) expects images of shape [m, \(inChannels), h, w] but got \(input.shape)",
                              hint: "put reshape(\(inChannels), h, w) before it to turn rows of pixels into images")
        }
        try convolution.forward(input, weight: weight.value, bias: bias.value, epilogue: epilogue, into: &output)
        hasForward = true
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard hasForward else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == output.shape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: output.shape)
        }
        var dx: Tensor? = needInputGradient ? (inputGradient ?? Tensor(zeros: [0])) : nil
        inputGradient = nil  // dx holds the only reference, so it is written in place
        try convolution.backward(outputGradient, weight: weight.value, weightGradient: &weight.grad,
                                 biasGradient: &bias.grad, inputGradient: &dx)
        guard needInputGradient else { return nil }
        inputGradient = dx
        return dx
    }

    // MARK: init: "auto"

    var isAutoInitPending: Bool { pendingAutoInit.isPending(weight.value) }

    func resolveAutoInit(nextIsReLUFamily: Bool) {
        let k = window.kernel
        if pendingAutoInit.resolve(weight, fanIn: fanIn, fanOut: outChannels * k.height * k.width,
                                   nextIsReLUFamily: nextIsReLUFamily) {
            effectiveInitializer = .he
        }
    }
}
