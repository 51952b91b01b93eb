import NNEngine
import NNSLanguage

/// The `:stats` table: per layer, the mean and std of its output on a batch, and the share
/// of dead units (relu: zero for every sample) or saturated values (sigmoid/tanh within 1%
/// of a bound).
public enum ActivationStats {
    public struct Row: Equatable {
        public var index: Int
        public var layer: String
        public var shape: [Int]
        public var mean: Double
        public var std: Double
        public var deadShare: Double?
        public var saturatedShare: Double?
    }

    public static func rows(_ records: [ForwardTrace.Step]) -> [Row] {
        records.map { record in
            let stats = TensorStatistics(record.output)
            var dead: Double? = nil
            if record.layer.kind == "relu" {
                let (d, units) = TensorDisplay.deadUnits(record.output)
                dead = units > 0 ? Double(d) / Double(units) : nil
            }
            return Row(index: record.index, layer: record.layer.description, shape: record.output.shape,
                       mean: stats.mean, std: stats.std, deadShare: dead,
                       saturatedShare: TensorDisplay.saturatedShare(record.output, kind: record.layer.kind))
        }
    }

    public static func render(_ rows: [Row]) -> String {
        var table = TextTable(header: ["#", "layer", "output", "mean", "std", "dead", "saturated"])
        for row in rows {
            table.add([String(row.index), row.layer, NumberFormat.shape(row.shape),
                       NumberFormat.significant(row.mean), NumberFormat.significant(row.std),
                       row.deadShare.map(TensorDisplay.percent) ?? "", row.saturatedShare.map(TensorDisplay.percent) ?? ""])
        }
        return table.render()
    }
}
