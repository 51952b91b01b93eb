/// Line charts drawn with Unicode braille characters (2×4 dots each), for `plot(history)` on
/// any text output: one panel per quantity, its range on the left, the x axis below.
enum TextChart {
    static let width = 60
    static let height = 10

    static func render(panels: [[PlotSeries]], xLabel: String) -> String {
        panels.map { render(panel: $0, xLabel: xLabel) }.joined(separator: "\n\n") + "\n"
    }

    static func render(panel: [PlotSeries], xLabel: String) -> String {
        let finiteRanges = panel.compactMap(\.range)
        guard let low = finiteRanges.map(\.low).min(), let high = finiteRanges.map(\.high).max() else {
            return panel.map(\.name).joined(separator: ", ") + ": no finite values"
        }
        let count = panel.map(\.values.count).max() ?? 0
        let canvases = panel.map { series -> BrailleCanvas in
            var canvas = BrailleCanvas(width: width, height: height)
            canvas.plot(series.values, count: count, low: low, high: high)
            return canvas
        }
        // Several series share the panel: the first draws with braille, later ones where they
        // do not overlap it with a lighter mark so they can be told apart.
        let top = AxisLabel.format(high), bottom = AxisLabel.format(low)
        let gutter = max(top.count, bottom.count)
        var lines: [String] = []
        let legend = panel.enumerated().map { index, series in
            (index == 0 ? "⣿ " : "· ") + series.name
        }.joined(separator: "   ")
        lines.append(String(repeating: " ", count: gutter + 1) + legend)
        for row in 0..<height {
            let label = row == 0 ? top : row == height - 1 ? bottom : ""
            var text = ""
            for column in 0..<width {
                let primary = canvases[0].character(row: row, column: column)
                if primary != " " || canvases.count == 1 {
                    text.append(primary)
                } else if canvases.dropFirst().contains(where: { $0.character(row: row, column: column) != " " }) {
                    text.append("·")
                } else {
                    text.append(" ")
                }
            }
            let pad = String(repeating: " ", count: gutter - label.count)
            lines.append((pad + label + (row == 0 || row == height - 1 ? "┤" : "│") + text).trimmingTrailingSpaces())
        }
        lines.append(String(repeating: " ", count: gutter) + "└" + String(repeating: "─", count: width))
        let first = "1", last = String(count)
        let middle = xLabel
        let space = max(1, width - first.count - last.count - middle.count)
        let left = space / 2, right = space - left
        lines.append(String(repeating: " ", count: gutter + 1) + first + String(repeating: " ", count: left)
                     + middle + String(repeating: " ", count: right) + last)
        return lines.joined(separator: "\n")
    }
}

/// A grid of braille cells, each 2 dots wide and 4 high.
struct BrailleCanvas {
    let width: Int
    let height: Int
    private var bits: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        bits = [UInt8](repeating: 0, count: width * height)
    }

    /// Sets the dot at (x, y), y counted from the bottom.
    mutating func set(x: Int, y: Int) {
        guard x >= 0, x < width * 2, y >= 0, y < height * 4 else { return }
        let row = height - 1 - y / 4
        let dotRow = 3 - y % 4
        let column = x / 2
        let dotColumn = x % 2
        let masks: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        bits[row * width + column] |= masks[dotColumn][dotRow]
    }

    /// The values as a connected line, x spread over `count` points, y over [low, high].
    mutating func plot(_ values: [Double], count: Int, low: Double, high: Double) {
        let xs = width * 2 - 1, ys = height * 4 - 1
        var previous: (Int, Int)? = nil
        for (index, value) in values.enumerated() {
            guard value.isFinite else { previous = nil; continue }
            let x = count <= 1 ? 0 : Int((Double(index) / Double(count - 1) * Double(xs)).rounded())
            let y = Int(((value - low) / (high - low) * Double(ys)).rounded())
            if let (px, py) = previous { line(from: (px, py), to: (x, y)) } else { set(x: x, y: y) }
            previous = (x, y)
        }
    }

    private mutating func line(from a: (Int, Int), to b: (Int, Int)) {
        let steps = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            set(x: Int((Double(a.0) + t * Double(b.0 - a.0)).rounded()), y: Int((Double(a.1) + t * Double(b.1 - a.1)).rounded()))
        }
    }

    func character(row: Int, column: Int) -> Character {
        let b = bits[row * width + column]
        return b == 0 ? " " : Character(Unicode.Scalar(0x2800 + UInt32(b))!)
    }
}
