/// The bridge between the engine's layer classes and their file form.
extension LayerSpec {
    /// The spec of an engine layer.
    /// - Throws: `EngineError` for a layer kind that has no file form.
    public init(layer: Layer) throws {
        switch layer {
        case let linear as Linear:
            self = .linear(inputs: linear.inputs, outputs: linear.outputs)
        case let activation as Activation:
            switch activation.function {
            case .sigmoid: self = .sigmoid
            case .tanh: self = .tanh
            case .relu: self = .relu
            case .gelu: self = .gelu
            case .identity: self = .identity
            case .step: self = .step
            case let .leakyReLU(alpha): self = .leakyReLU(alpha: alpha)
            case let .elu(alpha): self = .elu(alpha: alpha)
            }
        case is Softmax:
            self = .softmax
        case let dropout as Dropout:
            self = .dropout(p: dropout.p)
        case let batchnorm as BatchNorm:
            self = .batchnorm(features: batchnorm.features, epsilon: BatchNorm.epsilon, momentum: BatchNorm.momentum)
        default:
            throw EngineError("a \(layer.kind) layer (\(layer)) has no file form",
                              hint: "save, load and export handle linear, the activations, softmax, dropout and batchnorm")
        }
    }

    /// A new engine layer of this architecture with zero-initialised parameters (the caller
    /// fills them from a file). `index` (from 1) names the layer in errors.
    public func makeLayer(index: Int) throws -> Layer {
        switch self {
        case let .linear(inputs, outputs):
            return try Linear(inputs: inputs, outputs: outputs,
                              weight: Tensor(zeros: [outputs, inputs]), bias: Tensor(zeros: [outputs]))
        case .sigmoid: return Activation(.sigmoid)
        case .tanh: return Activation(.tanh)
        case .relu: return Activation(.relu)
        case .gelu: return Activation(.gelu)
        case .identity: return Activation(.identity)
        case .step: return Activation(.step)
        case let .leakyReLU(alpha): return Activation(.leakyReLU(alpha: alpha))
        case let .elu(alpha): return Activation(.elu(alpha: alpha))
        case .softmax: return Softmax()
        case let .dropout(p): return try Dropout(p: p)
        case let .batchnorm(features, epsilon, momentum):
            // nns's batchnorm has PyTorch's fixed defaults; a file asking for others cannot be honoured.
            guard epsilon == BatchNorm.epsilon, momentum == BatchNorm.momentum else {
                throw EngineError("layer \(index) is batchnorm(\(features)) with eps \(epsilon) and momentum \(momentum); nns supports only eps \(BatchNorm.epsilon) and momentum \(BatchNorm.momentum)")
            }
            return try BatchNorm(features: features)
        }
    }
}
