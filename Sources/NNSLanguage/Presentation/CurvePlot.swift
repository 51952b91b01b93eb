import Foundation

/// Training curves (`plot(history)`): one panel for the loss (training and validation) and,
/// for classifiers, one for the accuracy, as braille text or as SVG.
struct CurvePlot {
    /// A named series of per-epoch values.
    struct Series {
        var name: String
        var values: [Double]
    }

    /// The panels: series sharing one vertical axis (loss with val_loss, accuracy with val_accuracy).
    var panels: [[Series]]
    /// The horizontal axis: `epoch` for histories.
    var xLabel = "epoch"

    /// Panels from named columns, in the order loss-like, accuracy-like, others.
    init(columns: [Series]) {
        let loss = columns.filter { $0.name.hasSuffix("loss") }
        let accuracy = columns.filter { $0.name.hasSuffix("accuracy") }
        let others = columns.filter { !$0.name.hasSuffix("loss") && !$0.name.hasSuffix("accuracy") }
        panels = [loss, accuracy].filter { !$0.isEmpty } + others.map { [$0] }
    }

    /// Braille charts, one per series (a terminal has one colour to draw with).
    var text: String {
        var charts = [String]()
        for panel in panels {
            let isAccuracy = panel.first?.name.hasSuffix("accuracy") ?? false
            for series in panel {
                let last = series.values.last(where: \.isFinite).map { "  (last: " + TraceText.number($0) + ")" } ?? ""
                charts.append(BrailleChart().draw(series.values, title: series.name + last, range: isAccuracy ? 0...1 : nil, xLabel: xLabel))
            }
        }
        return charts.joined(separator: "\n\n")
    }

    /// An SVG of the panels stacked, each with axes, ticks and a legend.
    var svg: String {
        let panelWidth = 640.0, panelHeight = 260.0
        let left = 70.0, right = 20.0, top = 30.0, bottom = 40.0
        var doc = SVGDocument(width: panelWidth, height: panelHeight * Double(panels.count))
        let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
        for (p, panel) in panels.enumerated() {
            let y0 = Double(p) * panelHeight
            let isAccuracy = panel.first?.name.hasSuffix("accuracy") ?? false
            let finite = panel.flatMap(\.values).filter(\.isFinite)
            var low = isAccuracy ? 0 : (finite.min() ?? 0)
            var high = isAccuracy ? 1 : (finite.max() ?? 1)
            if high - low < 1e-12 { low -= 0.5; high += 0.5 }
            let count = panel.map(\.values.count).max() ?? 1
            let plotW = panelWidth - left - right, plotH = panelHeight - top - bottom
            func x(_ i: Int) -> Double { left + (count <= 1 ? 0 : Double(i) / Double(count - 1) * plotW) }
            func y(_ v: Double) -> Double { y0 + top + (1 - (v - low) / (high - low)) * plotH }
            doc.line(left, y0 + top, left, y0 + top + plotH)
            doc.line(left, y0 + top + plotH, left + plotW, y0 + top + plotH)
            for k in 0...4 {
                let v = low + (high - low) * Double(k) / 4
                doc.line(left - 4, y(v), left, y(v))
                doc.line(left, y(v), left + plotW, y(v), stroke: "#e5e5e5")
                doc.text(left - 8, y(v) + 4, TraceText.number(v), size: 11, anchor: "end")
            }
            for k in 0...min(4, max(count - 1, 0)) {
                let i = count <= 1 ? 0 : Int((Double(k) / 4 * Double(count - 1)).rounded())
                doc.text(x(i), y0 + top + plotH + 16, String(i + 1), size: 11, anchor: "middle")
            }
            doc.text(left + plotW / 2, y0 + panelHeight - 6, xLabel, size: 12, anchor: "middle")
            doc.text(left, y0 + 18, isAccuracy ? "accuracy" : (panel.first?.name ?? ""), size: 14)
            for (s, series) in panel.enumerated() {
                let color = colors[s % colors.count]
                var run = [(Double, Double)]()
                for (i, v) in series.values.enumerated() {
                    if v.isFinite { run.append((x(i), y(v))) } else if !run.isEmpty { doc.polyline(run, stroke: color); run = [] }
                }
                if run.count == 1 { doc.circle(run[0].0, run[0].1, r: 3, fill: color, stroke: color) }
                if run.count > 1 { doc.polyline(run, stroke: color) }
                let lx = left + plotW - 150, ly = y0 + 18 + Double(s) * 0
                doc.line(lx + Double(s) * 80, ly - 4, lx + Double(s) * 80 + 20, ly - 4, stroke: color, width: 3)
                doc.text(lx + Double(s) * 80 + 24, ly, series.name, size: 12)
            }
        }
        return doc.text
    }
}
