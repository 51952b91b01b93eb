import NNEngine

/// One input row drawn as a greyscale picture (`plot_image(data.x[0], shape: [28, 28])`):
/// darker for larger values, scaled between the row's smallest and largest value, as ink on
/// paper. SVG draws one square per pixel; text uses one character per pixel column and two
/// pixel rows (`▀`, `▄`, `█` and space for the four combinations of ink), so a 28×28 digit is
/// 28 characters by 14 lines.
struct ImagePicture {
    let values: [Float]
    let rows: Int
    let columns: Int

    /// `shape` is [rows, columns] (or [rows, columns, 1]); by default the nearest square, else one row.
    init(_ image: Tensor, shape: [Int]?) throws {
        let count = image.count
        guard count > 0 else { throw BuiltinError("plot_image: the image is empty") }
        if let shape {
            let dims = shape.count == 3 && shape[2] == 1 ? Array(shape.prefix(2)) : shape
            guard dims.count == 2, dims[0] * dims[1] == count else {
                throw BuiltinError("plot_image: shape \(ShapeText.format(shape)) does not hold the \(count) values of this image",
                                   hint: "give [rows, columns] with rows × columns = \(count)", argument: "shape")
            }
            (rows, columns) = (dims[0], dims[1])
        } else if image.rank == 2, image.shape[0] > 1 {
            (rows, columns) = (image.shape[0], image.shape[1])
        } else {
            let side = Int(Double(count).squareRoot().rounded())
            (rows, columns) = side * side == count ? (side, side) : (1, count)
        }
        values = image.scalars
    }

    /// Each value as ink in [0, 1] (NaN as none), scaled between the smallest and largest.
    private var ink: [Double] {
        let finite = values.filter(\.isFinite)
        let low = Double(finite.min() ?? 0), high = Double(finite.max() ?? 0)
        return values.map { v in
            guard v.isFinite else { return 0 }
            return high > low ? (Double(v) - low) / (high - low) : (high > 0 ? 1 : 0)
        }
    }

    var svg: String {
        let pixel = max(2.0, min(12.0, 280.0 / Double(max(rows, columns))))
        var doc = SVGDocument(width: Double(columns) * pixel, height: Double(rows) * pixel)
        let levels = 16
        var shades = [Int: [(Double, Double)]]()
        for (k, t) in ink.enumerated() {
            let level = Int((t * Double(levels)).rounded())
            guard level > 0 else { continue }
            shades[level, default: []].append((Double(k % columns) * pixel, Double(k / columns) * pixel))
        }
        for (level, cells) in shades.sorted(by: { $0.key < $1.key }) {
            let grey = 1 - Double(level) / Double(levels)
            doc.pixels(cells, size: pixel, fill: SVGDocument.color(grey, grey, grey))
        }
        return doc.text
    }

    /// Half blocks: the upper and lower pixel of each character cell are inked when at least
    /// half-way dark.
    var text: String {
        let ink = self.ink
        func dark(_ r: Int, _ c: Int) -> Bool { r < rows && ink[r * columns + c] >= 0.5 }
        var lines: [String] = []
        for r in stride(from: 0, to: rows, by: 2) {
            var line = ""
            for c in 0..<columns {
                switch (dark(r, c), dark(r + 1, c)) {
                case (true, true): line.append("█")
                case (true, false): line.append("▀")
                case (false, true): line.append("▄")
                case (false, false): line.append(" ")
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
