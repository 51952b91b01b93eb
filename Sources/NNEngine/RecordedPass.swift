/// A forward and a backward pass with everything recorded for presentation, computed by the
/// engine (`Network.forward(_:mode:trace:)`, `Network.lossAndGradients`): the terminal's
/// step-through and the explanation pages only show what the traces hold.
public struct RecordedPass {
    public var network: Network
    /// Per layer: input and output, first layer first.
    public var forward: [ForwardTrace.Step]
    /// The loss, its gradient and per layer the gradients, top layer first (nil for a
    /// forward-only pass).
    public var backward: BackwardTrace?
    /// The target as given (for display), when there is a backward pass.
    public var target: Tensor?

    /// The forward pass alone, in inference mode (what `x |> net` computes).
    public static func forward(_ network: Network, input: Tensor) throws -> RecordedPass {
        let trace = ForwardTrace()
        _ = try network.forward(input, mode: .inference, trace: trace)
        return RecordedPass(network: network, forward: trace.steps, backward: nil, target: nil)
    }

    /// Forward in training mode, the loss against `target`, and the backward pass: what one
    /// training step computes before its update. Sets every parameter's `grad`; the weights
    /// are not changed.
    public static func backward(_ network: Network, input: Tensor, target: Tensor, loss: Loss) throws -> RecordedPass {
        let forwardTrace = ForwardTrace()
        let backwardTrace = BackwardTrace()
        try network.lossAndGradients(input: input, target: target, loss: loss, mode: .training,
                                     trace: backwardTrace, forwardTrace: forwardTrace)
        return RecordedPass(network: network, forward: forwardTrace.steps, backward: backwardTrace, target: target)
    }
}
