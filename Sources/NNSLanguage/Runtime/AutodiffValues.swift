import NNEngine

/// `trace(f, ...)`: the evaluation trace as a table, one row per value vᵢ with its operation,
/// its value and its adjoint v̄ᵢ (reverse mode) or tangent v̇ᵢ (forward mode).
public final class TraceValue: ObjectValue {
    public let rows: [TraceRow]
    public let isForward: Bool
    let call: String

    init(rows: [TraceRow], forward: Bool, call: String) {
        self.rows = rows
        self.isForward = forward
        self.call = call
    }

    public var kindName: String { "trace" }
    public var length: Int? { rows.count }

    public var displayText: String {
        let title = (isForward ? "forward-mode" : "reverse-mode") + " trace of " + call
        let header = ["", "", "value", isForward ? "tangent" : "adjoint", ""]
        var table: [[String]] = [header]
        for row in rows {
            table.append([row.symbol, "= " + row.expression, TraceValue.format(row.value),
                          row.derivativeSymbol + " = " + row.derivativeExpression, TraceValue.format(row.derivative)])
        }
        let widths = (0..<5).map { column in table.map { $0[column].count }.max() ?? 0 }
        let lines = table.map { cells in
            cells.enumerated().map { column, text in
                text + String(repeating: " ", count: widths[column] - text.count)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([title] + lines).joined(separator: "\n")
    }

    public func element(at index: Int) throws -> Value? { record(rows[index]) }

    public var memberNames: [String] { ["rows"] }

    public func member(_ name: String) -> Value? {
        name == "rows" ? .list(rows.map(record)) : nil
    }

    public func jsonText(_ encoder: JSONEncoderContext) -> String {
        encoder.encode(.list(rows.map(record)))
    }

    private func record(_ row: TraceRow) -> Value {
        .record([("v", .string(row.symbol)), ("expression", .string(row.expression)),
                 ("value", Value.fromTensorElement(row.value)),
                 ("derivative_rule", .string(row.derivativeSymbol + " = " + row.derivativeExpression)),
                 ("derivative", Value.fromTensorElement(row.derivative))])
    }

    /// A number as its shortest Float text; a tensor as its printed form.
    static func format(_ t: Tensor) -> String {
        t.count == 1 ? NumberFormatting.format(t.scalars[0]) : TensorFormatting.format(t)
    }
}

/// `graph(f, ...)`: the computational graph, printed as a tree from the output down to the
/// inputs; `.dot` is Graphviz text.
public final class GraphValue: ObjectValue {
    public let graph: ComputationGraph

    init(_ graph: ComputationGraph) { self.graph = graph }

    public var kindName: String { "graph" }
    public var memberNames: [String] { ["dot"] }
    public func member(_ name: String) -> Value? { name == "dot" ? .string(graph.dot) : nil }

    public var displayText: String {
        guard let root = graph.nodes.first(where: \.isOutput) ?? graph.nodes.last else { return "(empty graph)" }
        var lines: [String] = []
        var shown: Set<Int> = []
        render(root, prefix: "", childPrefix: "", lines: &lines, shown: &shown)
        return lines.joined(separator: "\n")
    }

    /// One node and, below it, the operands it was computed from; a node reached a second
    /// time is named but not expanded again.
    private func render(_ node: ComputationGraph.Node, prefix: String, childPrefix: String,
                        lines: inout [String], shown: inout Set<Int>) {
        let value = TraceValue.format(node.value)
        let first = shown.insert(node.id).inserted
        lines.append(prefix + node.label + "   (" + value + ")" + (first ? "" : "  ↑ shown above"))
        guard first else { return }
        let operands = graph.edges.filter { $0.to == node.id }.compactMap { edge in graph.nodes.first { $0.id == edge.from } }
        for (index, operand) in operands.enumerated() {
            let last = index == operands.count - 1
            render(operand, prefix: childPrefix + (last ? "└─ " : "├─ "), childPrefix: childPrefix + (last ? "   " : "│  "),
                   lines: &lines, shown: &shown)
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
