import CKernels

/// A height and a width: a kernel's size, a stride, a padding or an image's size.
public struct Extent2D: Equatable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same extent both ways: `kernel: 3` is 3×3.
    public init(square: Int) { self.init(square, square) }

    public var description: String { "\(height)×\(width)" }
}

/// Where a kernel or pooling window goes over an image: its size, its stride and the zero
/// padding on each side (PyTorch's Conv2d/MaxPool2d arguments).
public struct Window2D: Equatable, Sendable {
    public var kernel: Extent2D
    public var stride: Extent2D
    public var padding: Extent2D

    public init(kernel: Extent2D, stride: Extent2D, padding: Extent2D = Extent2D(0, 0)) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    /// The output size over an input of `input`, ⌊(n + 2p − k) / s⌋ + 1 each way (PyTorch's
    /// rule), or nil when the window does not fit in the padded input even once.
    public func outputSize(for input: Extent2D) -> Extent2D? {
        let h = input.height + 2 * padding.height - kernel.height
        let w = input.width + 2 * padding.width - kernel.width
        guard h >= 0, w >= 0, stride.height >= 1, stride.width >= 1 else { return nil }
        return Extent2D(h / stride.height + 1, w / stride.width + 1)
    }

    /// x's image size and the output size over it, after checking that x is a batch of
    /// images `[m, c, h, w]` and that the window fits; `layer` and `window` name them in errors.
    func sizes(over x: Tensor, layer: String, window: String, hint: String) throws -> (input: Extent2D, output: Extent2D) {
        guard x.rank == 4 else {
            throw EngineError("\(layer) needs images of shape [m, channels, height, width] but got \(x.shape)",
                              hint: "put reshape(c, h, w) before it to turn rows of pixels into images")
        }
        let input = Extent2D(x.shape[2], x.shape[3])
        guard let output = outputSize(for: input) else {
            throw EngineError("a \(kernel) \(window) does not fit in a \(input) input with padding \(padding)", hint: hint)
        }
        return (input, output)
    }

    /// The C kernels' description of this window over a batch of `[m, c, h, w]` images.
    func geometry(batch m: Int, channels c: Int, input: Extent2D, output: Extent2D) -> nns_window {
        nns_window(m: m, c: c, h: input.height, w: input.width,
                   kh: kernel.height, kw: kernel.width, sh: stride.height, sw: stride.width,
                   ph: padding.height, pw: padding.width, oh: output.height, ow: output.width)
    }
}

/// 2-d convolution (cross-correlation, as in PyTorch) over a batch of NCHW images, done as
/// one matrix product for the whole batch: each output position's input patch becomes a
/// row (`nns_im2row`), the rows times Wᵀ give every output channel at every position, and a
/// transpose puts the result back in NCHW order. Backward runs the same steps in reverse.
///
/// The buffers live in the caller (the layer), so a training step reuses them.
public struct Convolution {
    public let window: Window2D
    /// The patches of the latest forward, [m·oh·ow, c·kh·kw]: ∂C/∂W needs them.
    private var rows = Tensor(zeros: [0])
    /// The product's position-major output or gradient, [m·oh·ow, out].
    private var positionMajor = Tensor(zeros: [0])
    private var rowGradients = Tensor(zeros: [0])
    private var biasSums: [Double] = []
    private var inputShape: [Int] = []

    public init(window: Window2D) { self.window = window }

    /// `y[n, o] = Σ_c W[o, c] ⋆ x[n, c] + b[o]` with `epilogue` applied, for x `[m, c, h, w]`
    /// and W `[out, c, kh, kw]`; y is resized to `[m, out, oh, ow]`.
    public mutating func forward(_ x: Tensor, weight: Tensor, bias: Tensor?,
                                 epilogue: MatMulEpilogue = .none, into y: inout Tensor) throws {
        var (g, out) = try geometry(x, weight: weight)
        let positions = g.m * g.oh * g.ow, patch = g.c * g.kh * g.kw
        rows.resize(to: [positions, patch])
        x.scalars.withUnsafeBufferPointer { px in
            rows.scalars.withUnsafeMutableBufferPointer { pr in
                nns_im2row(px.baseAddress, &g, pr.baseAddress)
            }
        }
        try Tensor.multiplyAddingBias(rows, weight.reshaped([out, patch]), transposeB: true,
                                      bias: bias, epilogue: epilogue, into: &positionMajor)
        y.resize(to: [g.m, out, g.oh, g.ow])
        Convolution.transpose(positionMajor, batch: g.m, rows: g.oh * g.ow, columns: out, into: &y)
        inputShape = x.shape
    }

    /// Given ∂C/∂y of the latest forward: ∂C/∂W (shape of W), ∂C/∂b (`[out]`) and, when
    /// `inputGradient` is non-nil, ∂C/∂x (shape of x).
    public mutating func backward(_ dy: Tensor, weight: Tensor, weightGradient: inout Tensor,
                                  biasGradient: inout Tensor, inputGradient: inout Tensor?) throws {
        guard inputShape.count == 4 else {
            throw EngineError("conv2d has no forward pass to differentiate",
                              hint: "run a forward pass before the backward pass")
        }
        let out = weight.shape[0]
        let (m, patch) = (inputShape[0], rows.shape[1])
        let positionsPerImage = rows.shape[0] / max(m, 1)
        guard dy.count == m * out * positionsPerImage, dy.rank == 4, dy.shape[0] == m, dy.shape[1] == out else {
            throw EngineError("conv2d got a gradient of shape \(dy.shape) for an output of \(m) images × \(out) channels × \(positionsPerImage) positions",
                              hint: "∂C/∂output must have the shape of the latest forward's output")
        }
        // [m, out, positions] → [m·positions, out]
        positionMajor.resize(to: [m * positionsPerImage, out])
        Convolution.transpose(dy, batch: m, rows: out, columns: positionsPerImage, into: &positionMajor)
        // ∂C/∂W = δᵀ·rows, ∂C/∂b = Σ δ over every image and position
        try Tensor.multiply(positionMajor, rows, transposeA: true, into: &weightGradient)
        weightGradient.resize(to: weight.shape)
        Tensor.columnSums(of: positionMajor, rows: m * positionsPerImage, columns: out,
                          scratch: &biasSums, into: &biasGradient)
        guard inputGradient != nil else { return }
        // ∂C/∂rows = δ·W, then each patch's gradient added back onto the pixels it read
        try Tensor.multiply(positionMajor, weight.reshaped([out, patch]), into: &rowGradients)
        var g = window.geometry(batch: m, channels: inputShape[1], input: Extent2D(inputShape[2], inputShape[3]),
                                output: window.outputSize(for: Extent2D(inputShape[2], inputShape[3]))!)
        var dx = inputGradient!
        inputGradient = nil  // so dx is the only reference and is written in place
        dx.resize(to: inputShape)
        rowGradients.scalars.withUnsafeBufferPointer { pr in
            dx.scalars.withUnsafeMutableBufferPointer { pd in
                nns_row2im(pr.baseAddress, &g, pd.baseAddress)
            }
        }
        inputGradient = dx
    }

    /// The kernels' geometry for x and W, after checking that they fit together.
    private func geometry(_ x: Tensor, weight: Tensor) throws -> (nns_window, Int) {
        let (input, output) = try window.sizes(over: x, layer: "conv2d", window: "kernel",
                                               hint: "use a smaller kernel, more padding, or a larger input")
        guard weight.rank == 4, weight.shape[1] == x.shape[1],
              weight.shape[2] == window.kernel.height, weight.shape[3] == window.kernel.width else {
            throw EngineError("conv2d with a \(window.kernel) kernel over \(x.shape[1]) channels needs a weight of shape [out, \(x.shape[1]), \(window.kernel.height), \(window.kernel.width)] but has \(weight.shape)",
                              hint: "W has PyTorch's Conv2d layout [out, in, kh, kw]")
        }
        return (window.geometry(batch: x.shape[0], channels: x.shape[1], input: input, output: output), weight.shape[0])
    }

    /// [batch, rows, columns] → [batch, columns, rows], into `result` (already sized).
    static func transpose(_ source: Tensor, batch: Int, rows: Int, columns: Int, into result: inout Tensor) {
        source.scalars.withUnsafeBufferPointer { ps in
            result.scalars.withUnsafeMutableBufferPointer { pd in
                nns_transpose_batched(ps.baseAddress, batch, rows, columns, pd.baseAddress)
            }
        }
    }
}
