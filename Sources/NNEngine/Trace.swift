/// What a forward pass records, layer by layer, for step-through (`:step forward`):
/// for a linear layer its input a (a⁰ = x for the first) and output z = W·a + b; for an
/// activation its input z and output a = h(z).
///
/// Pass one to `Network.forward(_:mode:trace:)`. Without a trace nothing is recorded and
/// nothing copied; with one, each entry holds the layer's tensors as they were (the layer's
/// next write copies its buffer rather than change what the trace holds).
public final class ForwardTrace {
    public struct Step {
        /// Position in the network (0-based, as in `0.weight`).
        public let index: Int
        public let layer: Layer
        /// What the layer received (a vector when the pass was given one sample).
        public let input: Tensor
        /// What it gave.
        public let output: Tensor
    }

    public private(set) var steps: [Step] = []
    /// The mode of the recorded pass.
    public private(set) var mode: PassMode = .inference

    public init() {}

    func begin(mode: PassMode) {
        steps.removeAll(keepingCapacity: true)
        self.mode = mode
    }

    func record(index: Int, layer: Layer, input: Tensor, output: Tensor) {
        steps.append(Step(index: index, layer: layer, input: input, output: output))
    }

    /// Reshapes the recorded tensors of a one-sample pass back to vectors.
    func unbatch() {
        steps = steps.map { s in
            Step(index: s.index, layer: s.layer, input: unbatched(s.input), output: unbatched(s.output))
        }
    }
}

/// What a backward pass records, from the top layer down (`:step backward`): the loss, then
/// per layer ∂C/∂output (for a linear layer that is δ = ∂C/∂z; for an activation ∂C/∂a),
/// each parameter's gradient (∂C/∂W = δᵀ·a, ∂C/∂b = Σδ) and the gradient handed down
/// (∂C/∂input: δ·W for a linear layer, ∂C/∂a ⊙ h'(z) for an activation).
public final class BackwardTrace {
    public struct Step {
        public let index: Int
        public let layer: Layer
        /// ∂C/∂output of this layer; nil for a final softmax/sigmoid fused with its loss,
        /// whose gradient at its input, (p − y)/m, is computed directly.
        public let outputGradient: Tensor?
        /// Gradients of the layer's trainable parameters, in state_dict order.
        public let parameterGradients: [(name: String, gradient: Tensor)]
        /// ∂C/∂input, handed to the layer below; nil for the first layer (not needed).
        public let inputGradient: Tensor?
        /// True when this layer's backward was fused with the loss.
        public let fusedWithLoss: Bool

        /// ∂C/∂W of a linear layer.
        public var weightGradient: Tensor? { parameterGradients.first { $0.name == "weight" }?.gradient }
        /// ∂C/∂b of a linear layer.
        public var biasGradient: Tensor? { parameterGradients.first { $0.name == "bias" }?.gradient }
    }

    /// The loss of the pass, when it was started from a loss.
    public internal(set) var loss: Double?
    /// The loss function used, if any.
    public internal(set) var lossFunction: Loss?
    /// ∂C/∂ŷ, the gradient at the network's output (nil when fused with the final layer).
    public internal(set) var lossGradient: Tensor?
    /// One entry per layer, top layer first.
    public private(set) var steps: [Step] = []

    public init() {}

    func begin() {
        steps.removeAll(keepingCapacity: true)
        loss = nil
        lossFunction = nil
        lossGradient = nil
    }

    func record(index: Int, layer: Layer, outputGradient: Tensor?, inputGradient: Tensor?, fusedWithLoss: Bool) {
        let grads = layer.parameters.filter(\.isTrainable).map { (name: $0.name, gradient: $0.grad) }
        steps.append(Step(index: index, layer: layer, outputGradient: outputGradient,
                          parameterGradients: grads, inputGradient: inputGradient,
                          fusedWithLoss: fusedWithLoss))
    }

    /// Reshapes the recorded tensors of a one-sample pass back to vectors.
    func unbatch() {
        lossGradient = lossGradient.map(unbatched)
        steps = steps.map { s in
            Step(index: s.index, layer: s.layer, outputGradient: s.outputGradient.map(unbatched),
                 parameterGradients: s.parameterGradients, inputGradient: s.inputGradient.map(unbatched),
                 fusedWithLoss: s.fusedWithLoss)
        }
    }
}

/// `[1, n]` → `[n]`; other shapes unchanged.
func unbatched(_ t: Tensor) -> Tensor {
    t.rank >= 2 && t.shape[0] == 1 ? t.reshaped(Array(t.shape.dropFirst())) : t
}
