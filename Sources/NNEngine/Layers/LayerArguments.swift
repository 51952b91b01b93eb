/// One argument of a layer as its builtin takes it: `784` in `linear(784, 256)`,
/// `stride: 2` in `conv2d(1, 8, 3, stride: 2)`. A layer lists its arguments once, and from
/// that list come the nns source it prints as (typed back, it builds the same layer), the
/// JSON `save` records in a file's `nns.layers` metadata, and `load`'s reading of it.
public struct LayerArgument: Equatable, Sendable {
    /// The keyword, and the JSON key (`in`, `out`, `alpha`, `stride`).
    public let name: String
    public let value: JSONValue
    /// Written by position in source (`linear(784, 256)`), else as `name: value`.
    public let isPositional: Bool
    /// A keyword argument equal to its default is left out of the source (not of the file).
    public let defaultValue: JSONValue?

    public init(_ name: String, _ value: JSONValue, positional: Bool = false, default defaultValue: JSONValue? = nil) {
        self.name = name
        self.value = value
        self.isPositional = positional
        self.defaultValue = defaultValue
    }

    /// A whole number.
    public static func integer(_ name: String, _ value: Int, positional: Bool = false, default d: Int? = nil) -> LayerArgument {
        LayerArgument(name, .integer(value), positional: positional, default: d.map { .integer($0) })
    }

    /// A real number, written with the Float's shortest digits.
    public static func real(_ name: String, _ value: Float, positional: Bool = false, default d: Float? = nil) -> LayerArgument {
        LayerArgument(name, JSONValue.shortest(value), positional: positional, default: d.map { JSONValue.shortest($0) })
    }

    /// A real number kept as a Double (dropout's p).
    public static func real(_ name: String, _ value: Double, positional: Bool = false) -> LayerArgument {
        LayerArgument(name, JSONValue.shortest(value), positional: positional)
    }

    /// A height and width: one number when they agree (`3`), else `[3, 5]`.
    public static func extent(_ name: String, _ value: (Int, Int), positional: Bool = false, default d: Int? = nil) -> LayerArgument {
        let json: JSONValue = value.0 == value.1 ? .integer(value.0) : .array([.integer(value.0), .integer(value.1)])
        return LayerArgument(name, json, positional: positional, default: d.map { .integer($0) })
    }
}

extension JSONValue {
    /// A number with the shortest digits that read back as the same Float (`0.01`, `1e-05`).
    static func shortest(_ x: Float) -> JSONValue { shortest(ShortestNumber.widened(x)) }

    /// Whole numbers as integers, others as they are.
    static func shortest(_ x: Double) -> JSONValue {
        if x == x.rounded(), x.magnitude < ShortestNumber.wholeLimit { return .integer(Int(x)) }
        return .number(x)
    }

    /// The value as nns source: numbers the shortest way, lists in brackets, strings quoted.
    var nnsSource: String {
        switch self {
        case .null: return "none"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return ShortestNumber.text(d)
        case .string(let s): return s.jsonLiteral
        case .array(let items): return "[" + items.map(\.nnsSource).joined(separator: ", ") + "]"
        case .object: return serialized
        }
    }
}

public enum LayerSource {
    /// `linear(784, 256)`, `leaky_relu(alpha: 0.2)`, `relu` (no arguments: the bare name).
    public static func text(kind: String, arguments: [LayerArgument]) -> String {
        let written = arguments.compactMap { a -> String? in
            if a.isPositional { return a.value.nnsSource }
            if let d = a.defaultValue, d == a.value { return nil }
            return "\(a.name): \(a.value.nnsSource)"
        }
        return written.isEmpty ? kind : "\(kind)(\(written.joined(separator: ", ")))"
    }
}

/// A layer's saved arguments as `load` reads them: the JSON object of one entry of
/// `nns.layers`, with typed readers whose errors name the layer and its position.
public struct LayerRecord {
    public let kind: String
    let json: JSONValue
    /// The layer's position, from 1, for errors.
    public let index: Int

    public init(json: JSONValue, index: Int) throws {
        self.json = json
        self.index = index
        guard json.objectValue != nil, let kind = json["kind"]?.stringValue else {
            throw LayerRecord.damaged(index, "has no \"kind\"")
        }
        self.kind = kind
    }

    /// The record of a layer's arguments (what `save` writes).
    public static func json(kind: String, arguments: [LayerArgument]) -> JSONValue {
        .object([("kind", .string(kind))] + arguments.map { (key: $0.name, value: $0.value) })
    }

    static func damaged(_ index: Int, _ problem: String) -> EngineError {
        EngineError("layer \(index) of the saved architecture \(problem)",
                    hint: "the nns.layers metadata is damaged; load the tensors with load(path, into: net) instead")
    }

    /// An error about this record.
    public func error(_ problem: String) -> EngineError {
        LayerRecord.damaged(index, "(\(kind)) \(problem)")
    }

    /// A positive whole number (a size), at most 2²⁴.
    public func count(_ key: String) throws -> Int {
        guard let n = json[key]?.intValue, n > 0, n <= 1 << 24 else { throw error("needs a positive integer \"\(key)\"") }
        return n
    }

    /// A whole number ≥ `minimum`, or `defaultValue` when absent.
    public func integer(_ key: String, minimum: Int = 0, default defaultValue: Int? = nil) throws -> Int {
        if json[key] == nil, let defaultValue { return defaultValue }
        guard let n = json[key]?.intValue, n >= minimum, n <= 1 << 24 else {
            throw error("needs an integer \"\(key)\" of at least \(minimum)")
        }
        return n
    }

    /// A finite number, or `defaultValue` when absent.
    public func real(_ key: String, default defaultValue: Double? = nil) throws -> Double {
        if json[key] == nil, let defaultValue { return defaultValue }
        guard let d = json[key]?.doubleValue, d.isFinite else { throw error("needs a number \"\(key)\"") }
        return d
    }

    /// A height and width saved as one number or `[h, w]`, each ≥ `minimum`.
    public func extent(_ key: String, minimum: Int = 1, default defaultValue: Int? = nil) throws -> (Int, Int) {
        if json[key] == nil, let d = defaultValue { return (d, d) }
        let values: [Int]?
        switch json[key] {
        case .integer(let n)?: values = [n, n]
        case .array(let items)?: values = items.count == 2 ? items.compactMap(\.intValue) : nil
        default: values = nil
        }
        guard let v = values, v.count == 2, v.allSatisfy({ $0 >= minimum && $0 <= 1 << 24 }) else {
            throw error("needs \"\(key)\" as an integer or [h, w] of integers ≥ \(minimum)")
        }
        return (v[0], v[1])
    }
}
