/// The one JSON writer: every JSON text the program makes (safetensors headers, `--json`
/// output, `json(v)`, pages' data, the `--serve` protocol) is written by it, so strings are
/// escaped one way (`String.jsonLiteral`) and numbers are `ShortestNumber`'s text, with
/// `null` for NaN and ±infinity, which JSON lacks.
///
/// It streams into one string (a tensor of millions of numbers never becomes a tree first);
/// commas between items are its business:
///
///     var w = JSONWriter()
///     w.beginObject(); w.key("loss"); w.number(0.25); w.endObject()
///     w.text   // {"loss":0.25}
public struct JSONWriter {
    public private(set) var text = ""
    /// Per open array or object: whether it already has an item (the next one needs a comma).
    private var hasItem: [Bool] = []
    /// True right after `key(_:)`: the value that follows needs no comma.
    private var afterKey = false

    public init(reservingCapacity capacity: Int = 0) {
        text.reserveCapacity(capacity)
    }

    /// Writes `value` as compact JSON (object members in their stored order).
    public static func text(of value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return writer.text
    }

    /// A number's JSON text: the shortest that reads back the same, `null` when not finite.
    public static func numberText(_ x: Double) -> String { x.isFinite ? ShortestNumber.text(x) : "null" }
    public static func numberText(_ x: Float) -> String { x.isFinite ? ShortestNumber.text(x) : "null" }

    private mutating func separate() {
        if afterKey { afterKey = false; return }
        if let last = hasItem.indices.last {
            if hasItem[last] { text += "," }
            hasItem[last] = true
        }
    }

    public mutating func null() { separate(); text += "null" }
    public mutating func bool(_ b: Bool) { separate(); text += b ? "true" : "false" }
    public mutating func integer(_ i: Int) { separate(); text += String(i) }
    public mutating func number(_ x: Double) { separate(); text += JSONWriter.numberText(x) }
    public mutating func number(_ x: Float) { separate(); text += JSONWriter.numberText(x) }
    public mutating func string(_ s: String) { separate(); text += s.jsonLiteral }

    /// A value some other part already wrote with a `JSONWriter` (an object's own JSON form).
    public mutating func encoded(_ json: String) { separate(); text += json }

    public mutating func beginArray() { separate(); text += "["; hasItem.append(false) }
    public mutating func endArray() { hasItem.removeLast(); text += "]" }
    public mutating func beginObject() { separate(); text += "{"; hasItem.append(false) }
    public mutating func endObject() { hasItem.removeLast(); text += "}" }

    /// An object member's key; its value is written next.
    public mutating func key(_ name: String) {
        separate()
        text += name.jsonLiteral + ":"
        afterKey = true
    }

    /// A whole `JSONValue`.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .integer(let i): integer(i)
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }
}
