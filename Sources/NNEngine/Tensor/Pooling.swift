import CKernels

/// 2-d max or average pooling over a batch of NCHW images, each channel on its own. Max
/// pooling keeps which input won each window, so its backward pass routes each gradient
/// to that one input; average pooling shares it equally over the window (dividing by the
/// whole window, padding included, as PyTorch's AvgPool2d does by default).
public struct Pooling {
    public enum Kind: Sendable { case max, average }

    public let kind: Kind
    public let window: Window2D
    /// For max pooling: per output, the winning input's index within its image plane.
    private var winners: [Int32] = []
    private var inputShape: [Int] = []

    public init(_ kind: Kind, window: Window2D) {
        self.kind = kind
        self.window = window
    }

    /// The output for x `[m, c, h, w]`, written into y (resized to `[m, c, oh, ow]`).
    public mutating func forward(_ x: Tensor, into y: inout Tensor) throws {
        let (input, output) = try window.sizes(over: x, layer: "pooling", window: "pooling window",
                                               hint: "pool over a smaller window, or pool less often before this layer")
        var g = window.geometry(batch: x.shape[0], channels: x.shape[1], input: input, output: output)
        try window.checkFits([x.shape[0], x.shape[1], output.height, output.width], "the pooling's output")
        y.resize(to: [x.shape[0], x.shape[1], output.height, output.width])
        if kind == .max, winners.count != y.count { winners = [Int32](repeating: -1, count: y.count) }
        x.scalars.withUnsafeBufferPointer { px in
            y.scalars.withUnsafeMutableBufferPointer { py in
                switch kind {
                case .max:
                    winners.withUnsafeMutableBufferPointer { pw in
                        nns_maxpool_forward(px.baseAddress, &g, py.baseAddress, pw.baseAddress)
                    }
                case .average:
                    nns_avgpool_forward(px.baseAddress, &g, py.baseAddress)
                }
            }
        }
        inputShape = x.shape
    }

    /// ∂C/∂x for ∂C/∂y of the latest forward, written into dx (resized to x's shape). For max
    /// pooling, `gate` (shaped as y) passes only the gradients whose gate is > 0: with the
    /// pooling's own output, ∂C/∂z through a relu before it as well (`nns_maxpool_backward`).
    public mutating func backward(_ dy: Tensor, gate: Tensor? = nil, into dx: inout Tensor) throws {
        guard inputShape.count == 4 else {
            throw EngineError("pooling has no forward pass to differentiate",
                              hint: "run a forward pass before the backward pass")
        }
        let input = Extent2D(inputShape[2], inputShape[3])
        let output = window.outputSize(for: input)!
        let expected = [inputShape[0], inputShape[1], output.height, output.width]
        guard dy.shape == expected, gate == nil || gate!.shape == expected else {
            throw EngineError("pooling got a gradient of shape \(dy.shape) but its output has shape \(expected)",
                              hint: "∂C/∂output must have the shape of the latest forward's output")
        }
        var g = window.geometry(batch: inputShape[0], channels: inputShape[1], input: input, output: output)
        dx.resize(to: inputShape)
        dy.scalars.withUnsafeBufferPointer { pdy in
            dx.scalars.withUnsafeMutableBufferPointer { pdx in
                switch kind {
                case .max:
                    winners.withUnsafeBufferPointer { pw in
                        guard let gate else {
                            return nns_maxpool_backward(pdy.baseAddress, pw.baseAddress, nil, &g, pdx.baseAddress)
                        }
                        gate.scalars.withUnsafeBufferPointer { pg in
                            nns_maxpool_backward(pdy.baseAddress, pw.baseAddress, pg.baseAddress, &g, pdx.baseAddress)
                        }
                    }
                case .average:
                    nns_avgpool_backward(pdy.baseAddress, &g, pdx.baseAddress)
                }
            }
        }
    }
}
