/// `batchnorm2d(c)`: batch normalisation of each channel of a batch of images `[m, c, h, w]`
/// over its m·h·w values, as PyTorch's `BatchNorm2d(c)`: y = γ·x̂ + β with
/// x̂ = (x − μ)/√(σ² + ε), ε = 1e−5, one μ, σ², γ, β per channel.
///
/// Training uses the batch's per-channel mean and biased variance and updates the running
/// statistics with momentum 0.1, the variance entering unbiased (σ²·N/(N − 1), N = m·h·w),
/// exactly as PyTorch; inference uses the running statistics. Parameters and buffers have
/// `batchnorm`'s names and order (`weight`, `bias`, `running_mean`, `running_var`,
/// `num_batches_tracked`). The backward is `batchnorm`'s with N = m·h·w values per channel:
/// ∂C/∂x = (γ/(N·√(σ²+ε)))·(N·g − Σg − x̂·Σ(g·x̂)); ∂C/∂γ = Σ g·x̂; ∂C/∂β = Σ g.
public final class BatchNorm2D: Layer {
    public let channels: Int
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Parameter
    public let runningVar: Parameter
    public let batchesTracked: Parameter

    private var normalized = Tensor(zeros: [0])          // x̂
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var inverseDeviation = [Double]()             // 1/√(σ² + ε) per channel
    private var mean = [Double](), sumG = [Double](), sumGX = [Double]()
    private var lastMode: PassMode?

    public init(channels: Int) throws {
        guard channels >= 1, channels <= 1 << 24 else {
            throw EngineError("batchnorm2d(\(channels)) needs between 1 and \(1 << 24) channels",
                              hint: "give the channels of the layer before it, e.g. batchnorm2d(32)")
        }
        self.channels = channels
        let p = BatchNorm.initialParameters(channels)
        (weight, bias, runningMean, runningVar, batchesTracked) = (p[0], p[1], p[2], p[3], p[4])
    }

    public var kind: String { "batchnorm2d" }
    public var arguments: [LayerArgument] { [.integer("c", channels, positional: true)] }
    public var parameters: [Parameter] { [weight, bias, runningMean, runningVar, batchesTracked] }
    public var isTransparentToInit: Bool { true }
    public var usesBatchStatistics: Bool { true }

    public static let kinds = ["batchnorm2d"]
    public static let builders = [LayerBuilder("batchnorm2d", [.required("c")],
        help: "batch normalisation of each of c channels over batch, height and width (as PyTorch's BatchNorm2d)") { call in
        try BatchNorm2D(channels: try call.count("c"))
    }]
    public static func parameterShapes(_ record: LayerRecord) throws -> [(name: String, shape: [Int])] {
        BatchNorm.parameterShapes(count: try record.count("c"))
    }
    public static func make(_ record: LayerRecord) throws -> Layer { try BatchNorm2D(channels: try record.count("c")) }

    public func copy() -> Layer {
        let c = try! BatchNorm2D(channels: channels)   // channels was validated by self's init
        for (mine, theirs) in zip(c.parameters, parameters) {
            mine.value = theirs.value
            mine.grad = theirs.grad
        }
        return c
    }

    public var inputShape: SampleShape? { [channels, nil, nil] }
    public func outputShape(forInput input: SampleShape?) throws -> SampleShape? {
        guard let input else { return [channels, nil, nil] }
        guard input.count == 3 else {
            throw ShapeProblem.expects("images of \(channels) channels [c, h, w]", gives: SampleShapes.text(input),
                                       fix: "use batchnorm(n) for flat samples")
        }
        if let c = input[0], c != channels {
            throw ShapeProblem.expects("\(channels) channels", gives: "\(c)", fix: "write batchnorm2d(\(c))")
        }
        return [channels, input[1], input[2]]
    }

    public func formula(input: String, output: String) -> String { "\(output)[c] = γ[c]·(\(input)[c] − μ[c])/√(σ²[c] + ε) + β[c]" }

    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String { try BatchNorm.exportNode(x, to: graph) }

    public var pytorch: PyTorchModule {
        PyTorchModule("nn.BatchNorm2d(\(channels), eps=\(PyTorchModule.float(BatchNorm.epsilon)), momentum=\(PyTorchModule.float(BatchNorm.momentum)))")
    }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        guard input.rank == 4, input.shape[1] == channels else {
            throw EngineError("\(self) expects images of shape [m, \(channels), h, w] but got \(input.shape)",
                              hint: "batchnorm2d(c) normalises the c channels of the layer before it")
        }
        let m = input.shape[0], c = channels, plane = input.shape[2] * input.shape[3]
        let n = m * plane
        if mode == .training && n < 2 {
            throw EngineError("\(self) needs more than one value per channel in training",
                              hint: "use batches of 2 or more, or run in inference mode")
        }
        lastMode = mode
        normalized.resize(to: input.shape)
        output.resize(to: input.shape)
        if mean.count != c {
            (mean, inverseDeviation, sumG, sumGX) = ([Double](repeating: 0, count: c), [Double](repeating: 0, count: c),
                                                    [Double](repeating: 0, count: c), [Double](repeating: 0, count: c))
        }
        let x = input.scalars
        for ch in 0..<c {
            if mode == .training {
                var sum = 0.0
                for i in 0..<m { let base = (i * c + ch) * plane; for k in 0..<plane { sum += Double(x[base + k]) } }
                let mu = sum / Double(n)
                var squares = 0.0
                for i in 0..<m {
                    let base = (i * c + ch) * plane
                    for k in 0..<plane { let d = Double(x[base + k]) - mu; squares += d * d }
                }
                let mom = Double(BatchNorm.momentum)
                mean[ch] = mu
                inverseDeviation[ch] = 1 / (squares / Double(n) + Double(BatchNorm.epsilon)).squareRoot()
                runningMean.value.scalars[ch] = Float((1 - mom) * Double(runningMean.value.scalars[ch]) + mom * mu)
                runningVar.value.scalars[ch] = Float((1 - mom) * Double(runningVar.value.scalars[ch]) + mom * squares / Double(n - 1))
            } else {
                mean[ch] = Double(runningMean.value.scalars[ch])
                inverseDeviation[ch] = 1 / (Double(runningVar.value.scalars[ch]) + Double(BatchNorm.epsilon)).squareRoot()
            }
            let (mu, inv) = (mean[ch], inverseDeviation[ch])
            let (gamma, beta) = (weight.value.scalars[ch], bias.value.scalars[ch])
            for i in 0..<m {
                let base = (i * c + ch) * plane
                for k in 0..<plane {
                    let xhat = Float((Double(x[base + k]) - mu) * inv)
                    normalized.scalars[base + k] = xhat
                    output.scalars[base + k] = gamma * xhat + beta
                }
            }
        }
        if mode == .training { batchesTracked.value.scalars[0] += 1 }
        return output
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let mode = lastMode else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == normalized.shape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: normalized.shape)
        }
        let shape = normalized.shape
        let m = shape[0], c = channels, plane = shape[2] * shape[3]
        let n = Double(m * plane)
        let g = outputGradient.scalars
        for ch in 0..<c {
            var (sg, sgx) = (0.0, 0.0)
            for i in 0..<m {
                let base = (i * c + ch) * plane
                for k in 0..<plane {
                    sg += Double(g[base + k])
                    sgx += Double(g[base + k]) * Double(normalized.scalars[base + k])
                }
            }
            (sumG[ch], sumGX[ch]) = (sg, sgx)
        }
        weight.grad.resize(to: [c])
        bias.grad.resize(to: [c])
        for ch in 0..<c {
            weight.grad.scalars[ch] = Float(sumGX[ch])
            bias.grad.scalars[ch] = Float(sumG[ch])
        }
        guard needInputGradient else { return nil }
        inputGradient.resize(to: shape)
        for ch in 0..<c {
            let scale = Double(weight.value.scalars[ch]) * inverseDeviation[ch]
            for i in 0..<m {
                let base = (i * c + ch) * plane
                for k in 0..<plane {
                    let gk = Double(g[base + k])
                    if mode == .training {
                        let xhat = Double(normalized.scalars[base + k])
                        inputGradient.scalars[base + k] = Float(scale / n * (n * gk - sumG[ch] - xhat * sumGX[ch]))
                    } else {
                        inputGradient.scalars[base + k] = Float(scale * gk)
                    }
                }
            }
        }
        return inputGradient
    }
}
