/// `batchnorm(n)`: batch normalisation over the batch axis of `[m, n]`, as PyTorch's
/// `BatchNorm1d(n)`: y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε), ε = 1e−5.
///
/// Training uses the batch's mean μ and biased variance σ², and updates the running
/// statistics with momentum 0.1: running = 0.9·running + 0.1·batch, the variance entering
/// unbiased (σ²·m/(m − 1)), exactly as PyTorch. Inference uses the running statistics.
/// Parameters `weight` (γ, ones) and `bias` (β, zeros); buffers `running_mean` (zeros),
/// `running_var` (ones) and `num_batches_tracked` (a count), named and ordered as in
/// PyTorch's state_dict.
///
/// Backward in training (x̂ depends on the whole batch), per feature, with g = ∂C/∂y:
/// ∂C/∂x = (γ/(m·√(σ²+ε)))·(m·g − Σg − x̂·Σ(g·x̂)); ∂C/∂γ = Σ g·x̂; ∂C/∂β = Σ g.
/// In inference it is the affine map's: ∂C/∂x = g·γ/√(running_var + ε).
public final class BatchNorm: Layer {
    public let features: Int
    public static let epsilon: Float = 1e-5
    public static let momentum: Float = 0.1
    /// γ, shape `[n]`.
    public let weight: Parameter
    /// β, shape `[n]`.
    public let bias: Parameter
    public let runningMean: Parameter
    public let runningVar: Parameter
    /// How many training batches updated the running statistics (PyTorch keeps it as int64).
    public let batchesTracked: Parameter

    private var normalized = Tensor(zeros: [0, 0])          // x̂
    private var inverseDeviation = [Float]()                 // 1/√(σ² + ε) per feature
    private var output = Tensor(zeros: [0, 0])
    private var inputGradient = Tensor(zeros: [0, 0])
    private var lastMode: PassMode?

    public init(features: Int) throws {
        guard features >= 1, features <= 1 << 24 else {
            throw EngineError("batchnorm(\(features)) needs between 1 and \(1 << 24) features",
                              hint: "give the width of the layer before it, e.g. batchnorm(256)")
        }
        self.features = features
        let p = BatchNorm.initialParameters(features)
        (weight, bias, runningMean, runningVar, batchesTracked) = (p[0], p[1], p[2], p[3], p[4])
    }

    /// γ (ones), β (zeros), running mean (zeros), running variance (ones) and the batch
    /// count, for `n` features or channels, as PyTorch starts them (batchnorm2d's too).
    static func initialParameters(_ n: Int) -> [Parameter] {
        [Parameter(name: "weight", value: Tensor(repeating: 1, shape: [n])),
         Parameter(name: "bias", value: Tensor(zeros: [n])),
         Parameter(name: "running_mean", value: Tensor(zeros: [n]), isTrainable: false),
         Parameter(name: "running_var", value: Tensor(repeating: 1, shape: [n]), isTrainable: false),
         Parameter(name: "num_batches_tracked", value: Tensor(scalar: 0), isTrainable: false)]
    }

    static func parameterShapes(count n: Int) -> [(name: String, shape: [Int])] {
        [("weight", [n]), ("bias", [n]), ("running_mean", [n]), ("running_var", [n]), ("num_batches_tracked", [])]
    }

    public var kind: String { "batchnorm" }
    public var arguments: [LayerArgument] {
        [.integer("n", features, positional: true),
         .real("eps", BatchNorm.epsilon, default: BatchNorm.epsilon), .real("momentum", BatchNorm.momentum, default: BatchNorm.momentum)]
    }
    public var parameters: [Parameter] { [weight, bias, runningMean, runningVar, batchesTracked] }
    public var isTransparentToInit: Bool { true }
    public var usesBatchStatistics: Bool { true }

    public static let kinds = ["batchnorm"]
    public static let builders = [LayerBuilder("batchnorm", [.required("n")],
        help: "batch normalisation of n features (as PyTorch's BatchNorm1d)") { call in
        try BatchNorm(features: try call.count("n"))
    }]
    public static func parameterShapes(_ record: LayerRecord) throws -> [(name: String, shape: [Int])] {
        parameterShapes(count: try record.count("n"))
    }
    public static func make(_ record: LayerRecord) throws -> Layer {
        let features = try record.count("n")
        let epsilon = Float(try record.real("eps", default: Double(BatchNorm.epsilon)))
        let momentum = Float(try record.real("momentum", default: Double(BatchNorm.momentum)))
        // nns's batchnorm has PyTorch's fixed defaults; a file asking for others cannot be honoured.
        guard epsilon == BatchNorm.epsilon, momentum == BatchNorm.momentum else {
            throw EngineError("layer \(record.index) is batchnorm(\(features)) with eps \(epsilon) and momentum \(momentum); nns supports only eps \(BatchNorm.epsilon) and momentum \(BatchNorm.momentum)")
        }
        return try BatchNorm(features: features)
    }

    public var inputShape: SampleShape? { [features] }
    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        guard let input, input != [features] else { return [features] }
        throw ShapeProblem.expects("\(features) features", gives: input.count == 1 ? input[0].map(String.init) ?? "?" : SampleShapes.text(input),
                                   fix: input.count == 1 ? "make their sizes agree" : "use batchnorm2d(c) for [c, h, w] samples")
    }

    public func formula(input: String, output: String) -> String { "\(output) = γ·(\(input) − μ)/√(σ² + ε) + β" }

    /// scale, B, input_mean, input_var; num_batches_tracked has no ONNX counterpart.
    /// ONNX's momentum weighs the running value, PyTorch's the batch's.
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        try BatchNorm.exportNode(x, to: graph)
    }

    /// The BatchNormalization node (it normalises axis 1 of any rank: batchnorm2d's too).
    static func exportNode(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        let inputs = try ["weight", "bias", "running_mean", "running_var"].map { try graph.parameter($0) }
        return graph.node("BatchNormalization", [x] + inputs,
                          attributes: [.float("epsilon", BatchNorm.epsilon), .float("momentum", 1 - BatchNorm.momentum)])
    }

    public var pytorch: PyTorchModule {
        PyTorchModule("nn.BatchNorm1d(\(features), eps=\(PyTorchModule.float(BatchNorm.epsilon)), momentum=\(PyTorchModule.float(BatchNorm.momentum)))")
    }

    public func copy() -> Layer {
        let c = try! BatchNorm(features: features)   // features was validated by self's init
        for (mine, theirs) in zip(c.parameters, parameters) {
            mine.value = theirs.value
            mine.grad = theirs.grad
        }
        return c
    }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == features else {
            throw EngineError("\(self) expects \(features) features per sample but got shape \(input.shape)",
                              hint: "batchnorm(n) normalises the n outputs of the layer before it")
        }
        let m = input.shape[0], n = features
        if mode == .training && m < 2 {
            throw EngineError("\(self) needs more than one sample per batch in training",
                              hint: "use batches of 2 or more, or run in inference mode")
        }
        lastMode = mode
        normalized.resize(to: input.shape)
        output.resize(to: input.shape)
        if inverseDeviation.count != n { inverseDeviation = [Float](repeating: 0, count: n) }
        var mean = [Double](repeating: 0, count: n)
        if mode == .training {
            var variance = [Double](repeating: 0, count: n)
            for i in 0..<m { for j in 0..<n { mean[j] += Double(input.scalars[i * n + j]) } }
            for j in 0..<n { mean[j] /= Double(m) }
            for i in 0..<m {
                for j in 0..<n {
                    let d = Double(input.scalars[i * n + j]) - mean[j]
                    variance[j] += d * d
                }
            }
            let mom = Double(BatchNorm.momentum)
            for j in 0..<n {
                let biased = variance[j] / Double(m)
                inverseDeviation[j] = Float(1 / (biased + Double(BatchNorm.epsilon)).squareRoot())
                runningMean.value.scalars[j] = Float((1 - mom) * Double(runningMean.value.scalars[j]) + mom * mean[j])
                runningVar.value.scalars[j] = Float((1 - mom) * Double(runningVar.value.scalars[j])
                                                    + mom * variance[j] / Double(m - 1))
            }
            batchesTracked.value.scalars[0] += 1
        } else {
            for j in 0..<n {
                mean[j] = Double(runningMean.value.scalars[j])
                inverseDeviation[j] = Float(1 / (Double(runningVar.value.scalars[j]) + Double(BatchNorm.epsilon)).squareRoot())
            }
        }
        for i in 0..<m {
            for j in 0..<n {
                let xhat = Float((Double(input.scalars[i * n + j]) - mean[j]) * Double(inverseDeviation[j]))
                normalized.scalars[i * n + j] = xhat
                output.scalars[i * n + j] = weight.value.scalars[j] * xhat + bias.value.scalars[j]
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let mode = lastMode else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == normalized.shape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: normalized.shape)
        }
        let m = normalized.shape[0], n = features
        var sumG = [Double](repeating: 0, count: n)
        var sumGX = [Double](repeating: 0, count: n)
        for i in 0..<m {
            for j in 0..<n {
                let g = Double(outputGradient.scalars[i * n + j])
                sumG[j] += g
                sumGX[j] += g * Double(normalized.scalars[i * n + j])
            }
        }
        weight.grad.resize(to: [n])
        bias.grad.resize(to: [n])
        for j in 0..<n {
            weight.grad.scalars[j] = Float(sumGX[j])
            bias.grad.scalars[j] = Float(sumG[j])
        }
        guard needInputGradient else { return nil }
        inputGradient.resize(to: normalized.shape)
        for i in 0..<m {
            for j in 0..<n {
                let g = Double(outputGradient.scalars[i * n + j])
                let scale = Double(weight.value.scalars[j]) * Double(inverseDeviation[j])
                if mode == .training {
                    let xhat = Double(normalized.scalars[i * n + j])
                    inputGradient.scalars[i * n + j] = Float(scale / Double(m) * (Double(m) * g - sumG[j] - xhat * sumGX[j]))
                } else {
                    inputGradient.scalars[i * n + j] = Float(scale * g)
                }
            }
        }
        return inputGradient
    }
}
