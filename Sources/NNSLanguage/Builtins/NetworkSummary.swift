import NNEngine

/// `summary(net)`: one row per layer (index, layer, output shape, parameter count) and the
/// total, as Keras's `model.summary()` shows it.
enum NetworkSummary {
    static func table(_ network: Network) -> String {
        var rows: [[String]] = [["#", "layer", "output", "params"]]
        var width = network.inputWidth
        for (index, layer) in network.layers.enumerated() {
            width = width.map { layer.outputWidth(forInput: $0) }
            let count = layer.parameters.filter(\.isTrainable).reduce(0) { $0 + $1.value.count }
            rows.append([String(index), layer.description, width.map { "[m, \($0)]" } ?? "[m, n]", grouped(count)])
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
