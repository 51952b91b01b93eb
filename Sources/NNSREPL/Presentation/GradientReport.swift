import NNEngine
import NNSLanguage

/// The `:grad` table: per parameter its shape, ‖g‖, mean, max |g| and, when a learning rate
/// is known, the relative update ‖lr·g‖/‖W‖; flags vanishing (‖g‖ < 1e-7) and exploding
/// (‖g‖ > 1e3) gradients. A conv layer's weight [out, in, kh, kw] also gets a row per output
/// channel (its kernels' gradient; the first `channelLimit`), where a dead filter shows.
public enum GradientReport {
    public static let channelLimit = 16
    public static let vanishingBelow = 1e-7
    public static let explodingAbove = 1e3

    public struct Row: Equatable {
        public var name: String
        public var shape: [Int]
        public var norm: Double
        public var mean: Double
        public var maxAbs: Double
        public var relativeUpdate: Double?
        public var flag: String?
        /// The output channel of a conv weight this row is about; nil for a whole parameter.
        public var channel: Int? = nil
    }

    /// Rows for every trainable parameter, from its value and its gradient.
    public static func rows(_ network: Network, learningRate: Double?) -> [Row] {
        network.namedParameters.filter { $0.parameter.isTrainable }.flatMap { name, p -> [Row] in
            let whole = row(name, value: p.value, gradient: p.grad, learningRate: learningRate)
            guard p.value.rank == 4, p.grad.shape == p.value.shape else { return [whole] }
            let out = p.value.shape[0], size = p.value.count / max(out, 1)
            let channels = (0..<min(out, channelLimit)).map { o -> Row in
                let part = { (t: Tensor) in Tensor(shape: Array(t.shape.dropFirst()), scalars: Array(t.scalars[(o * size)..<((o + 1) * size)])) }
                var r = row("out \(o)", value: part(p.value), gradient: part(p.grad), learningRate: learningRate)
                r.channel = o
                return r
            }
            return [whole] + channels
        }
    }

    private static func row(_ name: String, value: Tensor, gradient g: Tensor, learningRate: Double?) -> Row {
        let stats = TensorStatistics(g)
        let gNorm = norm(g)
        let maxAbs = g.scalars.reduce(0.0) { max($0, Double(abs($1))) }
        var relative: Double? = nil
        if let lr = learningRate {
            let w = norm(value)
            relative = w > 0 ? abs(lr) * gNorm / w : nil
        }
        let flag: String? = !gNorm.isFinite ? "not finite" : gNorm < vanishingBelow ? "vanishing"
            : gNorm > explodingAbove ? "exploding" : nil
        return Row(name: name, shape: value.shape, norm: gNorm, mean: stats.mean, maxAbs: maxAbs,
                   relativeUpdate: relative, flag: flag)
    }

    public static func render(_ rows: [Row], learningRate: Double?) -> String {
        var header = ["parameter", "shape", "‖g‖", "mean", "max |g|"]
        if let lr = learningRate { header.append("‖lr·g‖/‖W‖ (lr \(NumberFormat.significant(lr)))") }
        header.append("")
        var table = TextTable(header: header)
        for row in rows {
            var cells = [row.channel == nil ? row.name : "  " + row.name, NumberFormat.shape(row.shape), NumberFormat.significant(row.norm),
                         NumberFormat.significant(row.mean), NumberFormat.significant(row.maxAbs)]
            if learningRate != nil { cells.append(row.relativeUpdate.map { NumberFormat.significant($0) } ?? "—") }
            cells.append(row.flag.map { "⚠ " + $0 } ?? "")
            table.add(cells)
        }
        return table.render()
    }
}

/// Euclidean norm of all elements, in Float64.
func norm(_ tensor: Tensor) -> Double {
    var s = 0.0
    for x in tensor.scalars { s += Double(x) * Double(x) }
    return s.squareRoot()
}
