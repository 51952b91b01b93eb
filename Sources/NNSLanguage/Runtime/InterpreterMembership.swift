import NNEngine

/// `x in xs` and `x not in xs` (docs/language.md, "Scripting essentials"): equality in lists, substrings in strings, field
/// names in records, numbers in ranges and tensors.
extension Interpreter {
    func contains(_ container: Value, _ item: Value, at range: SourceRange) throws -> Bool {
        switch container {
        case .list(let list):
            return list.items.contains { Value.equal(item, $0) }
        case .string(let text):
            guard case .string(let part) = item else {
                throw error("`in` a string looks for text, got \(BuiltinArguments.describe(item))", at: range,
                            hint: "convert it first, as in str(x) in s")
            }
            return part.isEmpty || text.contains(part)
        case .record(let record):
            guard case .string(let name) = item else { return false }
            return record[name] != nil
        case .object(let r as RangeValue):
            guard case .number(let x) = item, x.isFinite else { return false }
            let k = ((x - r.start) / r.step).rounded()
            return k >= 0 && k < Double(r.length ?? 0) && r.start + k * r.step == x
        case .tensor, .parameter, .traced:
            guard let x = item.asNumber else {
                throw error("`in` a tensor looks for a number, got \(BuiltinArguments.describe(item))", at: range)
            }
            return container.tensorValue!.scalars.contains(Float(x))
        default:
            throw error("cannot look for a value `in` a \(container.kindName)", at: range,
                        hint: "`in` looks in lists, strings (for text), records (field names), ranges and tensors")
        }
    }
}
