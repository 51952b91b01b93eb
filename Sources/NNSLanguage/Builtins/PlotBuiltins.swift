import NNEngine

/// plot, plot_weights, plot_boundary (SPEC §10): text charts printed through the host, SVG
/// files written atomically.
enum PlotBuiltins {
    static let list: [Builtin] = [
        Builtin("plot", family: "plots", [.required("data"), .optional("path")],
                help: "draw a history's loss/accuracy curves (or a list of numbers): as text, or as SVG when given a file name") { args in
            let (panels, xLabel) = try PlotSeries.panels(for: args["data"])
            if args["path"].isNone {
                args.interpreter.host.write(TextChart.render(panels: panels, xLabel: xLabel))
                return .none
            }
            let path = args.interpreter.resolvePath(try args.string("path"))
            try SVGDocument.write(SVGChart.render(panels: panels, xLabel: xLabel), to: path, function: "plot")
            return .none
        },
        Builtin("plot_weights", family: "plots", [.required("layer"), .required("path"), .optional("units", .number(64))],
                help: "draw each unit's incoming weights as an image (28×28 for MNIST inputs) into an SVG file") { args in
            let weight: Tensor
            switch args["layer"] {
            case .layer(let layer as Linear): weight = layer.weight.value
            case .network(let network):
                guard let linear = network.layers.first(where: { $0 is Linear }) as? Linear else {
                    throw args.error("layer", "the network has no linear layer")
                }
                weight = linear.weight.value
            case .parameter(let p) where p.value.rank == 2: weight = p.value
            default: throw args.error("layer", mustBe: "a linear layer such as net[0]")
            }
            let path = args.interpreter.resolvePath(try args.string("path"))
            try SVGDocument.write(SVGPictures.weights(weight, units: try args.wholeNumber("units", minimum: 1)), to: path, function: "plot_weights")
            return .none
        },
        Builtin("plot_boundary", family: "plots", [.required("net"), .required("data"), .required("path"), .optional("resolution", .number(100))],
                help: "draw the decision regions of a network over a 2-feature dataset, with its examples, into an SVG file") { args in
            let network = try args.network("net")
            let data = try DataBuiltins.dataset(args, "data")
            let resolution = try args.wholeNumber("resolution", minimum: 2)
            guard resolution <= 1000 else { throw args.error("resolution", mustBe: "at most 1000") }
            let path = args.interpreter.resolvePath(try args.string("path"))
            try SVGDocument.write(try SVGPictures.boundary(network, data, resolution: resolution), to: path, function: "plot_boundary")
            return .none
        },
    ]
}
