/// How a layer is called into being from nns source (`linear(784, 256, init: "he")`): its
/// builtin's parameters with their defaults, its help line and the function that builds it
/// from the arguments given. Each layer class declares its builders beside everything else
/// about it, and the language makes a builtin of each (the engine knows nothing of the
/// language: arguments arrive as `LayerValue`s).
public struct LayerBuilder {
    /// The builtin's name, the layer's kind (`conv2d`).
    public let kind: String
    public let parameters: [LayerParameter]
    /// One line for `help` and the reference.
    public let help: String
    public let build: (LayerCall) throws -> Layer

    public init(_ kind: String, _ parameters: [LayerParameter], help: String, build: @escaping (LayerCall) throws -> Layer) {
        self.kind = kind
        self.parameters = parameters
        self.help = help
        self.build = build
    }

    /// Whether every parameter has a default, so the bare name stands for the layer (`flatten`).
    public var isBare: Bool { parameters.allSatisfy { $0.defaultValue != nil } }
}

/// One parameter of a layer's builtin: required (no default) or with a default.
public struct LayerParameter {
    public let name: String
    public let defaultValue: LayerValue?

    public static func required(_ name: String) -> LayerParameter { LayerParameter(name: name, defaultValue: nil) }
    public static func optional(_ name: String, _ value: LayerValue = .none) -> LayerParameter {
        LayerParameter(name: name, defaultValue: value)
    }
}

/// An argument's value as a layer's builder receives it.
public enum LayerValue {
    case none
    case number(Double)
    case string(String)
    case tensor(Tensor)
    /// A list of numbers (`[3, 5]`).
    case numbers([Double])
}

/// An argument a builder cannot use: the language places the caret under `argument` and
/// writes "conv2d: parameter `kernel` must be <mustBe>, got <what was given>" or the message.
public struct LayerArgumentError: Error {
    public let argument: String
    /// What the argument must be, when that is the whole story.
    public let mustBe: String?
    /// Otherwise, the problem in full.
    public let message: String?
    public let hint: String?
}

/// The arguments of one call of a layer's builtin, with typed readers whose errors name the
/// argument.
public struct LayerCall {
    public let kind: String
    public let values: [String: LayerValue]
    /// The random source for initial weights and dropout masks (the interpreter's seeded one).
    public let random: RandomSource

    public init(kind: String, values: [String: LayerValue], random: RandomSource) {
        self.kind = kind
        self.values = values
        self.random = random
    }

    /// An error about argument `name`, in full.
    public func error(_ name: String, _ message: String, hint: String? = nil) -> LayerArgumentError {
        LayerArgumentError(argument: name, mustBe: nil, message: message, hint: hint)
    }

    /// An error saying what argument `name` must be.
    public func error(_ name: String, mustBe what: String, hint: String? = nil) -> LayerArgumentError {
        LayerArgumentError(argument: name, mustBe: what, message: nil, hint: hint)
    }

    /// Whether the argument was given a value other than `none`.
    public func isGiven(_ name: String) -> Bool {
        if case .none = values[name] ?? .none { return false }
        return true
    }

    /// A number.
    public func real(_ name: String) throws -> Double {
        guard case .number(let x)? = values[name] else { throw error(name, mustBe: "a number") }
        return x
    }

    /// A whole number of at least `minimum` (a size). Sizes too large for memory are the
    /// layer's to refuse, with what they would cost.
    public func count(_ name: String, minimum: Int = 1) throws -> Int {
        guard case .number(let x)? = values[name], x == x.rounded(), x >= Double(minimum) else {
            throw error(name, mustBe: minimum == 1 ? "a positive whole number" : "a whole number ≥ \(minimum)")
        }
        guard x < 9e15 else { throw error(name, "parameter `\(name)` is out of range, got \(ShortestNumber.text(x))", hint: "it must be below 9e15") }
        return Int(x)
    }

    /// A height and width: one whole number for both, or `[h, w]`, each at least `minimum`.
    public func extent(_ name: String, minimum: Int = 1) throws -> Extent2D {
        let values: [Double]
        switch self.values[name] {
        case .number(let x)?: values = [x, x]
        case .numbers(let xs)?: values = xs
        case .tensor(let t)?: values = t.scalars.map(Double.init)
        default: values = []
        }
        guard values.count == 2, values.allSatisfy({ $0 == $0.rounded() && $0 >= Double(minimum) && $0 <= Double(1 << 24) }) else {
            throw error(name, mustBe: "a whole number ≥ \(minimum) or a list [h, w] of them", hint: "e.g. \(name): 3 or \(name): [3, 5]")
        }
        return Extent2D(Int(values[0]), Int(values[1]))
    }

    /// A string.
    public func string(_ name: String) throws -> String {
        guard case .string(let s)? = values[name] else { throw error(name, mustBe: "a string") }
        return s
    }

    /// A tensor, or nil when the argument is `none`.
    public func tensor(_ name: String) throws -> Tensor? {
        switch values[name] {
        case .none?, nil: return nil
        case .tensor(let t)?: return t
        case .number(let x)?: return Tensor(scalar: Float(x))
        case .numbers(let xs)?: return Tensor(xs.map(Float.init))
        case .string?: throw error(name, mustBe: "a tensor (a number or a list of numbers)")
        }
    }

    /// `init:` as a `WeightInit`.
    public func initializer(_ name: String = "init") throws -> WeightInit {
        let text = try string(name)
        guard let value = WeightInit(rawValue: text) else {
            throw error(name, mustBe: "one of " + WeightInit.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        return value
    }
}
