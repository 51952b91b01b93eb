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
        switch name {
        case "epoch": return rows.map { Double($0.epoch) }
        case "loss": return rows.map(\.loss)
        case "accuracy": return rows.map { $0.accuracy ?? .nan }
        case "val_loss": return rows.map { $0.validationLoss ?? .nan }
        case "val_accuracy": return rows.map { $0.validationAccuracy ?? .nan }
        case "seconds": return rows.map(\.seconds)
        case "lr": return rows.map(\.learningRate)
        default: return nil
        }
    }

    /// Number of epochs recorded.
    public var count: Int { rows.count }

    /// The history as a text table.
    public var description: String {
        let names = columnNames
        var lines = [names.map { pad($0, 12) }.joined()]
        for row in rows.indices {
            let cells = names.map { name -> String in
                let v = column(name)![row]
                switch name {
                case "epoch": return String(Int(v))
                case "seconds": return format(v, digits: 2)
                case "lr": return "\(Float(v))"
                default: return format(v, digits: 4)
                }
            }
            lines.append(cells.map { pad($0, 12) }.joined())
        }
        if interrupted { lines.append("(interrupted: the last epoch is partial)") }
        if stoppedEarly, let best = bestEpoch { lines.append("(stopped early; weights restored from epoch \(best))") }
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    private func format(_ v: Double, digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "-" : "\(v)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (v * scale).rounded() / scale
        return "\(rounded)"
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
