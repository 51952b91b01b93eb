import Foundation

/// Line charts as SVG files: `plot(history, "curves.svg")` writes the loss panel above the
/// accuracy panel, validation curves dashed.
enum SVGChart {
    static let width = 720.0
    static let panelHeight = 260.0
    static let margin = (left: 64.0, right: 24.0, top: 34.0, bottom: 44.0)
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]

    static func render(panels: [[PlotSeries]], xLabel: String) -> String {
        let height = panelHeight * Double(panels.count)
        var svg = SVGDocument(width: width, height: height)
        for (index, panel) in panels.enumerated() {
            draw(panel, xLabel: xLabel, top: Double(index) * panelHeight, into: &svg)
        }
        return svg.text
    }

    private static func draw(_ panel: [PlotSeries], xLabel: String, top: Double, into svg: inout SVGDocument) {
        let left = margin.left, right = width - margin.right
        let plotTop = top + margin.top, plotBottom = top + panelHeight - margin.bottom
        let ranges = panel.compactMap(\.range)
        guard let low = ranges.map(\.low).min(), let high = ranges.map(\.high).max() else { return }
        let count = max(panel.map(\.values.count).max() ?? 1, 1)
        func x(_ i: Int) -> Double { count == 1 ? left : left + Double(i) / Double(count - 1) * (right - left) }
        func y(_ v: Double) -> Double { plotBottom - (v - low) / (high - low) * (plotBottom - plotTop) }

        svg.add("<rect x=\"\(f(left))\" y=\"\(f(plotTop))\" width=\"\(f(right - left))\" height=\"\(f(plotBottom - plotTop))\" fill=\"none\" stroke=\"#999\"/>")
        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            let ty = y(value)
            svg.add("<line x1=\"\(f(left - 4))\" y1=\"\(f(ty))\" x2=\"\(f(right))\" y2=\"\(f(ty))\" stroke=\"#eee\"/>")
            svg.add("<text x=\"\(f(left - 8))\" y=\"\(f(ty + 4))\" text-anchor=\"end\">\(AxisLabel.format(value))</text>")
        }
        for tick in xTicks(count) {
            svg.add("<text x=\"\(f(x(tick - 1)))\" y=\"\(f(plotBottom + 18))\" text-anchor=\"middle\">\(tick)</text>")
        }
        svg.add("<text x=\"\(f((left + right) / 2))\" y=\"\(f(plotBottom + 36))\" text-anchor=\"middle\">\(SVGDocument.escaped(xLabel))</text>")
        for (index, series) in panel.enumerated() {
            let color = colors[index % colors.count]
            var segments: [[String]] = [[]]
            for (i, value) in series.values.enumerated() {
                if value.isFinite { segments[segments.count - 1].append("\(f(x(i))),\(f(y(value)))") } else { segments.append([]) }
            }
            let dash = series.name.hasPrefix("val_") ? " stroke-dasharray=\"6 4\"" : ""
            for points in segments where !points.isEmpty {
                svg.add("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(points.joined(separator: " "))\"/>")
            }
            let ly = plotTop - 12
            let lx = left + Double(index) * 150
            svg.add("<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>")
            svg.add("<text x=\"\(f(lx + 30))\" y=\"\(f(ly))\">\(SVGDocument.escaped(series.name))</text>")
        }
    }

    /// About six whole-numbered ticks from 1 to `count`.
    static func xTicks(_ count: Int) -> [Int] {
        guard count > 1 else { return [1] }
        let step = max(1, Int((Double(count - 1) / 5).rounded(.up)))
        var ticks = Array(stride(from: 1, through: count, by: step))
        if ticks.last != count { ticks.append(count) }
        return ticks
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
}

/// An SVG document being assembled.
struct SVGDocument {
    private var lines: [String]

    init(width: Double, height: Double) {
        lines = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVGChart.f(width))\" height=\"\(SVGChart.f(height))\" viewBox=\"0 0 \(SVGChart.f(width)) \(SVGChart.f(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
                 "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"]
    }

    mutating func add(_ element: String) { lines.append(element) }

    var text: String { (lines + ["</svg>"]).joined(separator: "\n") + "\n" }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Writes the file atomically: a failure leaves any earlier file intact.
    static func write(_ text: String, to path: String, function: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BuiltinError("\(function): cannot write \(path): \(error.localizedDescription)",
                               hint: "check that the folder exists and is writable")
        }
    }
}
