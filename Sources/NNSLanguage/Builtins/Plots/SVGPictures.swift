import Foundation
import NNEngine

/// `plot_weights` and `plot_boundary`: pictures of what a network has learned, as SVG.
enum SVGPictures {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Each unit's incoming weights (a row of W) as an image, blue for negative, red for
    /// positive, scaled per unit; square when the input count is a square (28×28 for MNIST).
    static func weights(_ weight: Tensor, units: Int) -> String {
        let outputs = weight.shape[0], inputs = weight.shape[1]
        let shown = min(units, outputs)
        let side = Int(Double(inputs).squareRoot().rounded())
        let (rows, columns) = side * side == inputs ? (side, side) : (1, inputs)
        let pixel = max(1.0, min(8.0, 96.0 / Double(max(rows, columns))))
        let tileWidth = Double(columns) * pixel, tileHeight = Double(rows) * max(pixel, rows == 1 ? 24 : pixel)
        let gridColumns = max(1, Int(Double(shown).squareRoot().rounded(.up)))
        let gridRows = (shown + gridColumns - 1) / gridColumns
        let gap = 6.0, label = 14.0
        var svg = SVGDocument(width: Double(gridColumns) * (tileWidth + gap) + gap,
                              height: Double(gridRows) * (tileHeight + gap + label) + gap)
        for unit in 0..<shown {
            let ox = gap + Double(unit % gridColumns) * (tileWidth + gap)
            let oy = gap + Double(unit / gridColumns) * (tileHeight + gap + label)
            let row = Array(weight.scalars[(unit * inputs)..<((unit + 1) * inputs)])
            let scale = max(row.map { abs($0) }.max() ?? 0, 1e-12)
            svg.add("<text x=\"\(SVGChart.f(ox))\" y=\"\(SVGChart.f(oy + 10))\" font-size=\"10\">\(unit)</text>")
            let cellHeight = tileHeight / Double(rows)
            for (i, w) in row.enumerated() {
                let x = ox + Double(i % columns) * pixel, y = oy + label + Double(i / columns) * cellHeight
                svg.add("<rect x=\"\(SVGChart.f(x))\" y=\"\(SVGChart.f(y))\" width=\"\(SVGChart.f(pixel))\" height=\"\(SVGChart.f(cellHeight))\" fill=\"\(diverging(Double(w / Float(scale))))\"/>")
            }
        }
        return svg.text
    }

    /// A colour from blue (−1) through white (0) to red (+1).
    static func diverging(_ t: Double) -> String {
        let t = max(-1, min(1, t))
        let (r, g, b): (Double, Double, Double) = t < 0
            ? (1 + t, 1 + t, 1) : (1, 1 - t, 1 - t)
        return String(format: "#%02x%02x%02x", Int(r * 255), Int(g * 255), Int(b * 255))
    }

    /// The decision regions of a network over the plane of a 2-feature data set, with the
    /// examples on top, coloured by class.
    static func boundary(_ network: Network, _ data: Dataset, resolution: Int) throws -> String {
        guard data.inputWidth == 2 else {
            throw BuiltinError("plot_boundary: the data must have 2 features, it has \(data.inputWidth)",
                               hint: "decision boundaries are drawn in the plane of two inputs")
        }
        let x = data.x
        var lows = [Float.infinity, .infinity], highs = [-Float.infinity, -.infinity]
        for i in 0..<data.count {
            for j in 0..<2 {
                lows[j] = min(lows[j], x.scalars[i * 2 + j])
                highs[j] = max(highs[j], x.scalars[i * 2 + j])
            }
        }
        for j in 0..<2 {
            let pad = max((highs[j] - lows[j]) * 0.15, 0.5)
            lows[j] -= pad
            highs[j] += pad
        }
        var grid = [Float]()
        grid.reserveCapacity(resolution * resolution * 2)
        for row in 0..<resolution {
            for column in 0..<resolution {
                grid.append(lows[0] + (highs[0] - lows[0]) * (Float(column) + 0.5) / Float(resolution))
                grid.append(highs[1] - (highs[1] - lows[1]) * (Float(row) + 0.5) / Float(resolution))
            }
        }
        let output = try network.forward(Tensor(shape: [resolution * resolution, 2], scalars: grid), mode: .inference)
        let k = output.rank == 2 ? output.shape[1] : 1
        let size = 480.0, cell = size / Double(resolution), margin = 40.0
        var svg = SVGDocument(width: size + 2 * margin, height: size + 2 * margin)
        for index in 0..<(resolution * resolution) {
            let (classIndex, confidence) = decision(output.scalars[(index * k)..<((index + 1) * k)])
            let px = margin + Double(index % resolution) * cell, py = margin + Double(index / resolution) * cell
            svg.add("<rect x=\"\(SVGChart.f(px))\" y=\"\(SVGChart.f(py))\" width=\"\(SVGChart.f(cell + 0.3))\" height=\"\(SVGChart.f(cell + 0.3))\" fill=\"\(palette[classIndex % palette.count])\" fill-opacity=\"\(SVGChart.f(0.15 + 0.45 * confidence))\"/>")
        }
        let labels = (0..<data.count).map { data.label(at: $0) ?? 0 }
        for i in 0..<data.count {
            let fx = Double((x.scalars[i * 2] - lows[0]) / (highs[0] - lows[0]))
            let fy = Double((x.scalars[i * 2 + 1] - lows[1]) / (highs[1] - lows[1]))
            svg.add("<circle cx=\"\(SVGChart.f(margin + fx * size))\" cy=\"\(SVGChart.f(margin + (1 - fy) * size))\" r=\"5\" fill=\"\(palette[labels[i] % palette.count])\" stroke=\"black\"/>")
        }
        svg.add("<rect x=\"\(SVGChart.f(margin))\" y=\"\(SVGChart.f(margin))\" width=\"\(SVGChart.f(size))\" height=\"\(SVGChart.f(size))\" fill=\"none\" stroke=\"#333\"/>")
        svg.add("<text x=\"\(SVGChart.f(margin))\" y=\"\(SVGChart.f(margin + size + 18))\">x₁ from \(AxisLabel.format(Double(lows[0]))) to \(AxisLabel.format(Double(highs[0])))</text>")
        svg.add("<text x=\"\(SVGChart.f(margin))\" y=\"\(SVGChart.f(margin - 10))\">x₂ from \(AxisLabel.format(Double(lows[1]))) to \(AxisLabel.format(Double(highs[1])))</text>")
        return svg.text
    }

    /// The predicted class and how sure the network is (0…1): argmax for several outputs,
    /// a threshold at 0.5 for one.
    static func decision(_ outputs: ArraySlice<Float>) -> (Int, Double) {
        if outputs.count == 1 {
            let p = Double(outputs.first!)
            let clamped = max(0, min(1, p))
            return clamped >= 0.5 ? (1, (clamped - 0.5) * 2) : (0, (0.5 - clamped) * 2)
        }
        var best = outputs.startIndex
        for i in outputs.indices where outputs[i] > outputs[best] { best = i }
        let total = outputs.reduce(0) { $0 + max($1, 0) }
        let confidence = total > 0 ? Double(max(outputs[best], 0) / total) : 1
        return (best - outputs.startIndex, max(0, min(1, confidence)))
    }
}
