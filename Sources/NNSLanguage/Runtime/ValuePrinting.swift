import NNEngine

/// How values print (docs/language.md, "Values"): `print(v)` and the REPL's echo use `displayText`; inside
/// lists and records, strings are quoted (`["a", 1]`), as Python's repr does.
extension Value: CustomStringConvertible {
    /// The text `print(v)` writes: strings bare, everything else as `representation`.
    public var displayText: String {
        if case .string(let s) = self { return s }
        return representation
    }

    public var description: String { displayText }

    /// The text of the value as it appears inside a list or record.
    public var representation: String {
        var visiting: Set<ObjectIdentifier> = []
        return representation(&visiting)
    }

    /// Containers nested deeper than this print as `[...]`, so printing never exhausts the stack.
    static let maximumPrintDepth = 2000

    private func representation(_ visiting: inout Set<ObjectIdentifier>) -> String {
        if visiting.count > Value.maximumPrintDepth {
            switch self {
            case .list: return "[...]"
            case .record: return "{...}"
            default: break
            }
        }
        switch self {
        case .number(let x): return NumberFormatting.format(x)
        case .string(let s): return Value.quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "none"
        case .list(let list):
            // A list that contains itself prints `[...]` there instead of recursing forever.
            let id = ObjectIdentifier(list)
            guard visiting.insert(id).inserted else { return "[...]" }
            defer { visiting.remove(id) }
            // Long lists print their ends only, as tensors do (NumPy's threshold and edge
            // items), saying how many items were left out; `json(v)` stays complete.
            let items = list.items
            var parts: [String] = []
            if items.count > TensorFormatting.threshold {
                let edge = TensorFormatting.edgeItems
                for item in items.prefix(edge) { parts.append(item.representation(&visiting)) }
                parts.append("... \(items.count - 2 * edge) more ...")
                for item in items.suffix(edge) { parts.append(item.representation(&visiting)) }
            } else {
                for item in items { parts.append(item.representation(&visiting)) }
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .record(let record):
            let id = ObjectIdentifier(record)
            guard visiting.insert(id).inserted else { return "{...}" }
            defer { visiting.remove(id) }
            var parts: [String] = []
            for field in record.fields {
                parts.append("\(Value.recordKey(field.name)): \(field.value.representation(&visiting))")
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .tensor(let t): return TensorFormatting.format(t)
        case .parameter(let p): return TensorFormatting.format(p.value)
        case .layer(let layer): return layer.description
        case .network(let network): return network.description
        case .function(let f):
            if let make = f.bareLayer, let layer = try? make() { return layer.description }
            return f.name == "<fn>" ? "<fn>" : "<fn \(f.name)>"
        case .object(let object): return object.displayText
        case .traced(let t):
            return t.value.rank == 0 ? NumberFormatting.format(t.value.scalars[0]) : TensorFormatting.format(t.value)
        }
    }

    /// A string literal as nns source writes it (the lexer's escapes: `\" \\ \n \t`).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// A record key: bare when it is a valid identifier, else quoted.
    static func recordKey(_ name: String) -> String {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
              name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) })
        else { return quoted(name) }
        return name
    }
}
