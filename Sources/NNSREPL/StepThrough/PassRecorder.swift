import NNEngine

/// What one layer did in a forward pass.
public struct ForwardRecord {
    public var index: Int            // position in the network, 0-based (net[index])
    public var layer: Layer
    public var input: Tensor
    public var output: Tensor
}

/// What one layer did in a backward pass.
public struct BackwardRecord {
    public var index: Int
    public var layer: Layer
    /// ∂C/∂output of this layer (for an activation after a linear layer: ∂C/∂aˡ).
    public var outputGradient: Tensor
    /// ∂C/∂input handed down (for a linear layer: (Wˡ)ᵀδˡ); nil for the first layer.
    public var inputGradient: Tensor?
    /// The layer's parameters' gradients after this step, by parameter name.
    public var parameterGradients: [(name: String, gradient: Tensor)]
}

/// Runs a network one layer at a time through the engine's own layer calls, keeping every
/// intermediate tensor for the step-through views. Nothing is computed here that the layers
/// do not compute themselves; the recorder only sequences and keeps.
public enum PassRecorder {
    /// A 1-d input is one sample: `[n]` becomes `[1, n]`.
    public static func batched(_ x: Tensor) -> Tensor {
        x.rank == 1 ? x.reshaped([1, x.count]) : (x.rank == 0 ? x.reshaped([1, 1]) : x)
    }

    /// Checks the input width against the network, so a mismatch is an error, not a trap.
    public static func checkInput(_ x: Tensor, for network: Network) throws {
        guard x.rank == 2 else {
            throw EngineError("the input has shape \(NumberFormat.shape(x.shape)) but a network takes [samples, features]",
                              hint: "pass one sample as a list ([0.5, 0.8]) or a batch as a list of lists")
        }
        if let width = network.inputWidth, width != x.shape[1] {
            throw EngineError("the network expects \(width) input features but the input has \(x.shape[1])",
                              hint: "the first sized layer is \(network.layers.first { $0.inputWidth != nil }.map { "\($0)" } ?? "?")")
        }
    }

    /// The forward pass, layer by layer.
    public static func forward(_ network: Network, input: Tensor, mode: PassMode = .inference) throws -> [ForwardRecord] {
        let x = batched(input)
        try checkInput(x, for: network)
        var records: [ForwardRecord] = []
        var a = x
        for (index, layer) in network.layers.enumerated() {
            let out = layer.forward(a, mode: mode)
            records.append(ForwardRecord(index: index, layer: layer, input: a, output: out))
            a = out
        }
        return records
    }

    /// The backward pass from `loss`, top layer first. Each layer's own backward computes its
    /// δ and parameter gradients; with a fused loss the final layer is skipped (its gradient
    /// is already in `loss.outputGradient`).
    public static func backward(_ network: Network, forward records: [ForwardRecord], loss: LossEvaluation) -> [BackwardRecord] {
        var gradient = loss.outputGradient
        var result: [BackwardRecord] = []
        var top = records.count - 1
        if loss.fusedWithFinalLayer, top >= 0 {
            result.append(BackwardRecord(index: top, layer: records[top].layer, outputGradient: gradient,
                                         inputGradient: gradient, parameterGradients: []))
            top -= 1
        }
        guard top >= 0 else { return result }
        for index in stride(from: top, through: 0, by: -1) {
            let layer = records[index].layer
            let handed = layer.backward(gradient, needInputGradient: index > 0)
            let grads = layer.parameters.filter(\.isTrainable).map { (name: $0.name, gradient: $0.grad) }
            result.append(BackwardRecord(index: index, layer: layer, outputGradient: gradient,
                                         inputGradient: handed, parameterGradients: grads))
            if let handed { gradient = handed }
        }
        return result
    }
}
