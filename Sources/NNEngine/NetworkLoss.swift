/// Losses of a network's predictions, and the one entry point for gradients.
extension Network {
    /// The training step's work short of the update: a forward pass (training mode unless
    /// told), the loss C, and a backward pass setting every parameter's `grad` (the first
    /// layer skips ∂C/∂x). Returns C.
    ///
    /// A final `softmax` with `cross_entropy`, or a final `sigmoid` with `bce`, is fused with
    /// the loss: C is computed from the logits that layer received, and (p − y)/m — divided
    /// by m·k for bce, which averages over every output — is handed straight to its input.
    @discardableResult
    public func lossAndGradients(input: Tensor, target: Tensor, loss: Loss, mode: PassMode = .training,
                                 trace: BackwardTrace? = nil, forwardTrace: ForwardTrace? = nil) throws -> Double {
        try lossAndGradients(input: input, target: target, loss: loss, mode: mode, trace: trace,
                             forwardTrace: forwardTrace, needInputGradient: false).loss
    }

    /// As `lossAndGradients`, also returning ∂C/∂x (same shape as `input`).
    public func lossAndInputGradient(input: Tensor, target: Tensor, loss: Loss, mode: PassMode = .training,
                                     trace: BackwardTrace? = nil,
                                     forwardTrace: ForwardTrace? = nil) throws -> (loss: Double, inputGradient: Tensor) {
        let r = try lossAndGradients(input: input, target: target, loss: loss, mode: mode, trace: trace,
                                     forwardTrace: forwardTrace, needInputGradient: true)
        return (r.loss, r.inputGradient ?? Tensor(zeros: input.shape))
    }

    /// C of the network's predictions for `input` against `target`, without gradients
    /// (what `loss_of` reports; inference mode unless told).
    public func loss(of input: Tensor, target: Tensor, loss: Loss, mode: PassMode = .inference) throws -> Double {
        let (batch, _) = try asBatch(input)
        let prediction = try Loss.asBatch(try forwardBatch(batch, mode: mode, trace: nil))
        var noGradient: Tensor? = nil
        return try evaluate(loss, prediction: prediction, target: target, gradient: &noGradient).value
    }

    // MARK: internals

    func lossAndGradients(input: Tensor, target: Tensor, loss: Loss, mode: PassMode, trace: BackwardTrace?,
                          forwardTrace: ForwardTrace?, needInputGradient: Bool) throws -> (loss: Double, inputGradient: Tensor?) {
        let (batch, wasVector) = try asBatch(input)
        defer { endTrainingStep() }
        let output = try forwardBatch(batch, mode: mode, trace: forwardTrace)
        if wasVector { forwardTrace?.unbatch() }
        let prediction = try Loss.asBatch(output)

        var gradient = lossGradient
        lossGradient = nil                 // so `gradient` is uniquely held and written in place
        defer { lossGradient = gradient }
        let (value, fused) = try evaluate(loss, prediction: prediction, target: target, gradient: &gradient)
        guard var g = gradient else { return (value, nil) }
        g.resize(to: output.shape)

        trace?.begin()
        trace?.loss = value
        trace?.lossFunction = loss
        if !fused { trace?.lossGradient = g }
        var dx = try backwardBatch(g, from: layers.count - 1, trace: trace, fusedTop: fused,
                                   needInputGradient: needInputGradient)
        if wasVector {
            trace?.unbatch()
            dx = dx.map(unbatched)
        }
        if needInputGradient, let d = dx, d.shape != input.shape, d.count == input.count {
            dx = d.reshaped(input.shape)
        }
        return (value, dx)
    }

    /// The loss of `prediction` ([m, k]) and, when `gradient` is non-nil, the gradient to
    /// start the backward from; `fused` says it is at the final layer's input.
    func evaluate(_ loss: Loss, prediction: Tensor, target: Tensor,
                  gradient: inout Tensor?) throws -> (value: Double, fused: Bool) {
        let m = prediction.shape[0], k = prediction.shape[1]
        let prepared = try loss.prepareTarget(target, rows: m, columns: k)
        switch (loss, layers.last) {
        case (.crossEntropy, let softmax as Softmax):
            let logits = softmax.cachedInput.reshaped(prediction.shape)
            return (Loss.crossEntropy(logits: logits, probabilities: prediction, prepared, gradient: &gradient), true)
        case (.bce, let sigmoid as Activation) where sigmoid.function == .sigmoid:
            let logits = sigmoid.cachedInput.reshaped(prediction.shape)
            return (Loss.binaryCrossEntropy(logits: logits, probabilities: prediction, prepared, gradient: &gradient), true)
        case (.mse, _):
            return (Loss.meanSquaredError(prediction, prepared, gradient: &gradient), false)
        case (.bce, _):
            return (Loss.binaryCrossEntropy(probabilities: prediction, prepared, gradient: &gradient), false)
        case (.crossEntropy, _):
            return (Loss.crossEntropy(logits: prediction, probabilities: nil, prepared, gradient: &gradient), false)
        }
    }
}
