import NNEngine

/// The layers of convolutional networks (SPEC §13): `conv2d`, `maxpool`, `avgpool`,
/// `batchnorm2d`, `flatten` (bare, like `relu`). `reshape(c, h, w)` shares its name with the
/// tensor builtin `reshape(x, shape)`, which hands three numbers to `reshapeLayer`.
enum ConvolutionBuiltins {
    static let list: [Builtin] = [
        Builtin("conv2d", family: "layers",
                [.required("in"), .required("out"), .required("kernel"), .optional("stride", .number(1)),
                 .optional("padding", .number(0)), .optional("weight"), .optional("bias"), .optional("init", .string("auto"))],
                help: "a 2-d convolution of [m, in, h, w] images with W of shape [out, in, kh, kw]; kernel, stride, padding: a number or [h, w]") { args in
            let inputs = try args.wholeNumber("in", minimum: 1)
            let outputs = try args.wholeNumber("out", minimum: 1)
            let window = Window2D(kernel: try extent(args, "kernel", minimum: 1), stride: try extent(args, "stride", minimum: 1),
                                  padding: try extent(args, "padding", minimum: 0))
            let initName = try args.string("init")
            guard let initializer = WeightInit(rawValue: initName) else {
                throw args.error("init", mustBe: "one of " + WeightInit.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            let shape = [outputs, inputs, window.kernel.height, window.kernel.width]
            let weight = try args.optionalTensor("weight")
            if let w = weight, w.shape != shape {
                throw args.error("weight", "weight must have shape [out, in, kh, kw] = \(ShapeText.format(shape)), got \(ShapeText.format(w.shape))",
                                 hint: "W has PyTorch's Conv2d layout: one [in, kh, kw] kernel per output channel")
            }
            let bias = try args.optionalTensor("bias")
            if let b = bias, b.count != outputs || b.rank > 1 {
                throw args.error("bias", "bias must have \(outputs) element\(outputs == 1 ? "" : "s") (one per output channel), got shape \(ShapeText.format(b.shape))")
            }
            return .layer(try Conv2D(inChannels: inputs, outChannels: outputs, window: window, weight: weight, bias: bias,
                                     initializer: initializer, source: args.interpreter.random))
        },
        pooling("maxpool", .max, help: "max pooling of each channel over kernel×kernel windows (stride: the kernel unless given)"),
        pooling("avgpool", .average, help: "average pooling of each channel over kernel×kernel windows (stride: the kernel unless given)"),
        Builtin("batchnorm2d", family: "layers", [.required("c")],
                help: "batch normalisation of each of c channels over batch, height and width (as PyTorch's BatchNorm2d)") { args in
            .layer(try BatchNorm2D(channels: try args.wholeNumber("c", minimum: 1)))
        },
        Builtin("flatten", family: "layers", [],
                help: "the layer turning [m, c, h, w] into [m, c·h·w], between convolutions and linear layers",
                bareLayer: { Flatten() }) { _ in .layer(Flatten()) },
    ]

    static func pooling(_ name: String, _ kind: Pooling.Kind, help: String) -> Builtin {
        Builtin(name, family: "layers", [.required("kernel"), .optional("stride")], help: help) { args in
            let kernel = try extent(args, "kernel", minimum: 1)
            let stride = args["stride"].isNone ? kernel : try extent(args, "stride", minimum: 1)
            return .layer(try Pool2D(kind, kernel: kernel, stride: stride))
        }
    }

    /// `reshape(c, h, w)`: the arguments arrive as the tensor builtin's `x`, `shape`, `w`.
    static func reshapeLayer(_ args: BuiltinArguments) throws -> Value {
        let sizes = try ["x", "shape", "w"].map { name -> Int in
            guard let x = args[name].asNumber, x == x.rounded(), x >= 1, x <= Double(1 << 24) else {
                throw args.error(name, "reshape(c, h, w) needs three positive whole numbers: channels, height, width",
                                 hint: "e.g. reshape(1, 28, 28) for MNIST rows of 784 pixels; reshape(x, shape) reshapes a tensor")
            }
            return Int(x)
        }
        return .layer(try Reshape(sizes))
    }

    /// A kernel, stride or padding: a number (both ways) or `[h, w]`.
    static func extent(_ args: BuiltinArguments, _ name: String, minimum: Int) throws -> Extent2D {
        let what = "a whole number ≥ \(minimum) or a list [h, w] of them"
        let values: [Double]
        switch args[name] {
        case .number(let x): values = [x, x]
        case .list(let l): values = l.items.compactMap(\.asNumber)
            guard l.items.count == 2, values.count == 2 else { throw args.error(name, mustBe: what) }
        default: throw args.error(name, mustBe: what)
        }
        guard values.allSatisfy({ $0 == $0.rounded() && $0 >= Double(minimum) && $0 <= Double(1 << 16) }) else {
            throw args.error(name, mustBe: what)
        }
        return Extent2D(Int(values[0]), Int(values[1]))
    }
}
