import NNEngine

/// The arguments of one builtin call, bound to its parameters by position and keyword, with
/// typed accessors whose errors name the function and the parameter:
/// `linear: parameter `out` must be a positive whole number, got 2.5`.
public struct BuiltinArguments {
    public let builtin: Builtin
    /// The interpreter making the call (for output, calling user functions, the host).
    public let interpreter: Interpreter
    private let values: [String: Value]
    /// Whether each parameter was given by the caller (not defaulted).
    private let given: Set<String>
    /// Every positional argument the variadic parameter received.
    public let rest: [Value]

    init(builtin: Builtin, interpreter: Interpreter, values: [String: Value], given: Set<String>, rest: [Value]) {
        self.builtin = builtin
        self.interpreter = interpreter
        self.values = values
        self.given = given
        self.rest = rest
    }

    /// Binds positional and keyword arguments to the builtin's parameters.
    static func bind(_ builtin: Builtin, positional: [Value], keywords: [(String, Value)],
                     interpreter: Interpreter) throws -> BuiltinArguments {
        var values: [String: Value] = [:]
        var given: Set<String> = []
        var rest: [Value] = []
        let fixed = builtin.parameters.filter { !$0.isVariadic }
        // Positional arguments fill the parameters in order up to a variadic one, which
        // takes the rest; parameters after it can only be given by keyword.
        var position = 0
        let parameters = builtin.parameters
        for value in positional {
            if position < parameters.count, !parameters[position].isVariadic {
                values[parameters[position].name] = value
                given.insert(parameters[position].name)
                position += 1
            } else if position < parameters.count {
                rest.append(value)
            } else {
                throw BuiltinError("\(builtin.name): takes at most \(parameters.count) argument\(parameters.count == 1 ? "" : "s"), got \(positional.count)",
                                   hint: "usage: \(builtin.signature)")
            }
        }
        for (name, value) in keywords {
            guard fixed.contains(where: { $0.name == name }) else {
                let names = fixed.map(\.name)
                let near = NameSuggestions.nearest(to: name, among: names)
                throw BuiltinError("\(builtin.name): no parameter named `\(name)`",
                                   hint: near.isEmpty ? "usage: \(builtin.signature)" : "did you mean \(near.map { "`\($0)`" }.joined(separator: " or "))? usage: \(builtin.signature)")
            }
            guard !given.contains(name) else {
                throw BuiltinError("\(builtin.name): parameter `\(name)` given twice", hint: "usage: \(builtin.signature)")
            }
            values[name] = value
            given.insert(name)
        }
        for parameter in fixed where values[parameter.name] == nil {
            guard let value = parameter.defaultValue else {
                throw BuiltinError("\(builtin.name): missing argument `\(parameter.name)`", hint: "usage: \(builtin.signature)")
            }
            values[parameter.name] = value
        }
        return BuiltinArguments(builtin: builtin, interpreter: interpreter, values: values, given: given, rest: rest)
    }

    // MARK: - Accessors

    /// The argument as given (or its default).
    public subscript(_ name: String) -> Value { values[name] ?? .none }

    /// Whether the caller wrote this argument.
    public func isGiven(_ name: String) -> Bool { given.contains(name) }

    /// An error about one argument: `NAME: parameter `P` must be WHAT, got V`.
    public func error(_ name: String, mustBe what: String, hint: String? = nil) -> BuiltinError {
        BuiltinError("\(builtin.name): parameter `\(name)` must be \(what), got \(Self.describe(self[name]))",
                     hint: hint, argument: name)
    }

    /// A free-form error about one argument, prefixed with the builtin's name.
    public func error(_ name: String, _ message: String, hint: String? = nil) -> BuiltinError {
        BuiltinError("\(builtin.name): \(message)", hint: hint, argument: name)
    }

    public func number(_ name: String) throws -> Double {
        guard let x = self[name].asNumber else { throw error(name, mustBe: "a number") }
        return x
    }

    public func optionalNumber(_ name: String) throws -> Double? {
        if self[name].isNone { return nil }
        return try number(name)
    }

    /// A whole number ≥ `minimum` (sizes, counts, indices).
    public func wholeNumber(_ name: String, minimum: Int = 0) throws -> Int {
        let what = minimum == 1 ? "a positive whole number" : minimum == 0 ? "a whole number ≥ 0" : "a whole number ≥ \(minimum)"
        guard let x = self[name].asNumber, x == x.rounded(), x >= Double(minimum) else {
            throw error(name, mustBe: what)
        }
        guard x < 9e15 else {
            throw error(name, "parameter `\(name)` is out of range, got \(NumberFormatting.format(x))", hint: "it must be below 9e15")
        }
        return Int(x)
    }

    public func optionalWholeNumber(_ name: String, minimum: Int = 0) throws -> Int? {
        if self[name].isNone { return nil }
        return try wholeNumber(name, minimum: minimum)
    }

    /// The `seed:` argument of a call that shuffles, or else a seed drawn from the
    /// interpreter's random stream, so that `seed(n)` earlier in the program fixes it.
    public func seed(_ name: String = "seed") throws -> UInt64 {
        if let seed = try optionalWholeNumber(name) { return UInt64(seed) }
        return interpreter.random.withGenerator { $0.next() }
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let s) = self[name] else { throw error(name, mustBe: "a string") }
        return s
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = self[name] else { throw error(name, mustBe: "true or false") }
        return b
    }

    /// A tensor; numbers and nested lists of numbers convert.
    public func tensor(_ name: String) throws -> Tensor {
        let value = self[name]
        do {
            guard let t = try value.asTensor() else { throw error(name, mustBe: "a tensor or a list of numbers") }
            return t
        } catch let e as BuiltinError where e.argument == nil {
            throw BuiltinError("\(builtin.name): parameter `\(name)`: \(e.message)", hint: e.hint, argument: name)
        }
    }

    public func optionalTensor(_ name: String) throws -> Tensor? {
        if self[name].isNone { return nil }
        return try tensor(name)
    }

    /// A network; a layer (or bare layer name) counts as a one-layer network.
    public func network(_ name: String) throws -> Network {
        guard let n = try self[name].asNetwork() else { throw error(name, mustBe: "a network or a layer") }
        return n
    }

    public func list(_ name: String) throws -> [Value] {
        guard case .list(let list) = self[name] else { throw error(name, mustBe: "a list") }
        return list.items
    }

    public func function(_ name: String) throws -> Value {
        let value = self[name]
        switch value {
        case .function, .layer, .network: return value
        default: throw error(name, mustBe: "a function")
        }
    }

    /// A short description of a value for error messages: numbers and short texts in full,
    /// other kinds by kind and shape.
    static func describe(_ value: Value) -> String {
        switch value {
        case .number, .bool, .none: return value.representation
        case .string(let s): return s.count <= 40 ? Value.quoted(s) : "a string"
        case .tensor(let t): return "a tensor of shape \(ShapeText.format(t.shape))"
        case .parameter(let p): return "a tensor of shape \(ShapeText.format(p.value.shape))"
        case .list(let l):
            let text = value.representation
            return text.count <= 40 ? text : "a list of \(l.items.count)"
        default: return "a \(value.kindName)"
        }
    }
}
