/// `linear(in, out)`: the fully connected layer z = W·a + b, with W of shape `[out, in]`
/// and b of shape `[out]`, as in the notes.
///
/// A batch holds samples as rows, `A` of shape `[m, in]`, so the forward is
/// `Z = A·Wᵀ + b` (one kernel call, `trans_b`) and the backward, given δ = ∂C/∂Z `[m, out]`:
///
///     ∂C/∂W = δᵀ·A      (summed over the batch: the notes' δ·aᵀ for each sample)
///     ∂C/∂b = Σ_rows δ
///     ∂C/∂A = δ·W       (the notes' Wᵀδ, handed to the layer below)
public final class Linear: Layer, AutoInitializing {
    public let inputs: Int
    public let outputs: Int
    /// W, shape `[out, in]`; state_dict name `weight`.
    public let weight: Parameter
    /// b, shape `[out]`; state_dict name `bias`.
    public let bias: Parameter
    /// The `init:` the layer was built with (`auto` unless given; irrelevant when weights were).
    public let initializer: WeightInit
    /// What the weights were actually drawn as: `he` or `xavier` once `auto` is resolved.
    public private(set) var effectiveInitializer: WeightInit

    /// `init: "auto"` until the next layer is known.
    private var pendingAutoInit = PendingAutoInit(weights: Tensor(zeros: [0]), pending: false)

    // Buffers kept between calls (see `Layer`).
    /// The latest forward's input A (aᵒ for the first layer): in training the caller's
    /// tensor itself until `endTrainingStep`, otherwise a copy.
    private(set) var cachedInput = Tensor(zeros: [0, 0])
    /// Z of the latest forward (relu(Z) when fused with the relu after it).
    var output: Tensor { zs.current }
    /// Training forwards write their Z in turn to these (see `RotatingBuffers`).
    private var zs = RotatingBuffers()
    /// δ of a training step that took its plain SGD step without storing ∂C/∂W, until
    /// `endTrainingStep` (see `storeSkippedGradients`).
    private var skippedGradientOf: Tensor?
    private var inputGradient = Tensor(zeros: [0, 0])
    /// The training products over the input's nonzero columns, when it has enough zero ones.
    private(set) var zeroColumns = ZeroColumns()
    private var hasForward = false
    private var biasSums = [Double]()

    /// Largest weight matrix accepted (2²⁸ elements, 1 GiB): a typo such as
    /// `linear(784000, 256000)` is an error, not an out-of-memory crash.
    public static let maximumWeightCount = 1 << 28

    /// A layer with the given sizes. `weight` (`[out, in]`) and `bias` (`[out]`) are used
    /// when given; otherwise W is drawn by `initializer` from `source` and b is zero.
    public init(inputs: Int, outputs: Int, weight: Tensor? = nil, bias: Tensor? = nil,
                initializer: WeightInit = .auto, source: RandomSource = .shared) throws {
        guard inputs >= 1, outputs >= 1 else {
            throw EngineError("linear(\(inputs), \(outputs)) needs positive sizes",
                              hint: "write linear(inputs, outputs), e.g. linear(784, 256)")
        }
        guard inputs.multipliedReportingOverflow(by: outputs).overflow == false,
              inputs * outputs <= Linear.maximumWeightCount else {
            throw EngineError("linear(\(inputs), \(outputs)) would hold \(inputs)×\(outputs) weights, more than the limit of \(Linear.maximumWeightCount)",
                              hint: "check the sizes for a typo")
        }
        self.inputs = inputs
        self.outputs = outputs
        self.initializer = initializer

        let w: Tensor
        if let given = weight {
            w = try Linear.checkedWeight(given, inputs: inputs, outputs: outputs)
            effectiveInitializer = initializer
        } else {
            w = initializer.weights(outputs: outputs, inputs: inputs, source: source)
            effectiveInitializer = initializer == .auto ? .xavier : initializer
        }
        let b = try bias.map { try Linear.checkedBias($0, outputs: outputs) } ?? Tensor(zeros: [outputs])
        self.weight = Parameter(name: "weight", value: w)
        self.bias = Parameter(name: "bias", value: b)
        pendingAutoInit = PendingAutoInit(weights: w, pending: weight == nil && initializer == .auto)
    }

    private init(copying other: Linear) {
        inputs = other.inputs
        outputs = other.outputs
        initializer = other.initializer
        effectiveInitializer = other.effectiveInitializer
        weight = other.weight.copy()
        bias = other.bias.copy()
        pendingAutoInit = other.pendingAutoInit
    }

    public var kind: String { "linear" }
    public var arguments: [LayerArgument] { [.integer("in", inputs, positional: true), .integer("out", outputs, positional: true)] }
    public var parameters: [Parameter] { [weight, bias] }
    public var decayedParameters: [Parameter] { [weight] }
    public var isAffine: Bool { true }
    public func copy() -> Layer { Linear(copying: self) }

    public static let kinds = ["linear"]
    public static let builders = [LayerBuilder("linear", [.required("in"), .required("out"), .optional("weight"), .optional("bias"), .optional("init", .string("auto"))],
        help: "a fully connected layer z = W·a + b with W of shape [out, in]; init: \"auto\" \"he\" \"xavier\" \"normal\" \"uniform\" \"zeros\"") { call in
        let inputs = try call.count("in")
        let outputs = try call.count("out")
        do {
            _ = try TensorLimits.checkedShape([Double(outputs), Double(inputs)])
        } catch let e as EngineError {
            throw EngineError("linear(\(inputs), \(outputs)): \(e.message)", hint: e.hint)
        }
        let initializer = try call.initializer()
        var weight = try call.tensor("weight")
        if let w = weight, w.rank == 1, outputs == 1, w.count == inputs { weight = w.reshaped([1, inputs]) }
        if let w = weight, w.shape != [outputs, inputs] {
            throw call.error("weight", "weight must have shape [out, in] = \(Broadcasting.describe([outputs, inputs])), got \(Broadcasting.describe(w.shape))",
                             hint: "row i holds the weights into output unit i")
        }
        let bias = try call.tensor("bias")
        if let b = bias, b.count != outputs || b.rank > 1 {
            throw call.error("bias", "bias must have \(outputs) element\(outputs == 1 ? "" : "s") (one per output), got shape \(Broadcasting.describe(b.shape))")
        }
        return try Linear(inputs: inputs, outputs: outputs, weight: weight, bias: bias.map { $0.reshaped([outputs]) },
                          initializer: initializer, source: call.random)
    }]
    public static func parameterShapes(_ record: LayerRecord) throws -> [(name: String, shape: [Int])] {
        let (inputs, outputs) = (try record.count("in"), try record.count("out"))
        return [("weight", [outputs, inputs]), ("bias", [outputs])]
    }
    public static func make(_ record: LayerRecord) throws -> Layer {
        let (inputs, outputs) = (try record.count("in"), try record.count("out"))
        return try Linear(inputs: inputs, outputs: outputs, weight: Tensor(zeros: [outputs, inputs]), bias: Tensor(zeros: [outputs]))
    }

    // MARK: shape

    public var inputShape: SampleShape? { [inputs] }
    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        guard let input, input != [inputs], input != [nil] else { return [outputs] }
        if input.count == 1, let given = input[0] {
            throw ShapeProblem.expects("\(inputs) inputs", gives: "\(given)", fix: "make their sizes agree")
        }
        throw ShapeProblem.expects("\(inputs) inputs", gives: SampleShapes.text(input),
                                   fix: "put flatten before \(self) to make each sample a vector")
    }

    // MARK: step-through, tracing and export

    public func formula(input: String, output: String) -> String { "\(output) = W·\(input) + b" }

    /// x·Wᵀ + b, with W and b constants of the tape.
    public func forward(traced x: Traced) throws -> Traced {
        let w = try x.constant(weight.value).transposed()
        return try x.matmul(w).combined(.add, x.constant(bias.value))
    }

    /// Gemm with transB = 1, since W is [out, in].
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        graph.node("Gemm", [x, try graph.parameter("weight"), try graph.parameter("bias")], attributes: [.int("transB", 1)])
    }

    public var pytorch: PyTorchModule { PyTorchModule("nn.Linear(\(inputs), \(outputs))") }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        try forward(input, epilogue: .none, mode: mode)
    }

    /// The forward with the activation after it optionally fused into the kernel's epilogue
    /// (the network does this for `linear |> relu`; the output then holds relu(z), not z).
    func forward(_ input: Tensor, epilogue: MatMulEpilogue, mode: PassMode) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == inputs else {
            throw EngineError("\(self) expects \(inputs) inputs per sample but got shape \(input.shape)",
                              hint: "give a vector of \(inputs) numbers or a batch of shape [m, \(inputs)]")
        }
        guard weight.shape == [outputs, inputs], bias.value.count == outputs else {
            throw EngineError("\(self) has a weight of shape \(weight.value.shape) and a bias of shape \(bias.value.shape)",
                              hint: "W must be [\(outputs), \(inputs)] and b [\(outputs)]; assign them with setWeight/setBias")
        }
        // A training step holds the input rather than copying it (the copy of the first
        // layer's batch was 4% of an MNIST epoch); the trainer lets go of it after the
        // step, so that its owner writes it in place again (see `endTrainingStep`).
        if mode == .training {
            cachedInput = input
            zs.advance()
        } else {
            cachedInput.assign(input)
        }
        if mode == .training, zeroColumns.prepare(input, weight) {
            try zeroColumns.forward(bias: bias.value, epilogue: epilogue, into: &zs.current)
        } else {
            zeroColumns.end()
            try Tensor.multiplyAddingBias(input, weight.value, transposeB: true,
                                          bias: bias.value, epilogue: epilogue, into: &zs.current)
        }
        hasForward = true
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let m = try batchRows(of: outputGradient)
        // ∂C/∂A = δ·W, first: a step taken with ∂C/∂W changes W
        if needInputGradient { try Tensor.multiply(outputGradient, weight.value, into: &inputGradient) }
        try parameterGradients(outputGradient, rows: m)
        return needInputGradient ? inputGradient : nil
    }

    /// ∂C/∂A through the relu before this layer, `(δ·W) ⊙ [a > 0]` with a this layer's
    /// input (the relu's output), in one pass, and the parameter gradients as `backward`
    /// sets them: the network runs this for `relu |> linear` instead of the two backwards.
    func backwardThroughReLU(_ outputGradient: Tensor) throws -> Tensor {
        let m = try batchRows(of: outputGradient)
        try Tensor.multiply(outputGradient, weight.value, gatedBy: cachedInput, into: &inputGradient)
        try parameterGradients(outputGradient, rows: m)
        return inputGradient
    }

    /// The latest forward's batch size, once δ is known to fit that forward.
    private func batchRows(of outputGradient: Tensor) throws -> Int {
        guard hasForward else { throw backwardBeforeForward(self) }
        let m = cachedInput.shape[0]
        guard outputGradient.shape == [m, outputs] else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: [m, outputs])
        }
        return m
    }

    /// ∂C/∂W = δᵀ·A and ∂C/∂b = δ summed over the batch, taking the optimizer's step on W in
    /// the same pass when `train` left one pending (and then storing ∂C/∂W only if wanted).
    private func parameterGradients(_ outputGradient: Tensor, rows m: Int) throws {
        let step = weight.pendingStep
        if try zeroColumns.weightGradient(outputGradient, of: weight) {
            // over the nonzero columns of the input only, as the forward ran
        } else if let step {
            try Tensor.multiply(outputGradient, cachedInput, transposeA: true, into: &weight.grad,
                                stepping: &weight.value, by: -step.rate, keepingProduct: step.keepsGradient)
        } else {
            try Tensor.multiply(outputGradient, cachedInput, transposeA: true, into: &weight.grad)
        }
        if let step {
            if !step.keepsGradient { skippedGradientOf = outputGradient }
            weight.pendingStep = nil
        }
        Tensor.columnSums(of: outputGradient, rows: m, columns: outputs, scratch: &biasSums, into: &bias.grad)
    }

    public func endTrainingStep() {
        cachedInput = Tensor(zeros: [0, 0])
        skippedGradientOf = nil
        hasForward = false
        zeroColumns.end()
    }

    /// ∂C/∂W = δᵀ·A of the step just taken, from the same δ and A, so the same bits as if
    /// the step had stored it.
    public func storeSkippedGradients() throws {
        guard let outputGradient = skippedGradientOf else { return }
        try Tensor.multiply(outputGradient, cachedInput, transposeA: true, into: &weight.grad)
        skippedGradientOf = nil
    }

    /// Replaces W after checking its shape (`net[0].weight = [[...]]`); a vector is
    /// accepted for a single output unit.
    public func setWeight(_ w: Tensor) throws {
        weight.value = try Linear.checkedWeight(w, inputs: inputs, outputs: outputs)
    }

    /// Replaces b after checking its shape.
    public func setBias(_ b: Tensor) throws {
        bias.value = try Linear.checkedBias(b, outputs: outputs)
    }

    // MARK: init: "auto"

    /// True while `init: "auto"` has not been resolved and the weights are the initial draws.
    var isAutoInitPending: Bool { pendingAutoInit.isPending(weight.value) }

    /// Resolves `init: "auto"` once the next layer is known: He for a relu-family layer,
    /// Xavier otherwise. A no-op when the weights were given, set or trained since.
    func resolveAutoInit(nextIsReLUFamily: Bool) {
        if pendingAutoInit.resolve(weight, fanIn: inputs, fanOut: outputs, nextIsReLUFamily: nextIsReLUFamily) {
            effectiveInitializer = .he
        }
    }

    // MARK: shape checks for given tensors

    static func checkedWeight(_ w: Tensor, inputs: Int, outputs: Int) throws -> Tensor {
        if w.shape == [outputs, inputs] { return w }
        if outputs == 1, w.shape == [inputs] { return w.reshaped([1, inputs]) }
        var hint = "W has shape [out, in] = [\(outputs), \(inputs)]: one row of \(inputs) weights per output unit"
        if w.shape == [inputs, outputs] { hint += "; you gave [in, out], so transpose it" }
        throw EngineError("linear(\(inputs), \(outputs)) needs a weight of shape [\(outputs), \(inputs)] but got \(w.shape)",
                          hint: hint)
    }

    static func checkedBias(_ b: Tensor, outputs: Int) throws -> Tensor {
        if b.shape == [outputs] { return b }
        if b.count == outputs, b.rank == 0 || (b.rank == 2 && b.shape[0] == 1) { return b.reshaped([outputs]) }
        throw EngineError("a linear layer with \(outputs) outputs needs a bias of shape [\(outputs)] but got \(b.shape)",
                          hint: "give one bias per output unit, e.g. [\(Array(repeating: "0", count: min(outputs, 4)).joined(separator: ", "))\(outputs > 4 ? ", ..." : "")]")
    }
}
