import NNEngine

/// Writes values as JSON (docs/language.md, "Pictures, checks and JSON forms"): `--json` output and `json(v)`.
///
/// number → number (NaN, ±inf → null), string, bool, none → null, list → array,
/// record → object, tensor → nested arrays (0-d → number), network →
/// `{"layers": [...], "params": {"0.weight": [[...]], ...}}`, other kinds → their printed text.
public struct JSONEncoderContext {
    public init() {}

    public func encode(_ value: Value) -> String {
        var writer = JSONWriter()
        var visiting: Set<ObjectIdentifier> = []
        write(value, to: &writer, &visiting)
        return writer.text
    }

    private func write(_ value: Value, to writer: inout JSONWriter, _ visiting: inout Set<ObjectIdentifier>) {
        // Cycles and absurd nesting become null rather than recursing without end.
        if visiting.count > Value.maximumPrintDepth { return writer.null() }
        switch value {
        case .number(let x): writer.number(x)
        case .string(let s): writer.string(s)
        case .bool(let b): writer.bool(b)
        case .none: writer.null()
        case .list(let list):
            let id = ObjectIdentifier(list)
            guard visiting.insert(id).inserted else { return writer.null() }
            defer { visiting.remove(id) }
            writer.beginArray()
            for item in list.items { write(item, to: &writer, &visiting) }
            writer.endArray()
        case .record(let record):
            let id = ObjectIdentifier(record)
            guard visiting.insert(id).inserted else { return writer.null() }
            defer { visiting.remove(id) }
            writer.beginObject()
            for field in record.fields {
                writer.key(field.name)
                write(field.value, to: &writer, &visiting)
            }
            writer.endObject()
        case .tensor(let t): tensor(t, to: &writer)
        case .parameter(let p): tensor(p.value, to: &writer)
        case .traced(let t): tensor(t.value, to: &writer)
        case .network(let network): self.network(layers: network.layers, to: &writer)
        case .object(let object): writer.encoded(object.jsonText(self))
        case .layer(let layer) where !layer.parameters.isEmpty: network(layers: [layer], to: &writer)
        case .layer, .function: writer.string(value.displayText)
        }
    }

    /// A number; JSON has no NaN or infinity, so they become `null`.
    public func number(_ x: Double) -> String { JSONWriter.numberText(x) }

    public func number(_ x: Float) -> String { JSONWriter.numberText(x) }

    /// A JSON string literal.
    public func string(_ s: String) -> String { s.jsonLiteral }

    /// Nested arrays; a 0-d tensor is a bare number.
    public func tensor(_ t: Tensor) -> String {
        var writer = JSONWriter(reservingCapacity: t.count * 8)
        tensor(t, to: &writer)
        return writer.text
    }

    private func tensor(_ t: Tensor, to writer: inout JSONWriter) {
        if t.rank == 0 { return writer.number(t.scalars[0]) }
        // An empty tensor of absurd outer extents would be petabytes of `[]`: give its text.
        if TensorShapeCheck.sublistCount(t.shape) > TensorLimits.maximumElements { return writer.string(TensorFormatting.format(t)) }
        appendTensor(t, axis: 0, offset: 0, to: &writer)
    }

    private func appendTensor(_ t: Tensor, axis: Int, offset: Int, to writer: inout JSONWriter) {
        let extent = t.shape[axis]
        let stride = t.shape[(axis + 1)...].reduce(1, *)
        writer.beginArray()
        for i in 0..<extent {
            if axis == t.rank - 1 {
                writer.number(t.scalars[offset + i])
            } else {
                appendTensor(t, axis: axis + 1, offset: offset + i * stride, to: &writer)
            }
        }
        writer.endArray()
    }

    /// `{"layers": ["linear(2→2)", "sigmoid"], "params": {"0.weight": [[...]], ...}}`
    public func network(_ network: Network) -> String {
        var writer = JSONWriter()
        self.network(layers: network.layers, to: &writer)
        return writer.text
    }

    /// A lone layer with parameters encodes as the one-layer network it stands for
    /// (`linear(784, 10)` is a whole model), so its weights are in the JSON too.
    private func network(layers: [Layer], to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("layers")
        writer.beginArray()
        for layer in layers { writer.string(layer.description) }
        writer.endArray()
        writer.key("params")
        writer.beginObject()
        for named in Network.namedParameters(of: layers) {
            writer.key(named.name)
            tensor(named.parameter.value, to: &writer)
        }
        writer.endObject()
        writer.endObject()
    }

    /// An object from already-encoded members, in order.
    public func object(_ members: [(String, String)]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        for (key, json) in members {
            writer.key(key)
            writer.encoded(json)
        }
        writer.endObject()
        return writer.text
    }

    /// An array from already-encoded items.
    public func array(_ items: [String]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for json in items { writer.encoded(json) }
        writer.endArray()
        return writer.text
    }
}
