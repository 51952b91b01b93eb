import NNEngine

/// `graph(f, ...)`: the computational graph, printed as a tree from the output down to the
/// inputs; `.dot` is Graphviz text.
public final class GraphValue: ObjectValue {
    public let graph: ComputationGraph

    init(_ graph: ComputationGraph) { self.graph = graph }

    public var kindName: String { "graph" }
    public var memberNames: [String] { ["dot"] }
    public func member(_ name: String) -> Value? { name == "dot" ? .string(graph.dot) : nil }

    /// Levels of the printed tree indented before a branch is cut and continued below, so a
    /// function that loops thousands of times prints lines of bounded width.
    static let maximumPrintedDepth = 40

    public var displayText: String {
        guard let root = graph.nodes.first(where: \.isOutput) ?? graph.nodes.last else { return "(empty graph)" }
        // Operands by node, built once: the tree is then printed in time linear in its size.
        var byID: [Int: ComputationGraph.Node] = [:]
        for node in graph.nodes { byID[node.id] = node }
        var operands: [Int: [ComputationGraph.Node]] = [:]
        for edge in graph.edges { if let from = byID[edge.from] { operands[edge.to, default: []].append(from) } }

        var lines: [String] = []
        var shown: Set<Int> = []
        var continued: [ComputationGraph.Node] = []
        render(root, operands: operands, lines: &lines, shown: &shown, continued: &continued)
        var next = 0
        while next < continued.count {
            let node = continued[next]
            next += 1
            lines.append("")
            lines.append(node.symbol + " continued:")
            let children = operands[node.id] ?? []
            for (index, child) in children.enumerated() {
                render(child, operands: operands, lines: &lines, shown: &shown, continued: &continued,
                       first: index == children.count - 1 ? ("└─ ", "   ") : ("├─ ", "│  "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A node and, below it, the operands it was computed from; a node reached a second time
    /// is named but not expanded again, and a branch deeper than `maximumPrintedDepth` is cut
    /// and continued after the tree. Iterative (an explicit stack), so depth costs no stack.
    private func render(_ root: ComputationGraph.Node, operands: [Int: [ComputationGraph.Node]],
                        lines: inout [String], shown: inout Set<Int>, continued: inout [ComputationGraph.Node],
                        first: (String, String) = ("", "")) {
        var stack: [(node: ComputationGraph.Node, prefix: String, childPrefix: String, depth: Int)] =
            [(root, first.0, first.1, 0)]
        while let (node, prefix, childPrefix, depth) = stack.popLast() {
            let isNew = shown.insert(node.id).inserted
            lines.append(prefix + node.label + "   (" + TraceText.value(node.value) + ")" + (isNew ? "" : "  ↑ shown above"))
            guard isNew else { continue }
            let children = operands[node.id] ?? []
            if depth >= GraphValue.maximumPrintedDepth && !children.isEmpty {
                lines.append(childPrefix + "└─ ⋯ (continued below)")
                continued.append(node)
                continue
            }
            for (index, child) in children.enumerated().reversed() {
                let last = index == children.count - 1
                stack.append((child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), depth + 1))
            }
        }
    }
}
