import NNEngine
import NNSLanguage

/// The `:stats` table: per layer, the mean and std of its output on a batch, and the share
/// of dead units (relu: zero for every sample) or saturated values (sigmoid/tanh within 1%
/// of a bound). A layer giving images (conv, pooling, batchnorm2d and what follows them)
/// gets a row per output channel under its own, the first `channelLimit` of them.
public enum ActivationStats {
    /// Channel rows shown per layer; the rest are counted in a closing note.
    public static let channelLimit = 16

    public struct Row: Equatable {
        public var index: Int
        public var layer: String
        public var shape: [Int]
        public var mean: Double
        public var std: Double
        public var deadShare: Double?
        public var saturatedShare: Double?
        /// The output channel this row is about; nil for a layer's own row.
        public var channel: Int? = nil
        /// On a layer's last channel row: how many channels were not shown.
        public var channelsLeftOut = 0
    }

    public static func rows(_ records: [ForwardTrace.Step]) -> [Row] {
        records.flatMap { record -> [Row] in
            let kind = record.layer.kind
            let stats = TensorStatistics(record.output)
            var dead: Double? = nil
            var layerRow = Row(index: record.index, layer: record.layer.description, shape: record.output.shape,
                               mean: stats.mean, std: stats.std, deadShare: nil,
                               saturatedShare: TensorDisplay.saturatedShare(record.output, kind: kind))
            guard let images = ChannelView(record.output) else {
                if kind == "relu" {
                    let (d, units) = TensorDisplay.deadUnits(record.output)
                    dead = units > 0 ? Double(d) / Double(units) : nil
                }
                layerRow.deadShare = dead
                return [layerRow]
            }
            // Images: a unit is one position of one channel, dead when zero for every sample.
            var channelRows: [Row] = []
            var deadTotal = 0
            for c in 0..<images.channels {
                let values = images.channel(c)
                let (d, positions) = images.deadPositions(c)
                deadTotal += d
                guard c < channelLimit else { continue }
                let s = TensorStatistics(values)
                channelRows.append(Row(index: record.index, layer: "channel \(c)", shape: [images.height, images.width],
                                       mean: s.mean, std: s.std,
                                       deadShare: kind == "relu" && positions > 0 ? Double(d) / Double(positions) : nil,
                                       saturatedShare: TensorDisplay.saturatedShare(values, kind: kind), channel: c))
            }
            if kind == "relu" {
                let units = images.channels * images.height * images.width
                layerRow.deadShare = units > 0 ? Double(deadTotal) / Double(units) : nil
            }
            if images.channels > channelLimit, !channelRows.isEmpty {
                channelRows[channelRows.count - 1].channelsLeftOut = images.channels - channelLimit
            }
            return [layerRow] + channelRows
        }
    }

    public static func render(_ rows: [Row]) -> String {
        var table = TextTable(header: ["#", "layer", "output", "mean", "std", "dead", "saturated"])
        for row in rows {
            table.add([row.channel == nil ? String(row.index) : "", row.channel == nil ? row.layer : "  " + row.layer,
                       NumberFormat.shape(row.shape),
                       NumberFormat.significant(row.mean), NumberFormat.significant(row.std),
                       row.deadShare.map(TensorDisplay.percent) ?? "", row.saturatedShare.map(TensorDisplay.percent) ?? ""])
            if row.channelsLeftOut > 0 {
                table.add(["", "  (\(row.channelsLeftOut) more channels)"])
            }
        }
        return table.render()
    }
}
