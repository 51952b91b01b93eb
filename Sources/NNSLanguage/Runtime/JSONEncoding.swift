import NNEngine

/// Writes values as JSON (SPEC §1): `--json` output and `json(v)`.
///
/// number → number (NaN, ±inf → null), string, bool, none → null, list → array,
/// record → object, tensor → nested arrays (0-d → number), network →
/// `{"layers": [...], "params": {"0.weight": [[...]], ...}}`, other kinds → their printed text.
public struct JSONEncoderContext {
    public init() {}

    public func encode(_ value: Value) -> String {
        var visiting: Set<ObjectIdentifier> = []
        return encode(value, &visiting)
    }

    private func encode(_ value: Value, _ visiting: inout Set<ObjectIdentifier>) -> String {
        // Cycles and absurd nesting become null rather than recursing without end.
        if visiting.count > Value.maximumPrintDepth { return "null" }
        switch value {
        case .number(let x): return number(x)
        case .string(let s): return string(s)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "null"
        case .list(let list):
            let id = ObjectIdentifier(list)
            guard visiting.insert(id).inserted else { return "null" }
            defer { visiting.remove(id) }
            var parts: [String] = []
            for item in list.items { parts.append(encode(item, &visiting)) }
            return "[" + parts.joined(separator: ",") + "]"
        case .record(let record):
            let id = ObjectIdentifier(record)
            guard visiting.insert(id).inserted else { return "null" }
            defer { visiting.remove(id) }
            var parts: [String] = []
            for field in record.fields { parts.append(string(field.name) + ":" + encode(field.value, &visiting)) }
            return "{" + parts.joined(separator: ",") + "}"
        case .tensor(let t): return tensor(t)
        case .parameter(let p): return tensor(p.value)
        case .traced(let t): return tensor(t.value)
        case .network(let network): return self.network(network)
        case .object(let object): return object.jsonText(self)
        case .layer(let layer) where !layer.parameters.isEmpty: return network(layers: [layer])
        case .layer, .function: return string(value.displayText)
        }
    }

    /// A number; JSON has no NaN or infinity, so they become `null`.
    public func number(_ x: Double) -> String {
        x.isFinite ? NumberFormatting.format(x) : "null"
    }

    public func number(_ x: Float) -> String {
        x.isFinite ? NumberFormatting.format(x) : "null"
    }

    /// A JSON string literal.
    public func string(_ s: String) -> String { s.jsonLiteral }

    /// Nested arrays; a 0-d tensor is a bare number.
    public func tensor(_ t: Tensor) -> String {
        if t.rank == 0 { return number(t.scalars[0]) }
        // An empty tensor of absurd outer extents would be petabytes of `[]`: give its text.
        if TensorShapeCheck.sublistCount(t.shape) > TensorLimits.maximumElements { return string(TensorFormatting.format(t)) }
        var out = ""
        out.reserveCapacity(t.count * 8)
        appendTensor(t, axis: 0, offset: 0, to: &out)
        return out
    }

    private func appendTensor(_ t: Tensor, axis: Int, offset: Int, to out: inout String) {
        let extent = t.shape[axis]
        let stride = t.shape[(axis + 1)...].reduce(1, *)
        out += "["
        for i in 0..<extent {
            if i > 0 { out += "," }
            if axis == t.rank - 1 {
                out += number(t.scalars[offset + i])
            } else {
                appendTensor(t, axis: axis + 1, offset: offset + i * stride, to: &out)
            }
        }
        out += "]"
    }

    /// `{"layers": ["linear(2→2)", "sigmoid"], "params": {"0.weight": [[...]], ...}}`
    public func network(_ network: Network) -> String { self.network(layers: network.layers) }

    /// A lone layer with parameters encodes as the one-layer network it stands for
    /// (`linear(784, 10)` is a whole model), so its weights are in the JSON too.
    private func network(layers: [Layer]) -> String {
        let names = layers.map { string($0.description) }.joined(separator: ",")
        let params = Network.namedParameters(of: layers).map { string($0.name) + ":" + tensor($0.parameter.value) }
            .joined(separator: ",")
        return "{\"layers\":[" + names + "],\"params\":{" + params + "}}"
    }

    /// An object from already-encoded members, in order.
    public func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
