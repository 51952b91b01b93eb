import NNEngine

/// A confusion matrix as a language value: `c[i][j]` counts the examples of true class i
/// that the network put in class j (scikit-learn's `confusion_matrix` layout). It prints as
/// a table headed by the class names when the data has them; its JSON is the rows as nested
/// arrays; `c[i]` is row i; `c.classes`, `c.counts`, `c.accuracy`.
public final class ConfusionValue: ObjectValue {
    /// counts[true][predicted]
    public let counts: [[Int]]
    /// The classes' names, or their numbers when the data has no names.
    public let classNames: [String]

    public init(counts: [[Int]], classNames: [String]) {
        self.counts = counts
        self.classNames = classNames
    }

    /// Counts the pairs (true class, predicted class) of k classes.
    public convenience init(truth: [Int], predicted: [Int], classCount k: Int, names: [String]?) {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (t, p) in zip(truth, predicted) { counts[t][p] += 1 }
        self.init(counts: counts, classNames: names ?? (0..<k).map(String.init))
    }

    public var kindName: String { "confusion" }
    public var length: Int? { counts.count }
    public var memberNames: [String] { ["classes", "counts", "accuracy", "total"] }

    var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    public func member(_ name: String) -> Value? {
        switch name {
        case "classes": return .list(classNames.map { .string($0) })
        case "counts": return .list(counts.map(row))
        case "total": return .number(Double(total))
        case "accuracy":
            let correct = counts.indices.reduce(0) { $0 + counts[$1][$1] }
            return total == 0 ? .number(.nan) : .number(Double(correct) / Double(total))
        default: return nil
        }
    }

    public func element(at index: Int) throws -> Value? {
        guard counts.indices.contains(index) else {
            throw BuiltinError("row \(index) is out of range: the matrix has \(counts.count) rows (0…\(counts.count - 1))")
        }
        return row(counts[index])
    }

    private func row(_ cells: [Int]) -> Value { .list(cells.map { .number(Double($0)) }) }

    /// Rows are true classes, columns predicted ones, numbers right-aligned.
    public var displayText: String {
        let corner = "true \\ predicted"
        let header = [corner] + classNames
        let body = counts.enumerated().map { [classNames[$0.offset]] + $0.element.map(String.init) }
        let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        return ([line(header)] + body.map(line)).joined(separator: "\n")
    }

    public func jsonText(_ encoder: JSONEncoderContext) -> String {
        JSONValue.array(counts.map { .array($0.map { .integer($0) }) }).serialized
    }
}
