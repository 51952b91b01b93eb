import Foundation

/// Line charts drawn with Unicode braille: each character cell holds 2×4 dots, so a chart
/// of 60×10 characters has 120×40 points of resolution. Plain text; the host prints it.
///
///     loss
///     0.6931 ┤⠑⠢⢄
///            │   ⠈⠑⠒⠤⣀⣀
///     0.0021 ┤         ⠉⠉⠉⠒⠒⠒
///            └──────────────────
///             1               20   epoch
struct BrailleChart {
    var width = 60
    var height = 10

    /// One series against 1…n, with its own vertical range (or `range` when given).
    func draw(_ values: [Double], title: String, range fixed: ClosedRange<Double>? = nil, xLabel: String = "epoch") -> String {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return title + ": (no values)" }
        var low = fixed?.lowerBound ?? finite.min()!
        var high = fixed?.upperBound ?? finite.max()!
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        let dotsWide = width * 2, dotsHigh = height * 4
        var grid = [[UInt8]](repeating: [UInt8](repeating: 0, count: width), count: height)

        func dot(_ x: Int, _ y: Int) {
            guard x >= 0, x < dotsWide, y >= 0, y < dotsHigh else { return }
            let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
            grid[y / 4][x / 2] |= bits[y % 4][x % 2]
        }
        func point(_ i: Int) -> (Int, Int)? {
            guard values[i].isFinite else { return nil }
            let x = values.count == 1 ? 0 : Int((Double(i) / Double(values.count - 1) * Double(dotsWide - 1)).rounded())
            let t = (values[i] - low) / (high - low)
            let y = Int(((1 - t) * Double(dotsHigh - 1)).rounded())
            return (x, min(max(y, 0), dotsHigh - 1))
        }
        var previous: (Int, Int)? = nil
        for i in values.indices {
            guard let p = point(i) else { previous = nil; continue }
            if let q = previous { line(from: q, to: p, dot) } else { dot(p.0, p.1) }
            previous = p
        }

        let top = TraceText.number(high), bottom = TraceText.number(low)
        let margin = max(top.count, bottom.count)
        var lines = [title]
        for (row, cells) in grid.enumerated() {
            let label = row == 0 ? top : row == height - 1 ? bottom : ""
            let axis = (row == 0 || row == height - 1) ? "┤" : "│"
            let text = String(cells.map { Character(Unicode.Scalar(0x2800 + UInt32($0))!) })
            lines.append(String(repeating: " ", count: margin - label.count) + label + " " + axis + text)
        }
        lines.append(String(repeating: " ", count: margin + 1) + "└" + String(repeating: "─", count: width))
        let first = "1", last = String(values.count)
        let gap = max(1, width - first.count - last.count)
        lines.append(String(repeating: " ", count: margin + 2) + first + String(repeating: " ", count: gap) + last + "  " + xLabel)
        return lines.joined(separator: "\n")
    }

    /// Bresenham's line between two dots.
    private func line(from a: (Int, Int), to b: (Int, Int), _ dot: (Int, Int) -> Void) {
        var (x0, y0) = a
        let (x1, y1) = b
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            dot(x0, y0)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x0 += sx }
            if e2 <= dx { error += dx; y0 += sy }
        }
    }
}
