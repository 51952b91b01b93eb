import NNEngine

/// The replay page of a training run (docs/pages.md): the loss and accuracy per epoch and, for
/// two-feature data, the decision regions of every kept snapshot with the examples on top,
/// stepped with a slider or played.
enum ReplayPage {
    /// Decision regions are evaluated on a grid this many cells wide and high.
    static let gridSize = 80
    /// At most this many examples are drawn (the first ones), so big data sets keep the page small.
    static let pointLimit = 2000

    static func html(history: HistoryValue, data: Dataset) throws -> String {
        let h = history.history
        var members: [(String, JSONValue)] = [("kind", .string("replay")), ("epochs", .integer(h.count))]
        for name in ["loss", "accuracy", "val_loss", "val_accuracy"] {
            if let column = h.column(name) { members.append((name, .array(column.map { .number($0) }))) }
        }
        var snapshots: [JSONValue] = []
        if data.inputWidth == 2 {
            var plot: BoundaryPlot?
            for snapshot in history.snapshots {
                let next = try BoundaryPlot(network: snapshot.network, data: data)
                let grid = try next.regions(columns: gridSize, rows: gridSize)
                plot = next
                let cells = grid.flatMap { $0 }.map { String(min($0, 35), radix: 36) }.joined()
                snapshots.append(.object([("epoch", .integer(snapshot.epoch)), ("grid", .string(cells))]))
            }
            if let plot {
                let points = zip(plot.points, plot.labels).prefix(pointLimit).map { point, label in
                    JSONValue.array([.number(point.0), .number(point.1), .integer(label)])
                }
                members += [("points", .array(points)), ("grid", .integer(gridSize)),
                            ("x", .array([.number(plot.xRange.lowerBound), .number(plot.xRange.upperBound)])),
                            ("y", .array([.number(plot.yRange.lowerBound), .number(plot.yRange.upperBound)]))]
            }
        } else {
            snapshots = history.snapshots.map { .object([("epoch", .integer($0.epoch))]) }
            members.append(("note", .string("the data has \(data.inputWidth) features: decision regions are drawn for 2")))
        }
        members.append(("snapshots", .array(snapshots)))
        let code = history.snapshots.last?.network.description ?? ""
        return PageDocument.html(title: "nns · replay of training · net = \(code)", data: .object(members),
                                 body: ReplayPageScript.body, script: ReplayPageScript.script)
    }
}

/// `replay(history, data, "train.html")`.
enum ReplayBuiltin {
    static let list: [Builtin] = [
        Builtin("replay", family: "pages", [.required("history"), .required("data"), .optional("file")],
                help: "replay(h, data, \"train.html\") writes the loss/accuracy curves and (2-feature data) the decision boundary at each snapshot of train(..., snapshots: k), with a slider and Play") { args in
            guard case .object(let history as HistoryValue) = args["history"] else {
                throw args.error("history", mustBe: "a history from train", hint: "h = train(net, data, epochs: 100, snapshots: 10)")
            }
            guard !history.snapshots.isEmpty else {
                throw args.error("history", "replay: this history kept no snapshots of the weights",
                                 hint: "train with snapshots: k to keep the weights every k epochs")
            }
            let data = try DataBuiltins.dataset(args, "data")
            let html = try ReplayPage.html(history: history, data: data)
            return try PageBuiltins.deliver(html, file: args["file"], args: args,
                                            what: "replay of \(history.history.count) epochs, \(history.snapshots.count) snapshots")
        },
    ]
}
