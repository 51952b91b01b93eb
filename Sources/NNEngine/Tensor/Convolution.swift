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

    /// Throws an error naming `what` when a tensor of `shape` (an output, or a scratch
    /// matrix) would not fit in memory: huge padding makes huge outputs from tiny inputs.
    /// Arithmetic only (no look at the process's memory use): it runs on every forward pass.
    func checkFits(_ shape: [Int], _ what: String) throws {
        do {
            try TensorLimits.checkAllocation(elementCount: shape.reduce(1.0) { $0 * Double($1) },
                                             memory: TensorLimits.physicalMemory)
        } catch let error as EngineError {
            throw EngineError("\(what) \(shape) is too large: \(error.message)",
                              hint: "use less padding, a larger stride, a smaller kernel or smaller images")
        }
    }

    /// The C kernels' description of this window over a batch of `[m, c, h, w]` images.
    func geometry(batch m: Int, channels c: Int, input: Extent2D, output: Extent2D) -> nns_window {
        nns_window(m: m, c: c, h: input.height, w: input.width,
                   kh: kernel.height, kw: kernel.width, sh: stride.height, sw: stride.width,
                   ph: padding.height, pw: padding.width, oh: output.height, ow: output.width)
    }
}

/// 2-d convolution (cross-correlation, as in PyTorch) over a batch of NCHW images, done by
/// `nns_conv_forward`/`nns_conv_backward`: each image's patches become the columns of one
/// matrix product with W, image by image on the product's threads, so the output comes out
/// in NCHW order and nothing the size of a batch of patches is ever built.
public struct Convolution {
    public let window: Window2D
    /// The latest forward's input, kept until the backward pass (which rebuilds its patches
    /// for ∂C/∂W) and then let go, so that the layer before can write its next output in
    /// place rather than copy it.
    private var input: Tensor?

    public init(window: Window2D) { self.window = window }

    /// `y[n, o] = Σ_c W[o, c] ⋆ x[n, c] + b[o]` with `epilogue` applied, for x `[m, c, h, w]`
    /// and W `[out, c, kh, kw]`; y is resized to `[m, out, oh, ow]`.
    public mutating func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, epilogue: MatMulEpilogue = .none,
                                 into y: inout Tensor) throws {
        var (g, out) = try geometry(x, weight: weight)
        try window.checkFits([g.m, out, g.oh, g.ow], "conv2d's output")
        try window.checkFits([g.c, g.kh, g.kw, g.oh, g.ow], "conv2d's patches of one image")
        input = nil
        y.resize(to: [g.m, out, g.oh, g.ow])
        let relu: Int32 = epilogue == .relu ? 1 : 0
        let status = x.scalars.withUnsafeBufferPointer { px in
            weight.scalars.withUnsafeBufferPointer { pw in
                y.scalars.withUnsafeMutableBufferPointer { py in
                    guard let bias else {
                        return nns_conv_forward(px.baseAddress, &g, pw.baseAddress, out, nil, relu, py.baseAddress)
                    }
                    return bias.scalars.withUnsafeBufferPointer { pb in
                        nns_conv_forward(px.baseAddress, &g, pw.baseAddress, out, pb.baseAddress, relu, py.baseAddress)
                    }
                }
            }
        }
        guard status == 0 else { throw Convolution.outOfMemory }
        input = x
    }

    /// Given ∂C/∂y of the latest forward: ∂C/∂W (shape of W), ∂C/∂b (`[out]`) and, when
    /// `inputGradient` is non-nil, ∂C/∂x (shape of x).
    public mutating func backward(_ dy: Tensor, weight: Tensor, weightGradient: inout Tensor,
                                  biasGradient: inout Tensor, inputGradient: inout Tensor?) throws {
        guard let x = input else {
            throw EngineError("conv2d has no forward pass to differentiate",
                              hint: "run a forward pass before each backward pass")
        }
        var (g, out) = try geometry(x, weight: weight)
        guard dy.shape == [g.m, out, g.oh, g.ow] else {
            throw EngineError("conv2d got a gradient of shape \(dy.shape) for an output of shape \([g.m, out, g.oh, g.ow])",
                              hint: "∂C/∂output must have the shape of the latest forward's output")
        }
        weightGradient.resize(to: weight.shape)
        biasGradient.resize(to: [out])
        var dx = inputGradient
        inputGradient = nil  // so dx is the only reference and is written in place
        dx?.resize(to: x.shape)
        let status = x.scalars.withUnsafeBufferPointer { px in
            dy.scalars.withUnsafeBufferPointer { pdy in
                weight.scalars.withUnsafeBufferPointer { pw in
                    weightGradient.scalars.withUnsafeMutableBufferPointer { pdw in
                        biasGradient.scalars.withUnsafeMutableBufferPointer { pdb in
                            guard dx != nil else {
                                return nns_conv_backward(px.baseAddress, pdy.baseAddress, &g, pw.baseAddress, out,
                                                         pdw.baseAddress, pdb.baseAddress, nil)
                            }
                            return dx!.scalars.withUnsafeMutableBufferPointer { pdx in
                                nns_conv_backward(px.baseAddress, pdy.baseAddress, &g, pw.baseAddress, out,
                                                  pdw.baseAddress, pdb.baseAddress, pdx.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        guard status == 0 else { throw Convolution.outOfMemory }
        inputGradient = dx
        input = nil
    }

    private static let outOfMemory = EngineError("conv2d ran out of memory for an image's patches",
                                                 hint: "use smaller images or fewer channels")

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
}
