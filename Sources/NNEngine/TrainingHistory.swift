/// What `train` records, one row per epoch — a table whose columns can be read by name, the
/// way Keras' `History.history` is (`loss`, `accuracy`, `val_loss`, `val_accuracy`), plus
/// `epoch`, `seconds` and `lr`.
public struct History: Sendable, CustomStringConvertible {
    /// One epoch's numbers.
    public struct Row: Sendable, Equatable {
        /// 1-based epoch number.
        public var epoch: Int
        /// Mean training loss over the epoch's steps (the data loss, without l1/l2 penalties),
        /// weighted by batch size, computed in training mode as the steps ran.
        public var loss: Double
        /// Share of training examples classified correctly during the epoch (nil for regression).
        public var accuracy: Double?
        /// Loss on the validation data after the epoch, in inference mode (nil without validation).
        public var validationLoss: Double?
        public var validationAccuracy: Double?
        /// Wall-clock time of the epoch, validation included.
        public var seconds: Double
        /// The learning rate the epoch trained with.
        public var learningRate: Double
        /// Examples the epoch trained on (less than the data set's size if it was interrupted).
        public var examples: Int
    }

    public var rows: [Row] = []
    /// True when a stop request (Ctrl-C) ended training; the last row then covers only the
    /// steps run before it.
    public var interrupted = false
    /// True when early stopping ended training before the requested epochs.
    public var stoppedEarly = false
    /// With early stopping: the epoch whose weights were restored (the lowest monitored loss).
    public var bestEpoch: Int?
    /// Whether accuracy is meaningful (a classifier) and whether there was validation data.
    public var hasAccuracy: Bool
    public var hasValidation: Bool

    public init(hasAccuracy: Bool, hasValidation: Bool) {
        self.hasAccuracy = hasAccuracy
        self.hasValidation = hasValidation
    }

    /// The columns present, in display order.
    public var columnNames: [String] {
        var names = ["epoch", "loss"]
        if hasAccuracy { names.append("accuracy") }
        if hasValidation {
            names.append("val_loss")
            if hasAccuracy { names.append("val_accuracy") }
        }
        names += ["seconds", "lr"]
        return names
    }

    /// A column by name (`history.loss`, `history["val_accuracy"]`); missing values are NaN.
    /// nil for an unknown name or a column this history does not have.
    public func column(_ name: String) -> [Double]? {
        guard columnNames.contains(name) else { return nil }
        return rows.map { Self.value(name, in: $0) }
    }

    /// One cell: the value of column `name` in `row` (NaN where the row has none).
    private static func value(_ name: String, in row: Row) -> Double {
        switch name {
        case "epoch": return Double(row.epoch)
        case "loss": return row.loss
        case "accuracy": return row.accuracy ?? .nan
        case "val_loss": return row.validationLoss ?? .nan
        case "val_accuracy": return row.validationAccuracy ?? .nan
        case "seconds": return row.seconds
        case "lr": return row.learningRate
        default: return .nan
        }
    }

    /// Number of epochs recorded.
    public var count: Int { rows.count }

    /// The history as a text table.
    /// Long histories show their first and last rows with the middle elided, so printing one
    /// stays cheap however many epochs (or interrupted steps) it holds.
    public var description: String {
        let names = columnNames
        let shown = rows.count <= 40 ? Array(rows.indices) : Array(0..<10) + [-1] + Array(rows.count - 10..<rows.count)
        let cellRows: [[String]?] = shown.map { index in
            guard index >= 0 else { return nil }
            return names.map { name -> String in
                let v = Self.value(name, in: rows[index])
                switch name {
                case "epoch": return String(Int(v))
                case "seconds": return Self.fixed(v, digits: 2)
                case "lr": return formatHyperParameter(Float(v))
                default: return Self.fixed(v, digits: 4)
                }
            }
        }
        // Each column as wide as its widest cell; numbers right-aligned under their name.
        var widths = names.map(\.count)
        for cells in cellRows.compactMap({ $0 }) {
            for (i, cell) in cells.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }
        var lines = [line(names)]
        for cells in cellRows {
            if let cells { lines.append(line(cells)) } else { lines.append("… \(rows.count - 20) more epochs …") }
        }
        if interrupted { lines.append("(interrupted: the last epoch is partial)") }
        if stoppedEarly, let best = bestEpoch { lines.append("(stopped early; weights restored from epoch \(best))") }
        return lines.joined(separator: "\n")
    }

    /// `v` with exactly `digits` decimals (`0.1310`), `-` for a missing cell.
    private static func fixed(_ v: Double, digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "-" : (v < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 1e15 else { return "\(v)" }
        let units = Int64(scaled)
        let whole = units / Int64(scale), fraction = String(units % Int64(scale))
        let sign = v < 0 && units != 0 ? "-" : ""
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

/// What the progress callback receives after every step. The engine prints nothing; the
/// language or REPL turns this into a progress bar (ETA = remaining batches × seconds per
/// batch, from `elapsedSeconds / batch`).
public struct TrainingProgress: Sendable {
    /// 1-based epoch and its total.
    public var epoch: Int
    public var epochs: Int
    /// 1-based batch within the epoch and the batches per epoch.
    public var batch: Int
    public var batchesPerEpoch: Int
    /// Mean loss and accuracy over the epoch's steps so far (accuracy nil for regression).
    public var loss: Double
    public var accuracy: Double?
    /// Training throughput over the epoch so far.
    public var samplesPerSecond: Double
    /// Seconds since the epoch began.
    public var elapsedSeconds: Double
    /// The epoch's learning rate.
    public var learningRate: Double
}
