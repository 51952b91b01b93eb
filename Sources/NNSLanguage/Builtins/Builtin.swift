import NNEngine

/// A function provided by the language itself, with its help text stored beside it (the
/// REPL's `:help` and Tab completion read `Builtins.all`).
public struct Builtin {
    public let name: String
    /// The family it belongs to ("layers", "math", "data"...), for grouping in `:help`.
    public let family: String
    public let parameters: [BuiltinParameter]
    /// One line saying what it does.
    public let help: String
    let body: (BuiltinArguments) throws -> Value
    /// For layers with no required argument: builds the layer its bare name stands for.
    let makeBareLayer: (() throws -> Layer)?

    init(_ name: String, family: String, _ parameters: [BuiltinParameter], help: String,
         bareLayer: (() throws -> Layer)? = nil, body: @escaping (BuiltinArguments) throws -> Value) {
        self.name = name
        self.family = family
        self.parameters = parameters
        self.help = help
        self.makeBareLayer = bareLayer
        self.body = body
    }

    /// How a call is written, e.g. `linear(in, out, weight: none, bias: none, init: "auto")`.
    public var signature: String {
        let parts = parameters.map { parameter -> String in
            if parameter.isVariadic { return parameter.name + "..." }
            if let value = parameter.defaultValue { return "\(parameter.name): \(value.representation)" }
            return parameter.name
        }
        return "\(name)(" + parts.joined(separator: ", ") + ")"
    }
}

/// One parameter of a builtin: required, or with a default; a variadic one takes every
/// remaining positional argument.
public struct BuiltinParameter {
    public let name: String
    public let defaultValue: Value?
    public let isVariadic: Bool

    public static func required(_ name: String) -> BuiltinParameter {
        BuiltinParameter(name: name, defaultValue: nil, isVariadic: false)
    }

    public static func optional(_ name: String, _ defaultValue: Value = .none) -> BuiltinParameter {
        BuiltinParameter(name: name, defaultValue: defaultValue, isVariadic: false)
    }

    public static func variadic(_ name: String) -> BuiltinParameter {
        BuiltinParameter(name: name, defaultValue: nil, isVariadic: true)
    }
}

/// An error a builtin reports about its arguments or its work. The interpreter places the
/// caret under the argument named by `argument` when there is one, else under the call.
public struct BuiltinError: Error {
    public var message: String
    public var hint: String?
    public var argument: String?

    public init(_ message: String, hint: String? = nil, argument: String? = nil) {
        self.message = message
        self.hint = hint
        self.argument = argument
    }
}

/// Every builtin, by name.
public enum Builtins {
    /// The registry: built once, on first use, from each family's list (cheap: no work but
    /// making closures, so start-up stays fast).
    public static let all: [String: Builtin] = {
        var table: [String: Builtin] = [:]
        for family in families {
            for builtin in family { table[builtin.name] = builtin }
        }
        return table
    }()

    static var families: [[Builtin]] {
        [CoreBuiltins.list, MathBuiltins.list, TensorBuiltins.list, LayerBuiltins.list,
         NetworkBuiltins.list, NetworkBuiltins.losses, DataBuiltins.list, OptimizerBuiltins.list,
         TrainingBuiltins.list, AutodiffBuiltins.list, PlotBuiltins.list,
         FileBuiltins.list, ScriptingBuiltins.list, ListBuiltins.list, MoreMathBuiltins.list,
         JoinBuiltins.list, DataPreparationBuiltins.list, ImageBuiltins.list, ExportTrainingBuiltins.list,
         PageBuiltins.list, FeatureMapBuiltins.list]
    }

    /// Builtin names sorted, for completion.
    public static var names: [String] { all.keys.sorted() }
}
