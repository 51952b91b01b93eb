import NNEngine

/// A value of the nns language (docs/language.md, "Values").
///
/// Lists and records are references, as in Python: `b = a; b[0] = 9` changes `a` too.
/// Tensors are values (copy-on-write); a network's weight is a `.parameter`, which behaves
/// as a tensor everywhere but writes through to the network and knows its gradient.
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case list(ListStorage)
    case record(RecordStorage)
    case tensor(Tensor)
    /// A network's weight or bias: read as its tensor, assigned through, `.grad` after backward.
    case parameter(NNEngine.Parameter)
    case layer(Layer)
    case network(Network)
    case function(Function)
    /// A number or tensor recorded on an autodiff tape while `grad`, `trace` or `graph`
    /// evaluates a function (docs/language.md, "Differentiating functions"); it computes like its value and records each operation.
    case traced(Traced)
    /// Anything a builtin family adds (datasets, optimizers, histories...): see `ObjectValue`.
    case object(ObjectValue)

    /// The kind's name as `type(v)` reports it.
    public var kindName: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .none: return "none"
        case .list: return "list"
        case .record: return "record"
        case .tensor, .parameter: return "tensor"
        case .layer: return "layer"
        case .network: return "network"
        case .function(let f): return f.bareLayer != nil ? "layer" : "function"
        case .object(let o): return o.kindName
        case .traced(let t): return t.value.rank == 0 ? "number" : "tensor"
        }
    }

    /// Convenience constructors.
    public static func list(_ items: [Value]) -> Value { .list(ListStorage(items)) }
    public static func record(_ fields: [(String, Value)]) -> Value { .record(RecordStorage(fields)) }

    /// The tensor this value holds directly (a tensor or a parameter), without conversion.
    public var tensorValue: Tensor? {
        switch self {
        case .tensor(let t): return t
        case .parameter(let p): return p.value
        case .traced(let t): return t.value
        default: return nil
        }
    }

    /// `true` only for `none`.
    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// A mutable, shared list.
public final class ListStorage {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
    deinit { ContainerRelease.drain(&items) }
}

/// A mutable, shared record whose fields keep the order they were written in.
public final class RecordStorage {
    public private(set) var fields: [(name: String, value: Value)]

    deinit {
        var values = fields.map(\.value)
        fields = []
        ContainerRelease.drain(&values)
    }

    public init(_ fields: [(String, Value)]) {
        self.fields = []
        for (name, value) in fields { self[name] = value }
    }

    public subscript(name: String) -> Value? {
        get { fields.first(where: { $0.name == name })?.value }
        set {
            if let index = fields.firstIndex(where: { $0.name == name }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((name: name, value: newValue))
            }
        }
    }
}

/// A value kind added by a builtin family (dataset, optimizer, history...), so that the
/// core `Value` type does not depend on every engine type.
public protocol ObjectValue: AnyObject {
    /// The kind's name as `type(v)` reports it: "dataset", "optimizer", "history".
    var kindName: String { get }
    /// How the value prints.
    var displayText: String { get }
    /// The value as JSON text (docs/language.md, "Pictures, checks and JSON forms"); by default its printed text as a JSON string.
    func jsonText(_ encoder: JSONEncoderContext) -> String
    /// `v.name`, or nil when there is no such member.
    func member(_ name: String) -> Value?
    /// `v.name = value`; by default no member can be set.
    func setMember(_ name: String, to value: Value) throws
    /// The member names, for completion and error hints.
    var memberNames: [String] { get }
    /// `len(v)`, or nil when it has no length.
    var length: Int? { get }
    /// `v[i]`, or nil when not indexable.
    func element(at index: Int) throws -> Value?
    /// Richer forms of the value keyed by MIME type (`"image/svg+xml"` for a plot,
    /// `"text/html"` for a walkthrough page), for hosts that can show them (a notebook);
    /// `displayText` stays the plain form every host can print.
    var richForms: [String: String] { get }
}

public extension ObjectValue {
    func jsonText(_ encoder: JSONEncoderContext) -> String { encoder.string(displayText) }
    func member(_ name: String) -> Value? { nil }
    func setMember(_ name: String, to value: Value) throws {
        throw BuiltinError("`\(name)` of a \(kindName) cannot be set",
                           hint: memberNames.isEmpty ? "a \(kindName) has no members to set" : "a \(kindName)'s members are read-only: \(memberNames.joined(separator: ", "))")
    }
    var memberNames: [String] { [] }
    var length: Int? { nil }
    func element(at index: Int) throws -> Value? { nil }
    var richForms: [String: String] { [:] }
}

/// Releasing a list nested a million levels deep would recurse once per level (each
/// storage's deinit releasing the next) and overflow any stack. Instead, a dying container
/// hands its items to a work list, and every nested container that dies with it (no other
/// reference) gives up its own items there too before it goes, so each deinit is shallow.
enum ContainerRelease {
    static func drain(_ values: inout [Value]) {
        guard values.contains(where: \.isContainer) else { return }
        var work = values
        values = []
        while !work.isEmpty {
            // Take the storage out of the work list first, so that a container nothing else
            // holds is referenced by `list`/`record` alone and can be emptied before it dies.
            var list: ListStorage?
            var record: RecordStorage?
            switch work[work.count - 1] {
            case .list(let l): list = l
            case .record(let r): record = r
            default: break
            }
            work.removeLast()
            if isKnownUniquelyReferenced(&list), let l = list {
                work.append(contentsOf: l.items)
                l.items = []
            }
            if isKnownUniquelyReferenced(&record), let r = record {
                work.append(contentsOf: r.takeValues())
            }
        }
    }
}

extension Value {
    fileprivate var isContainer: Bool {
        switch self {
        case .list, .record: return true
        default: return false
        }
    }
}

extension RecordStorage {
    /// Empties the record, handing back its values (for `ContainerRelease`).
    fileprivate func takeValues() -> [Value] {
        let values = fields.map(\.value)
        fields = []
        return values
    }
}
