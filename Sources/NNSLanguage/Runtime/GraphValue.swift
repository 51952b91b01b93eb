import NNEngine

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
        let value = TraceText.value(node.value)
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

