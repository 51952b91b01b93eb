/// The computational graph of a traced function: its values as nodes (inputs and
/// operations; constants appear inside the expressions) and an edge from each operand to
/// the operation that uses it.
public struct ComputationGraph: Sendable {
    public struct Node: Sendable, Equatable {
        /// Position on the tape.
        public let id: Int
        /// `v₃`
        public let symbol: String
        /// An input's name (`x`).
        public let name: String?
        /// `sin v₂`; an input's name.
        public let expression: String
        public let value: Tensor
        public let isInput: Bool
        public let isOutput: Bool

        /// `v₃ = sin v₂`
        public var label: String { symbol + " = " + expression }
    }

    /// An operand feeding an operation (`from` is used by `to`; both are tape positions).
    /// A value used twice by one operation (x · x) gives two edges.
    public struct Edge: Sendable, Equatable {
        public let from: Int
        public let to: Int
    }

    public let nodes: [Node]
    public let edges: [Edge]

    /// Graphviz text: `dot -Tsvg graph.dot > graph.svg` draws it. Each node shows
    /// `v₃ = sin v₂` and its value (a scalar's number, a tensor's shape).
    public var dot: String {
        var lines = ["digraph computation {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for node in nodes {
            let value = node.value.count == 1
                ? TraceNotation.number(node.value.scalars[0])
                : "tensor" + Broadcasting.describe(node.value.shape)
            var attributes = "label=\"" + Self.escaped(node.label + "\n" + value) + "\""
            if node.isInput { attributes += ", shape=ellipse" }
            if node.isOutput { attributes += ", peripheries=2" }
            lines.append("  n\(node.id) [\(attributes)];")
        }
        for edge in edges { lines.append("  n\(edge.from) -> n\(edge.to);") }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe inside a double-quoted Graphviz string (newlines become `\n`).
    static func escaped(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}

extension Tape {
    /// The graph of the values `output` depends on (with no output: every value that
    /// depends on an input), in the numbering of the trace tables.
    public func graph(output: Traced? = nil) throws -> ComputationGraph {
        if let output { try check(output) }
        let notation = TraceNotation(tape: self, output: output?.id)
        let shown = Set(notation.shown)
        let last = output?.id ?? notation.shown.last
        let graphNodes = notation.shown.map { id in
            ComputationGraph.Node(
                id: id, symbol: notation.symbol(id), name: nodes[id].name,
                expression: notation.expression(id), value: nodes[id].value,
                isInput: nodes[id].operation == .variable, isOutput: id == last)
        }
        var edges = [ComputationGraph.Edge]()
        for id in notation.shown {
            for operand in nodes[id].operands where shown.contains(operand) {
                edges.append(ComputationGraph.Edge(from: operand, to: id))
            }
        }
        return ComputationGraph(nodes: graphNodes, edges: edges)
    }
}
