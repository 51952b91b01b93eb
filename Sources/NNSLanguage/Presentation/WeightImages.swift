import Foundation
import NNEngine

/// Each unit's incoming weights (a row of W, shape [out, in]) drawn as an image of the input's
/// shape — 28×28 for MNIST — in a grid of units: red for positive weights, blue for
/// negative, white for zero, each unit scaled by its own largest |w|.
struct WeightImages {
    let weight: Tensor
    let imageShape: (rows: Int, columns: Int)
    let units: Int
    /// The SVG's heading; nil for the incoming-weights heading of a linear layer.
    var heading: String? = nil
    /// Each tile's label; nil for `unit k`.
    var labels: [String]? = nil

    private func label(_ u: Int) -> String { labels.map { u < $0.count ? $0[u] : "\(u)" } ?? "unit \(u)" }

    /// `shape` is the image of one unit's inputs; by default the nearest square (784 → 28×28),
    /// or one row when the width is not a square.
    init(weight: Tensor, shape: [Int]?, maximumUnits: Int) throws {
        guard weight.rank == 2 else {
            throw BuiltinError("plot_weights: needs a weight matrix [out, in], got shape \(ShapeText.format(weight.shape))")
        }
        self.weight = weight
        let inputs = weight.shape[1]
        if let shape {
            guard shape.count == 2, shape[0] * shape[1] == inputs else {
                throw BuiltinError("plot_weights: shape \(ShapeText.format(shape)) does not hold \(inputs) inputs",
                                   hint: "give [rows, columns] with rows × columns = \(inputs)")
            }
            imageShape = (shape[0], shape[1])
        } else {
            let side = Int(Double(inputs).squareRoot().rounded())
            imageShape = side * side == inputs ? (side, side) : (1, inputs)
        }
        units = min(weight.shape[0], maximumUnits)
    }

    private func unit(_ u: Int) -> ArraySlice<Float> {
        let n = weight.shape[1]
        return weight.scalars[(u * n)..<((u + 1) * n)]
    }

    /// The grid as SVG; pixels of equal shade share one path so the file stays small.
    var svg: String {
        let (rows, columns) = imageShape
        let gridColumns = Int(Double(units).squareRoot().rounded(.up))
        let gridRows = (units + gridColumns - 1) / gridColumns
        let pixel = max(1.0, min(6.0, 120.0 / Double(max(rows, columns))))
        let tileW = Double(columns) * pixel, tileH = Double(rows) * pixel
        let gap = 6.0, header = 28.0
        let title = heading ?? "incoming weights of \(units) unit\(units == 1 ? "" : "s") (\(rows)×\(columns) each; red +, blue −)"
        // Wide enough for the title too (about 7 px a character at size 13).
        var doc = SVGDocument(width: max(Double(gridColumns) * (tileW + gap) + gap, Double(title.count) * 7 + 2 * gap),
                              height: header + Double(gridRows) * (tileH + gap + 12) + gap)
        doc.text(gap, 18, title, size: 13)
        let levels = 10
        for u in 0..<units {
            let weights = unit(u)
            let scale = weights.map { abs($0) }.max() ?? 0
            let ox = gap + Double(u % gridColumns) * (tileW + gap)
            let oy = header + Double(u / gridColumns) * (tileH + gap + 12)
            var shades = [Int: [(Double, Double)]]()
            for (k, w) in weights.enumerated() {
                let t = scale > 0 ? Double(w / scale) : 0
                let level = Int((t * Double(levels)).rounded())
                guard level != 0 else { continue }
                shades[level, default: []].append((ox + Double(k % columns) * pixel, oy + Double(k / columns) * pixel))
            }
            doc.rect(ox, oy, tileW, tileH, fill: "white", stroke: "#999")
            for (level, cells) in shades.sorted(by: { $0.key < $1.key }) {
                let t = Double(abs(level)) / Double(levels)
                let color = level > 0 ? SVGDocument.color(1, 1 - t, 1 - t) : SVGDocument.color(1 - t, 1 - t, 1)
                doc.pixels(cells, size: pixel, fill: color)
            }
            doc.text(ox, oy + tileH + 11, label(u), size: 9)
        }
        return doc.text
    }

    /// Text: up to `perRow` units side by side, downsampled so a 28×28 image is 14×14
    /// characters; `█▓▒░` for strong to weak positive weights, `-` for clearly negative ones.
    func text(perRow: Int = 4, maximumUnits: Int = 8) -> String {
        let (rows, columns) = imageShape
        let step = max(1, max(rows, columns) / 14)
        let shown = min(units, maximumUnits)
        var blocks = [String]()
        for start in stride(from: 0, to: shown, by: perRow) {
            let group = Array(start..<min(start + perRow, shown))
            let tile = max((columns + step - 1) / step, 7)
            var lines = [group.map { TraceText.pad(label($0), tile + 2) }.joined()]
            for r in stride(from: 0, to: rows, by: step) {
                var line = ""
                for u in group {
                    let weights = Array(unit(u))
                    let scale = weights.map { abs($0) }.max() ?? 0
                    for c in stride(from: 0, to: columns, by: step) {
                        var total: Float = 0, count: Float = 0
                        for dr in 0..<step where r + dr < rows {
                            for dc in 0..<step where c + dc < columns { total += weights[(r + dr) * columns + c + dc]; count += 1 }
                        }
                        let t = scale > 0 ? Double(total / max(count, 1) / scale) : 0
                        line.append(t > 0.6 ? "█" : t > 0.35 ? "▓" : t > 0.15 ? "▒" : t > 0.05 ? "░" : t < -0.15 ? "-" : " ")
                    }
                    line += String(repeating: " ", count: tile - (columns + step - 1) / step + 2)
                }
                lines.append(line)
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if units > shown { blocks.append("(\(units - shown) more \(labels == nil ? "units" : "images"): write an SVG file to see all)") }
        return blocks.joined(separator: "\n\n")
    }
}
