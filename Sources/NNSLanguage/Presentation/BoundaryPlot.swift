import Foundation
import NNEngine

/// The decision regions of a network over two input features, with the data on top: as
/// text (a class shade per character, `o`/`x`/digits for the examples) or as SVG.
struct BoundaryPlot {
    let network: Network
    let points: [(Double, Double)]
    let labels: [Int]
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>

    /// Reads the first two features and the class of every example; the view is the data's
    /// bounding box widened by 15% on each side.
    init(network: Network, data: Dataset) throws {
        guard data.inputWidth == 2 else {
            throw BuiltinError("plot_boundary: the data has \(data.inputWidth) features; a decision boundary is drawn over 2",
                               hint: "use two-feature data such as the gates, or project the data first")
        }
        self.network = network
        let x = data.x.scalars
        points = (0..<data.count).map { (Double(x[2 * $0]), Double(x[2 * $0 + 1])) }
        labels = Self.classes(of: data)
        func widened(_ values: [Double]) -> ClosedRange<Double> {
            let low = values.min() ?? 0, high = values.max() ?? 1
            let pad = max(high - low, 1e-3) * 0.15
            return (low - pad)...(high + pad)
        }
        xRange = widened(points.map(\.0))
        yRange = widened(points.map(\.1))
    }

    static func classes(of data: Dataset) -> [Int] {
        if case .labels(let labels, _) = data.targets { return labels.map { Int($0) } }
        let y = data.y, width = data.targetWidth
        return (0..<data.count).map { i in
            if width == 1 { return y.scalars[i] > 0.5 ? 1 : 0 }
            let row = y.scalars[(i * width)..<((i + 1) * width)]
            return (row.max().flatMap { row.firstIndex(of: $0) } ?? i * width) - i * width
        }
    }

    /// The predicted class at each point of a `columns × rows` grid, row 0 at the top.
    func regions(columns: Int, rows: Int) throws -> [[Int]] {
        var grid = [Float]()
        grid.reserveCapacity(columns * rows * 2)
        for r in 0..<rows {
            for c in 0..<columns {
                let (x, y) = position(column: c, row: r, columns: columns, rows: rows)
                grid.append(Float(x))
                grid.append(Float(y))
            }
        }
        let out = try network.forward(Tensor(shape: [columns * rows, 2], scalars: grid), mode: .inference)
        let width = out.count / (columns * rows)
        return (0..<rows).map { r in
            (0..<columns).map { c in
                let i = r * columns + c
                if width == 1 { return out.scalars[i] > 0.5 ? 1 : 0 }
                let row = out.scalars[(i * width)..<((i + 1) * width)]
                return (row.max().flatMap { row.firstIndex(of: $0) } ?? i * width) - i * width
            }
        }
    }

    /// The centre of a grid cell in data coordinates.
    func position(column: Int, row: Int, columns: Int, rows: Int) -> (Double, Double) {
        let x = xRange.lowerBound + (Double(column) + 0.5) / Double(columns) * (xRange.upperBound - xRange.lowerBound)
        let y = yRange.upperBound - (Double(row) + 0.5) / Double(rows) * (yRange.upperBound - yRange.lowerBound)
        return (x, y)
    }

    /// Text: `·` for class 0's region, `░` class 1, `▒` class 2, `▓` class 3; examples as
    /// `o` (class 0), `x` (class 1) or their class digit.
    func text(columns: Int = 60, rows: Int = 24) throws -> String {
        var cells = try regions(columns: columns, rows: rows).map { row in
            row.map { k -> Character in ["·", "░", "▒", "▓"][safe: k] ?? Character(String(k % 10)) }
        }
        for (point, label) in zip(points, labels) {
            // In Double first: a NaN or a view of zero width (huge coordinates) gives no cell.
            let column = (point.0 - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(columns)
            let row = (yRange.upperBound - point.1) / (yRange.upperBound - yRange.lowerBound) * Double(rows)
            guard column >= 0, column < Double(columns), row >= 0, row < Double(rows) else { continue }
            let c = Int(column), r = Int(row)
            cells[r][c] = label == 0 ? "o" : label == 1 ? "x" : Character(String(label % 10))
        }
        var lines = ["decision regions (· class 0, ░ class 1, ▒ class 2; o x = examples of class 0, 1)"]
        lines.append(TraceText.number(yRange.upperBound))
        lines += cells.map { "│" + String($0) }
        lines.append("└" + String(repeating: "─", count: columns))
        let low = TraceText.number(xRange.lowerBound), high = TraceText.number(xRange.upperBound)
        lines.append(" " + low + String(repeating: " ", count: max(1, columns - low.count - high.count)) + high)
        lines.append(TraceText.number(yRange.lowerBound) + " (bottom)")
        return lines.joined(separator: "\n")
    }

    /// SVG: the regions on a 100×100 grid in light tints, the examples as coloured dots.
    func svg(title: String) throws -> String {
        let size = 480.0, margin = 50.0, n = 100
        let regions = try regions(columns: n, rows: n)
        var doc = SVGDocument(width: size + 2 * margin, height: size + 2 * margin)
        let cell = size / Double(n)
        // One rectangle per horizontal run of a class, so the file stays small.
        for r in 0..<n {
            var c = 0
            while c < n {
                let k = regions[r][c]
                var end = c
                while end + 1 < n && regions[r][end + 1] == k { end += 1 }
                doc.rect(margin + Double(c) * cell, margin + Double(r) * cell, Double(end - c + 1) * cell + 0.3, cell + 0.3,
                         fill: SVGDocument.classTints[k % SVGDocument.classTints.count])
                c = end + 1
            }
        }
        doc.rect(margin, margin, size, size, fill: "none", stroke: "#333")
        func sx(_ x: Double) -> Double { margin + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * size }
        func sy(_ y: Double) -> Double { margin + (yRange.upperBound - y) / (yRange.upperBound - yRange.lowerBound) * size }
        for (point, label) in zip(points, labels) {
            doc.circle(sx(point.0), sy(point.1), r: 6, fill: SVGDocument.classColors[label % SVGDocument.classColors.count])
        }
        for k in 0...4 {
            let x = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double(k) / 4
            let y = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double(k) / 4
            doc.text(sx(x), margin + size + 18, TraceText.number(x), size: 11, anchor: "middle")
            doc.text(margin - 6, sy(y) + 4, TraceText.number(y), size: 11, anchor: "end")
        }
        doc.text(margin + size / 2, 30, title, size: 15, anchor: "middle")
        doc.text(margin + size / 2, margin + size + 38, "x₁", size: 13, anchor: "middle")
        doc.text(16, margin + size / 2, "x₂", size: 13, anchor: "middle")
        return doc.text
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
