import NNEngine

/// A training history as a language value: prints as a table, `h.loss` is a column (a list),
/// `h[i]` a row record, `len(h)` the epochs, JSON an object of columns.
public final class HistoryValue: ObjectValue {
    public let history: History
    /// With `train(..., snapshots: k)`: copies of the network before training and every k
    /// epochs (and after the last), for `replay`; `h.snapshots` lists them as networks.
    public var snapshots: [(epoch: Int, network: Network)] = []

    public init(_ history: History) { self.history = history }

    public var kindName: String { "history" }
    public var displayText: String { history.description }
    public var length: Int? { history.count }
    public var memberNames: [String] { history.columnNames + ["interrupted", "stopped_early", "best_epoch"] + (snapshots.isEmpty ? [] : ["snapshots"]) }

    public func member(_ name: String) -> Value? {
        switch name {
        case "interrupted": return .bool(history.interrupted)
        case "stopped_early": return .bool(history.stoppedEarly)
        case "best_epoch": return history.bestEpoch.map { .number(Double($0)) } ?? Value.none
        case "snapshots" where !snapshots.isEmpty: return .list(snapshots.map { .network($0.network.copy()) })
        default:
            return history.column(name).map { column in .list(column.map { cell(name, $0) }) }
        }
    }

    /// A cell as a number; the learning rate was a Float32, so it shows as the rate the user
    /// wrote (0.05), not its Float64 widening (0.05000000074505806).
    private func cell(_ column: String, _ x: Double) -> Value {
        column == "lr" ? Value.number(fromFloat: Float(x)) : .number(x)
    }

    public func element(at index: Int) throws -> Value? {
        .record(history.columnNames.map { name in (name, cell(name, history.column(name)![index])) })
    }

    public func jsonText(_ encoder: JSONEncoderContext) -> String {
        encoder.object(history.columnNames.map { name in
            (name, encoder.array(history.column(name)!.map { encoder.encode(cell(name, $0)) }))
        })
    }
}
