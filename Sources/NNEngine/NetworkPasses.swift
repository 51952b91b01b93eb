/// The forward and backward passes of a network.
///
/// A pass takes one sample (a vector `[in]`) or a batch (`[m, in]`, samples as rows) and
/// gives back the same form. Layers write into buffers they keep, so a training step
/// allocates nothing in its steady state.
extension Network {
    /// ŷ = net(x). `mode` selects dropout and batchnorm behaviour; a `trace` records each
    /// layer's input and output (and disables the linear+relu fusion so z is recorded).
    public func forward(_ x: Tensor, mode: PassMode = .inference, trace: ForwardTrace? = nil) throws -> Tensor {
        let (batch, wasVector) = try asBatch(x)
        let y = try forwardBatch(batch, mode: mode, trace: trace)
        if wasVector {
            trace?.unbatch()
            return unbatched(y)
        }
        return y
    }

    /// Given ∂C/∂ŷ for the latest forward (same shape as its output), sets every parameter's
    /// `grad` and returns ∂C/∂x when `needInputGradient` (else nil: the first layer then
    /// skips computing it).
    @discardableResult
    public func backward(_ outputGradient: Tensor, trace: BackwardTrace? = nil,
                         needInputGradient: Bool = false) throws -> Tensor? {
        // A gradient of one sample's output shape is for one sample.
        let oneOutput = outputShapes.last ?? inputShape
        let wasVector = inputShape != nil && oneOutput.map { outputGradient.rank == $0.count } == true
        let g = wasVector ? outputGradient.reshaped([1] + outputGradient.shape) : outputGradient
        trace?.begin()
        let dx = try backwardBatch(g, from: layers.count - 1, trace: trace, fusedTop: false,
                                   needInputGradient: needInputGradient)
        if wasVector {
            trace?.unbatch()
            return dx.map(unbatched)
        }
        return dx
    }

    /// A forward and backward are done: layers let go of the tensors they held for the
    /// backward (see `Layer.endTrainingStep`), so the next step writes every buffer in place.
    func endTrainingStep() {
        for layer in layers { layer.endTrainingStep() }
    }

    /// The gradients a step took its plain SGD step without storing (see `PendingStep`),
    /// stored after all: training stops after that step.
    func storeSkippedGradients() throws {
        for layer in layers { try layer.storeSkippedGradients() }
    }

    // MARK: internals

    /// x as a batch `[m, ...]`, and whether it was one sample: a tensor of the rank of one
    /// input sample is one sample. Networks that take any shape (only activations) take x
    /// as it is.
    func asBatch(_ x: Tensor) throws -> (Tensor, Bool) {
        guard let sample = inputShape else { return (x, false) }
        let expected = SampleShapes.batchText(sample)
        if let width = SampleShapes.width(sample) {
            let hint = "give a vector of \(width) numbers or a batch of shape [m, \(width)] (one sample per row)"
            switch x.rank {
            case 1:
                guard x.shape[0] == width else {
                    throw EngineError("network expects \(width) inputs per sample but x has \(x.shape[0])", hint: hint)
                }
                return (x.reshaped([1, width]), true)
            case 2:
                guard x.shape[1] == width else {
                    throw EngineError("network expects \(width) inputs per sample but x has \(x.shape[1]) (shape \(x.shape))",
                                      hint: hint)
                }
                return (x, false)
            default:
                throw EngineError("network expects \(width) inputs per sample but x has shape \(x.shape)", hint: hint)
            }
        }
        var hint = "give one sample of shape \(SampleShapes.text(sample)) or a batch of shape \(expected)"
        if x.rank <= 2, sample.count == 3, let c = sample[0], let n = x.shape.last, n % c == 0,
           case let side = Int(Double(n / c).squareRoot().rounded()), side * side * c == n {
            hint = "start the network with reshape(\(c), \(side), \(side)) to make rows of \(n) numbers images"
        }
        if x.rank == sample.count, SampleShapes.fits(x.shape, sample) {
            return (x.reshaped([1] + x.shape), true)
        }
        if x.rank == sample.count + 1, SampleShapes.fits(Array(x.shape.dropFirst()), sample) {
            return (x, false)
        }
        throw EngineError("network expects samples of shape \(SampleShapes.text(sample)) but x has shape \(x.shape)", hint: hint)
    }

    func forwardBatch(_ x: Tensor, mode: PassMode, trace: ForwardTrace?) throws -> Tensor {
        trace?.begin(mode: mode)
        var a = x
        var index = 0
        while index < layers.count {
            let layer = layers[index]
            if trace == nil, fusesLinearReLU, index + 1 < layers.count,
               let producer = layer as? ReLUFusing,
               let relu = layers[index + 1] as? Activation, relu.function == .relu {
                a = try producer.forward(a, epilogue: .relu, mode: mode)
                relu.adoptFusedForward(from: producer)
                index += 2
                continue
            }
            let out = try layer.forward(a, mode: mode)
            trace?.record(index: index, layer: layer, input: a, output: out)
            a = out
            index += 1
        }
        return a
    }

    /// Backward from layer `top` down with `gradient` = ∂C/∂(output of `top`) — or, when
    /// `fusedTop`, ∂C/∂(input of layer `top`), already computed with the loss.
    func backwardBatch(_ gradient: Tensor, from top: Int, trace: BackwardTrace?, fusedTop: Bool,
                       needInputGradient: Bool) throws -> Tensor? {
        var g: Tensor? = gradient
        var index = top
        if fusedTop {
            trace?.record(index: top, layer: layers[top], outputGradient: nil,
                          inputGradient: top > 0 || needInputGradient ? gradient : nil, fusedWithLoss: true)
            index -= 1
        }
        // Without a trace or a wanted ∂C/∂x, the layers below the first one with parameters
        // (reshape, a frozen stem) need no gradient: a first conv2d then skips its ∂C/∂x,
        // as costly as its forward.
        let bottom = trace != nil || needInputGradient ? 0 : layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
        while index >= bottom, let upstream = g {
            let layer = layers[index]
            // A relu just below whose ∂C/∂z is wanted: a max pool or a linear layer computes
            // it together with its own backward, and the relu's pass is skipped.
            let reluBelow = trace == nil && (index - 1 > bottom || (index - 1 == bottom && needInputGradient))
                && (layers[index - 1] as? Activation)?.function == .relu
            if reluBelow, let pool = layer as? Pool2D, pool.absorbsReLUBackward {
                g = try pool.backwardThroughReLU(upstream)
                index -= 2
                continue
            }
            if reluBelow, let linear = layer as? Linear {
                g = try linear.backwardThroughReLU(upstream)
                index -= 2
                continue
            }
            let wantInput = index > bottom || needInputGradient
            g = try layer.backward(upstream, needInputGradient: wantInput)
            trace?.record(index: index, layer: layer, outputGradient: upstream,
                          inputGradient: g, fusedWithLoss: false)
            index -= 1
        }
        return g
    }
}
