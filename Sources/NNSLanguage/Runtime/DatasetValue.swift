import NNEngine

/// A data set as a language value: `data.x`, `data.y`, `len(data)`, `data[i]` (a record
/// `{x:, y:}`), `for example in data`.
public final class DatasetValue: ObjectValue {
    public let dataset: Dataset

    public init(_ dataset: Dataset) { self.dataset = dataset }

    public var kindName: String { "dataset" }

    public var displayText: String {
        let targets: String
        if let k = dataset.classCount, dataset.hasLabels {
            targets = "\(k) class\(k == 1 ? "" : "es")"
        } else {
            targets = "\(dataset.targetWidth) target\(dataset.targetWidth == 1 ? "" : "s")"
        }
        let examples = "\(dataset.count) example\(dataset.count == 1 ? "" : "s")"
        let features = "\(dataset.inputWidth) feature\(dataset.inputWidth == 1 ? "" : "s")"
        return "dataset(\(examples), \(features) → \(targets))"
    }

    public var length: Int? { dataset.count }

    public func element(at index: Int) throws -> Value? {
        let example = try dataset.example(at: index)
        return .record([("x", .tensor(example.x)), ("y", Value.fromTensorElement(example.y))])
    }

    public var memberNames: [String] { ["x", "y", "classes", "features"] }

    public func member(_ name: String) -> Value? {
        switch name {
        case "x": return .tensor(dataset.x)
        case "y": return .tensor(dataset.y)
        // The class names from a CSV of word labels, else the class numbers; none for regression.
        case "classes":
            if let names = dataset.classNames { return .list(names.map { .string($0) }) }
            return dataset.classCount.map { k in .list((0..<k).map { .number(Double($0)) }) } ?? Value.none
        case "features": return .number(Double(dataset.inputWidth))
        default: return nil
        }
    }

    // No jsonText of its own: a data set has no JSON form (docs/language.md, "Plots and files"), so it is its printed
    // text. (As `{"x": ..., "y": ...}` it was all of MNIST, 0.6 GB of digits, for a
    // `print(train_data)` under --json; `json(data.x)` gives the numbers when wanted.)
}

/// A learning-rate schedule (`step_decay(0.1, 0.5, 10)`), given as an optimizer's `lr:`.
public final class ScheduleValue: ObjectValue {
    public let schedule: LearningRateSchedule

    public init(_ schedule: LearningRateSchedule) { self.schedule = schedule }

    public var kindName: String { "schedule" }
    public var displayText: String { schedule.description }
}
