import NNEngine

/// `summary(net)`: one row per layer (index, layer, output shape, parameter count) and the
/// total, as Keras's `model.summary()` shows it.
enum NetworkSummary {
    /// Per layer: its index, how it is written, the shape of one output sample (nil when it
    /// depends on the input) and its trainable parameter count (PyTorch's count).
    static func rows(_ network: Network) -> [(index: Int, layer: String, shape: SampleShape?, parameters: Int)] {
        network.layers.enumerated().map { index, layer in
            let count = layer.parameters.filter(\.isTrainable).reduce(0) { $0 + $1.value.count }
            return (index, layer.description, network.outputShapes[index], count)
        }
    }

    /// `--json`: `{"rows": [{"index": 0, "layer": "linear(2, 3)", "output": [null, 3], "params": 9}, ...], "total": 9}`;
    /// the output shape's batch size is null (any), as is an extent that depends on the input.
    static func json(_ network: Network) -> String {
        let rows = rows(network).map { row -> Value in
            let extents = row.shape.map { $0.map { $0.map { Value.number(Double($0)) } ?? .none } } ?? [.none]
            return .record([("index", .number(Double(row.index))), ("layer", .string(row.layer)),
                            ("output", .list([.none] + extents)),
                            ("params", .number(Double(row.parameters)))])
        }
        return JSONEncoderContext().encode(.record([("rows", .list(rows)), ("total", .number(Double(network.parameterCount)))]))
    }

    static func table(_ network: Network) -> String {
        var rows: [[String]] = [["#", "layer", "output", "params"]]
        for row in Self.rows(network) {
            rows.append([String(row.index), row.layer, SampleShapes.batchText(row.shape), grouped(row.parameters)])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            let cells = row.enumerated().map { column, text -> String in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 || column == 3 ? pad + text : text + pad
            }
            return cells.joined(separator: "  ")
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 6)
        var out = line(rows[0]) + "\n" + rule + "\n"
        for row in rows.dropFirst() { out += line(row) + "\n" }
        out += rule + "\n"
        out += "total parameters: \(grouped(network.parameterCount))\n"
        return out
    }

    /// 209514 → "209,514".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
