import Foundation

import NNEngine
import NNSLanguage

/// What the progress bar shows: where the training loop is and how it is doing.
public struct ProgressSnapshot: Equatable, Sendable {
    public var epoch: Int            // 1-based
    public var epochs: Int
    public var batch: Int            // 1-based within the epoch
    public var batches: Int
    public var loss: Double
    public var accuracy: Double?     // 0...1, when the task has classes
    public var samplesPerSecond: Double
    /// Seconds left at the current pace, when known.
    public var secondsRemaining: Double?

    public init(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double,
                accuracy: Double? = nil, samplesPerSecond: Double, secondsRemaining: Double? = nil) {
        self.epoch = epoch; self.epochs = epochs; self.batch = batch; self.batches = batches
        self.loss = loss; self.accuracy = accuracy
        self.samplesPerSecond = samplesPerSecond; self.secondsRemaining = secondsRemaining
    }

    /// The engine's report, with the time left estimated from this epoch's pace: remaining
    /// batches × seconds per batch (elapsed / batches done).
    public init(_ p: TrainingProgress) {
        let perBatch = p.batch > 0 ? p.elapsedSeconds / Double(p.batch) : 0
        let remaining = (p.epochs - p.epoch) * p.batchesPerEpoch + (p.batchesPerEpoch - p.batch)
        self.init(epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batchesPerEpoch, loss: p.loss,
                  accuracy: p.accuracy, samplesPerSecond: p.samplesPerSecond,
                  secondsRemaining: p.batch > 0 ? Double(max(remaining, 0)) * perBatch : nil)
    }

    /// The fraction of all steps done, 0...1.
    public var fraction: Double {
        let total = Double(max(epochs, 1) * max(batches, 1))
        let done = Double(max(epoch - 1, 0) * max(batches, 1) + batch)
        return min(max(done / total, 0), 1)
    }
}

/// Renders progress as one line that fits the terminal: epoch, a bar, batch, loss,
/// accuracy, samples per second and time left. The line is redrawn in place with `\r`.
public enum ProgressBar {
    /// The line, at most `width` characters (the bar shrinks first, then details drop).
    public static func line(_ p: ProgressSnapshot, width: Int) -> String {
        let epochText = "epoch \(p.epoch)/\(p.epochs)"
        // One batch per epoch says nothing: leave room for the rest.
        var details = p.batches > 1 ? ["batch \(p.batch)/\(p.batches)"] : []
        details.append("loss \(NumberFormat.significant(p.loss, digits: 4))")
        if let acc = p.accuracy { details.append("acc " + String(format: "%.1f%%", acc * 100)) }
        details.append(rate(p.samplesPerSecond) + " samples/s")
        if let eta = p.secondsRemaining { details.append("ETA " + duration(eta)) }
        // Drop details from the right until the line fits with at least a 10-cell bar.
        while true {
            let fixed = epochText.count + 3 + details.joined(separator: "  ").count + 2
            let barWidth = min(30, width - fixed - 1)
            if barWidth >= 10 || details.count <= 1 {
                let cells = max(barWidth, 0)
                let filled = Int((p.fraction * Double(cells)).rounded(.down))
                let bar = cells > 0 ? " [" + String(repeating: "█", count: filled)
                    + String(repeating: "·", count: cells - filled) + "]" : ""
                let text = epochText + bar + "  " + details.joined(separator: "  ")
                return String(text.prefix(max(width - 1, 1)))
            }
            details.removeLast()
        }
    }

    /// `12.3k`, `950`, `1.20M`.
    static func rate(_ r: Double) -> String {
        if !r.isFinite || r < 0 { return "?" }
        if r >= 1e6 { return String(format: "%.2fM", r / 1e6) }
        if r >= 1e4 { return String(format: "%.1fk", r / 1e3) }
        return String(format: "%.0f", r)
    }

    /// `0:42`, `12:05`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, (s / 60) % 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }
}
