import NNEngine

/// A computational graph as a terminal tree, output at the root and inputs at the leaves:
///
///     v₃ = log v₂   (-0.1726)
///     └─ v₂ = sin v₁   (0.8415)
///        └─ v₁ = x²   (1)
///           └─ x   (1)
///
/// A value used more than once is drawn in full the first time and referred to afterwards.
enum GraphText {
    static func tree(_ graph: ComputationGraph) -> String {
        guard let root = graph.nodes.first(where: \.isOutput) ?? graph.nodes.last else {
            return "(the function does not depend on its inputs: its graph is empty)"
        }
        let byID = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        var operands = [Int: [Int]]()
        for edge in graph.edges { operands[edge.to, default: []].append(edge.from) }
        var drawn = Set<Int>()
        var lines = [String]()

        func label(_ node: ComputationGraph.Node) -> String {
            let text = node.isInput ? node.symbol + " = " + (node.name ?? node.symbol) : node.label
            return text + "   (" + TraceText.value(node.value) + ")"
        }
        func draw(_ id: Int, prefix: String, connector: String, childPrefix: String) {
            guard let node = byID[id] else { return }
            let children = operands[id] ?? []
            if drawn.contains(id) && !children.isEmpty {
                lines.append(prefix + connector + node.symbol + "   (shown above)")
                return
            }
            drawn.insert(id)
            lines.append(prefix + connector + label(node))
            for (k, child) in children.enumerated() {
                let last = k == children.count - 1
                draw(child, prefix: prefix + childPrefix, connector: last ? "└─ " : "├─ ",
                     childPrefix: last ? "   " : "│  ")
            }
        }
        draw(root.id, prefix: "", connector: "", childPrefix: "")
        return lines.joined(separator: "\n")
    }
}
