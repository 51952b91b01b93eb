import NNEngine

/// Reading `a[i]`, `a[i, j]` and `a.name`.
extension Interpreter {
    func index(_ container: Value, _ indices: [Value], at range: SourceRange, base: SourceRange) throws -> Value {
        switch container {
        case .list(let list):
            let i = try position(indices, count: list.items.count, kind: "list", at: range)
            return list.items[i]
        case .string(let s):
            let characters = Array(s)
            let i = try position(indices, count: characters.count, kind: "string", at: range)
            return .string(String(characters[i]))
        case .network(let network):
            let i = try position(indices, count: network.layers.count, kind: "network", at: range)
            return .layer(network.layers[i])
        case .layer(let layer):
            // A layer stands for a one-layer network wherever a network is expected.
            _ = try position(indices, count: 1, kind: "one-layer network", at: range)
            return .layer(layer)
        case .record(let record):
            guard indices.count == 1, case .string(let key) = indices[0] else {
                throw error("a record is indexed by a field name, as in r[\"lr\"]", at: range)
            }
            guard let value = record[key] else {
                throw error("the record has no field \(Value.quoted(key))", at: range,
                            hint: NameSuggestions.hint(for: key, among: record.fields.map(\.name)) ?? "its fields: \(record.fields.map(\.name).joined(separator: ", "))")
            }
            return value
        case .tensor, .parameter:
            let t = container.tensorValue!
            let positions = try tensorPositions(indices, shape: t.shape, at: range)
            do { return Value.fromTensorElement(try t.at(positions)) } catch { throw located(error, at: range) }
        case .traced(let t):
            return try tracedIndex(t, indices, at: range)
        case .object(let object):
            guard let count = object.length else { break }
            let i = try position(indices, count: count, kind: object.kindName, at: range)
            do {
                if let value = try object.element(at: i) { return value }
            } catch { throw located(error, at: range) }
        default:
            break
        }
        throw error("a \(container.kindName) cannot be indexed", at: range,
                    hint: "lists, strings, tensors, networks, records and datasets can be indexed")
    }

    /// One whole-number index into a sequence of `count`, Python-style (`-1` is the last).
    func position(_ indices: [Value], count: Int, kind: String, at range: SourceRange) throws -> Int {
        guard indices.count == 1 else {
            throw error("a \(kind) takes one index, got \(indices.count)", at: range)
        }
        return try wholeIndex(indices[0], count: count, kind: kind, at: range)
    }

    func wholeIndex(_ value: Value, count: Int, kind: String, at range: SourceRange,
                    place: String? = nil) throws -> Int {
        // A one-element tensor (say, from argmax) indexes like the number it holds.
        let number: Double? = { if case .bool = value { return nil }; return value.asNumber }()
        guard let x = number, x == x.rounded() else {
            throw error("an index must be a whole number, got \(BuiltinArguments.describe(value))", at: range)
        }
        // A whole number too large for any sequence (or infinite) is simply out of range.
        let i = Int(max(-9e15, min(9e15, x)))
        let resolved = i < 0 ? count + i : i
        guard resolved >= 0, resolved < count else {
            throw error("index \(NumberFormatting.format(x)) is out of range for \(place ?? "a \(kind) of length \(count)")", at: range,
                        hint: count == 0 ? "the \(kind) is empty" : "valid indices are 0 to \(count - 1) (or -\(count) to -1 from the end)")
        }
        return resolved
    }

    /// Whole-number indices into the leading axes of a tensor of `shape`, negatives from the end.
    func tensorPositions(_ indices: [Value], shape: [Int], at range: SourceRange) throws -> [Int] {
        guard indices.count <= shape.count else {
            throw error("a tensor of shape \(ShapeText.format(shape)) takes at most \(shape.count) indices, got \(indices.count)", at: range)
        }
        return try indices.enumerated().map { axis, value in
            try wholeIndex(value, count: shape[axis], kind: "tensor", at: range,
                           place: "axis \(axis) of a tensor of shape \(ShapeText.format(shape))")
        }
    }

    func member(_ value: Value, _ name: Identifier, at range: SourceRange) throws -> Value {
        switch value {
        case .tensor(let t):
            if let result = tensorMember(t, name.name) { return result }
        case .parameter(let p):
            if name.name == "grad" { return .tensor(p.grad) }
            if name.name == "name" { return .string(p.name) }
            if let result = tensorMember(p.value, name.name) { return result }
        case .traced(let t):
            if name.name == "shape" { return .list(t.value.shape.map { Value.number(Double($0)) }) }
            if name.name == "T" {
                do { return .traced(try t.transposed()) } catch { throw located(error, at: range) }
            }
        case .layer(let layer):
            if let parameter = Interpreter.layerParameter(layer, name.name) { return .parameter(parameter) }
            if name.name == "kind" { return .string(layer.kind) }
        case .network(let network):
            switch name.name {
            case "layers": return .list(network.layers.map { Value.layer($0) })
            default: break
            }
        case .record(let record):
            if let field = record[name.name] { return field }
            throw error("the record has no field `\(name.name)`", at: name.range,
                        hint: NameSuggestions.hint(for: name.name, among: record.fields.map(\.name))
                            ?? "its fields: \(record.fields.map(\.name).joined(separator: ", "))")
        case .object(let object):
            if let member = object.member(name.name) { return member }
            throw error("a \(object.kindName) has no member `\(name.name)`", at: name.range,
                        hint: NameSuggestions.hint(for: name.name, among: object.memberNames)
                            ?? (object.memberNames.isEmpty ? nil : "its members: \(object.memberNames.joined(separator: ", "))"))
        default:
            break
        }
        throw error("a \(value.kindName) has no member `\(name.name)`", at: name.range,
                    hint: memberHint(value))
    }

    private func tensorMember(_ t: Tensor, _ name: String) -> Value? {
        switch name {
        case "shape": return .list(t.shape.map { Value.number(Double($0)) })
        case "T":
            guard t.rank <= 2, let transposed = try? t.transposed() else { return nil }
            return .tensor(transposed)
        default: return nil
        }
    }

    private func memberHint(_ value: Value) -> String? {
        switch value {
        case .tensor: return "tensors have .shape and .T"
        case .parameter: return "parameters have .shape, .T and .grad"
        case .layer(let layer):
            let names = layer.parameters.map(\.name)
            return names.isEmpty ? "a \(layer.kind) layer has no parameters" : "its parameters: \(names.joined(separator: ", ")) (also W, b)"
        case .network: return "index a network to get a layer, as in net[0].weight"
        default: return nil
        }
    }

    /// A layer's parameter by its name or the notes' symbol (`W` for weight, `b` for bias).
    static func layerParameter(_ layer: Layer, _ name: String) -> NNEngine.Parameter? {
        let canonical: String
        switch name {
        case "W": canonical = "weight"
        case "b": canonical = "bias"
        default: canonical = name
        }
        return layer.parameters.first { $0.name == canonical }
    }
}
