import NNEngine

/// plot, plot_boundary, plot_weights (docs/language.md, "Plots and files"). Without a file each returns a `plot` value
/// that prints as Unicode text (the host prints it; the language knows no terminal); with a
/// file name ending in `.svg` each writes SVG atomically and returns none.
enum PlotBuiltins {
    static let list: [Builtin] = [
        Builtin("plot", family: "plots", [.required("v"), .optional("file"), .optional("x", .string("epoch"))],
                help: "plot(history) draws the loss and accuracy per epoch (braille text); plot(history, \"curves.svg\") writes SVG. Also takes a list of numbers or a record of lists (one chart each); x: names the horizontal axis") { args in
            var plot = CurvePlot(columns: try columns(args))
            plot.xLabel = try args.string("x")
            if let path = try svgPath(args) {
                try write(plot.svg, to: path)
                return .none
            }
            return .object(PlotValue(plot.text, svg: { plot.svg }))
        },
        Builtin("plot_boundary", family: "plots", [.required("net"), .required("data"), .optional("file"), .optional("title")],
                help: "the decision regions of a network over 2 input features with the examples on top (text); plot_boundary(net, data, \"b.svg\") writes SVG") { args in
            let network = try args.network("net")
            let data = try DataBuiltins.dataset(args, "data")
            let plot = try BoundaryPlot(network: network, data: data)
            if let path = try svgPath(args) {
                let title = args["title"].isNone ? network.description : try args.string("title")
                try write(try plot.svg(title: title), to: path)
                return .none
            }
            let title = network.description
            return .object(PlotValue(try plot.text(), svg: { try plot.svg(title: title) }))
        },
        Builtin("plot_weights", family: "plots", [.required("layer"), .optional("file"), .optional("shape"), .optional("units", .number(64))],
                help: "each unit's incoming weights as an image (28×28 for MNIST inputs; shape: [rows, cols] otherwise), a grid of up to `units:` units; plot_weights(net[0], \"w.svg\") writes SVG, without a file a text sketch of the first 8; for a conv2d layer its kernels") { args in
            if let kernels = try FeatureMapBuiltins.kernelImages(args, maximum: try args.wholeNumber("units", minimum: 1)) {
                if let path = try svgPath(args) {
                    try write(kernels.svg, to: path)
                    return .none
                }
                return .object(PlotValue(FeatureMapBuiltins.textWithHeading(kernels), svg: { kernels.svg }))
            }
            let weight = try weightMatrix(args)
            let shape: [Int]? = args["shape"].isNone ? nil : try args.list("shape").map { value in
                guard let n = value.asNumber, n >= 1, n == n.rounded(), n < 1e9 else { throw args.error("shape", mustBe: "[rows, columns]") }
                return Int(n)
            }
            let images = try WeightImages(weight: weight, shape: shape, maximumUnits: try args.wholeNumber("units", minimum: 1))
            if let path = try svgPath(args) {
                try write(images.svg, to: path)
                return .none
            }
            return .object(PlotValue(images.text(), svg: { images.svg }))
        },
    ]

    /// The named series to draw: a history's loss/accuracy columns, a record's list fields, or one list.
    static func columns(_ args: BuiltinArguments) throws -> [CurvePlot.Series] {
        let value = args["v"]
        func numbers(_ v: Value) throws -> [Double]? {
            if case .list(let l) = v {
                return try l.items.enumerated().map { k, item in
                    if case .none = item { return .nan }
                    guard let x = item.asNumber else {
                        throw args.error("v", "element \(k) of the list is \(BuiltinArguments.describe(item)), not a number",
                                         hint: item.kindName == "list" ? "a list of lists is not one curve: give a record of lists, one per curve, e.g. {a: [...], b: [...]}" : "plot draws a list of numbers")
                    }
                    return x
                }
            }
            if let t = v.tensorValue, t.rank == 1 { return t.scalars.map(Double.init) }
            return nil
        }
        var series = [CurvePlot.Series]()
        switch value {
        case .object(let h as HistoryValue):
            for name in ["loss", "val_loss", "accuracy", "val_accuracy"] {
                if let column = h.history.column(name) { series.append(.init(name: name, values: column)) }
            }
        case .record(let r):
            for field in r.fields { if let n = try numbers(field.value) { series.append(.init(name: field.name, values: n)) } }
        default:
            if let n = try numbers(value) { series.append(.init(name: "value", values: n)) }
        }
        guard !series.isEmpty, series.contains(where: { !$0.values.isEmpty }) else {
            throw args.error("v", mustBe: "a history (from train), a list of numbers or a record of lists", hint: "h = train(net, data, epochs: 10); plot(h)")
        }
        return series
    }

    /// The weight matrix of a linear layer, a network's first linear layer, or a tensor.
    static func weightMatrix(_ args: BuiltinArguments) throws -> Tensor {
        let value = args["layer"]
        if case .layer(let layer as Linear) = value { return layer.weight.value }
        if case .network(let network) = value, let first = network.layers.compactMap({ $0 as? Linear }).first {
            return first.weight.value
        }
        if let t = value.tensorValue { return t }
        throw args.error("layer", mustBe: "a linear or conv2d layer (such as net[0]) or a weight matrix")
    }

    /// The file argument, which must end in `.svg`; nil when none was given.
    static func svgPath(_ args: BuiltinArguments) throws -> String? {
        if args["file"].isNone { return nil }
        let path = try args.interpreter.filePath(try args.string("file"))
        guard path.lowercased().hasSuffix(".svg") else {
            throw args.error("file", mustBe: "a file name ending in .svg", hint: "without a file the plot prints as text")
        }
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path)
    }
}

/// A plot drawn as text: prints as itself. A host that shows images (a notebook) gets the
/// same plot as SVG from `richForms`, drawn only when asked for.
final class PlotValue: ObjectValue {
    let text: String
    let svg: (() throws -> String)?
    init(_ text: String, svg: (() throws -> String)? = nil) {
        self.text = text
        self.svg = svg
    }
    var kindName: String { "plot" }
    var displayText: String { text }
    var richForms: [String: String] {
        guard let drawn = try? svg?() else { return [:] }
        return ["image/svg+xml": drawn]
    }
}
