import NNEngine

/// plot_features (SPEC §13) and the kernels of `plot_weights(conv)`: what a convolutional
/// network sees, drawn with the tiles of `WeightImages` (red +, blue −, each tile scaled by
/// its own largest |value|), as SVG with a file name and as text without one.
enum FeatureMapBuiltins {
    static let list: [Builtin] = [
        Builtin("plot_features", family: "plots", [.required("net"), .required("x"), .required("i"), .optional("file"), .optional("channels", .number(64))],
                help: "layer i's feature maps (net[i]'s output, one image per channel) for one sample x, such as data.x[0]; plot_features(net, x, 1, \"maps.svg\") writes SVG, without a file a text sketch of the first 8; channels: caps the maps drawn") { args in
            let network = try args.network("net")
            let images = try featureMaps(network, args)
            if let path = try PlotBuiltins.svgPath(args) {
                try PlotBuiltins.write(images.svg, to: path)
                return .none
            }
            return .object(PlotValue(textWithHeading(images), svg: { images.svg }))
        },
    ]

    /// net[i]'s output for the one sample x, as a grid of one tile per channel.
    static func featureMaps(_ network: Network, _ args: BuiltinArguments) throws -> WeightImages {
        let count = network.layers.count
        let i = try args.wholeNumber("i")
        guard i < count else {
            throw args.error("i", "layer \(i) is out of range: the network has \(count) layer\(count == 1 ? "" : "s") (0 to \(count - 1))",
                             hint: "give the index of a conv2d, pooling or batchnorm2d layer (or an activation after one), as in net[i]")
        }
        let x: Tensor
        if case .record(let r) = args["x"], let field = r["x"], let t = try field.asTensor() {
            x = t    // an example data[i] = {x:, y:}
        } else {
            x = try args.tensor("x")
        }
        let trace = ForwardTrace()
        do {
            _ = try network.forward(x, mode: .inference, trace: trace)
        } catch let e as EngineError {
            throw args.error("x", e.message, hint: e.hint)
        }
        guard var output = trace.steps.first(where: { $0.index == i })?.output else {
            throw args.error("i", "net[\(i)] was not reached by the forward pass")
        }
        if output.rank == 4, output.shape[0] == 1 { output = output.reshaped(Array(output.shape.dropFirst())) }
        guard output.rank == 3 else {
            if output.rank == 4 {
                throw args.error("x", "x is a batch of \(output.shape[0]) samples; feature maps are drawn for one sample",
                                 hint: "give one sample, such as data.x[0]")
            }
            throw args.error("i", "net[\(i)] = \(network.layers[i]) gives \(ShapeText.format(output.shape)), not images [channels, height, width]",
                             hint: "pick a conv2d, pooling or batchnorm2d layer (or an activation after one)")
        }
        let (c, h, w) = (output.shape[0], output.shape[1], output.shape[2])
        var images = try WeightImages(weight: output.reshaped([c, h * w]), shape: [h, w],
                                      maximumUnits: try args.wholeNumber("channels", minimum: 1))
        images.heading = "net[\(i)] = \(network.layers[i]): \(c) feature map\(c == 1 ? "" : "s") of \(h)×\(w) for one sample (red +, blue −)"
        images.labels = (0..<c).map { "ch \($0)" }
        return images
    }

    /// The kernels of a conv layer (or of a network's first layer with weights, when that is
    /// a conv layer): one tile per output × input channel, or per output channel when there
    /// is one input channel. Nil for anything else (`plot_weights` then draws a linear layer).
    static func kernelImages(_ args: BuiltinArguments, maximum: Int) throws -> WeightImages? {
        let conv: Conv2D
        switch args["layer"] {
        case .layer(let layer as Conv2D): conv = layer
        case .network(let network):
            guard let first = network.layers.first(where: { $0 is Conv2D || $0 is Linear }) as? Conv2D else { return nil }
            conv = first
        default: return nil
        }
        let w = conv.weight.value
        let (o, c, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        var images = try WeightImages(weight: w.reshaped([o * c, kh * kw]), shape: [kh, kw], maximumUnits: maximum)
        images.heading = "\(conv): " + (c == 1 ? "\(o) kernel\(o == 1 ? "" : "s") of \(kh)×\(kw), one per output channel"
                                          : "\(o)×\(c) kernels of \(kh)×\(kw), labelled output,input channel") + " (red +, blue −)"
        images.labels = (0..<(o * c)).map { c == 1 ? "out \($0)" : "\($0 / c),\($0 % c)" }
        return images
    }

    /// The text sketch under a one-line heading: tiles as wide as a 28×28 image's.
    static func textWithHeading(_ images: WeightImages) -> String {
        let perRow = max(1, min(4, 64 / (min(images.imageShape.columns, 28) + 2)))
        return (images.heading.map { $0 + "\n" } ?? "") + images.text(perRow: perRow)
    }
}
