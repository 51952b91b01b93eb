import Foundation
import NNEngine

/// A named sequence of numbers to draw (a history column, a list of losses).
struct PlotSeries {
    var name: String
    var values: [Double]

    /// The finite values' range, widened when flat so a constant series still draws.
    var range: (low: Double, high: Double)? {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return nil }
        if low == high {
            low -= max(abs(low) * 0.1, 0.5)
            high += max(abs(high) * 0.1, 0.5)
        }
        return (low, high)
    }

    /// The panels `plot` draws for a value: loss (with validation loss) and accuracy (with
    /// validation accuracy) for a history; one panel for a list or vector of numbers.
    static func panels(for value: Value) throws -> (panels: [[PlotSeries]], xLabel: String) {
        switch value {
        case .object(let h as HistoryValue):
            let history = h.history
            guard history.count > 0 else { throw BuiltinError("plot: the history is empty", hint: "train for at least one epoch") }
            var panels: [[PlotSeries]] = []
            var loss = [PlotSeries(name: "loss", values: history.column("loss") ?? [])]
            if let v = history.column("val_loss") { loss.append(PlotSeries(name: "val_loss", values: v)) }
            panels.append(loss)
            if let a = history.column("accuracy") {
                var accuracy = [PlotSeries(name: "accuracy", values: a)]
                if let v = history.column("val_accuracy") { accuracy.append(PlotSeries(name: "val_accuracy", values: v)) }
                panels.append(accuracy)
            }
            return (panels, "epoch")
        default:
            guard let t = try? value.asTensor(), t.rank <= 1, t.count > 0 else {
                throw BuiltinError("plot: expected a history or a list of numbers, got \(BuiltinArguments.describe(value))",
                                   hint: "plot(train(...)) draws the loss curves")
            }
            return ([[PlotSeries(name: "value", values: t.scalars.map { Double($0) })]], "index")
        }
    }
}

/// Numbers on axes: short, in the shortest form that shows the difference.
enum AxisLabel {
    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            return String(format: "%.2e", x)
        }
        var text = String(format: magnitude >= 100 ? "%.0f" : magnitude >= 1 ? "%.2f" : "%.3f", x)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
