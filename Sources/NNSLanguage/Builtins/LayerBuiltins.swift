import Foundation
import NNEngine

/// The layers (docs/language.md, "Layers and networks"): each layer class's builders
/// (`LayerBuilder`) become builtins here, so a new layer needs no code in the language.
/// Activations, from the engine's table of element-wise functions, double as functions: `relu` alone is the layer,
/// `relu(-3)` applies it (0), `relu()` makes the layer, `leaky_relu(alpha: 0.2)` a layer
/// with an option, `leaky_relu(x, alpha: 0.2)` applies that.
enum LayerBuiltins {
    static let list: [Builtin] = ElementwiseFunctions.activations.map(activation)
        + LayerRegistry.classes.flatMap { $0.builders }.map(builtin) + [
        Builtin("softmax", family: "layers", [.optional("x")],
                help: "eᶻⁱ/Σⱼeᶻʲ over each sample's outputs (use as the last layer of a classifier)",
                bareLayer: { Softmax() }) { args in
            if args["x"].isNone { return .layer(Softmax()) }
            if case .number = args["x"] { return .number(1) }
            if case .traced(let t) = args["x"] { return .traced(try t.softmax()) }
            let network = try Network([Softmax()])
            return .tensor(try network.forward(try args.tensor("x"), mode: .inference))
        },
    ]

    /// An activation of the engine's table: bare, the layer; called without `x`, the layer
    /// (with its `alpha:` if it takes one); called with `x`, applied to it.
    static func activation(_ function: any ElementwiseFunction.Type) -> Builtin {
        var parameters: [BuiltinParameter] = [.optional("x")]
        if let alpha = function.alphaDefault { parameters.append(.optional("alpha", .number(alpha))) }
        return Builtin(function.name, family: "layers", parameters,
                       help: function.help + "; bare `\(function.name)` is the layer, \(function.name)(x) applies it",
                       bareLayer: { Activation(function) }) { args in
            let alpha = function.alphaDefault == nil ? 0 : try args.number("alpha")
            let op = UnaryOp(function, alpha: Float(alpha))
            // A number is computed in Float64 throughout, option included.
            if case .number(let x) = args["x"] { return .number(function.value(x, alpha: alpha)) }
            return try MathBuiltins.applyUnary(args, "x", op, orMake: { .layer(Activation(op)) })
        }
    }

    /// The builtin for a layer's builder: its arguments handed to the engine as `LayerValue`s,
    /// its argument errors placed under the argument.
    static func builtin(_ builder: LayerBuilder) -> Builtin {
        let parameters = builder.parameters.map { p -> BuiltinParameter in
            p.defaultValue.map { .optional(p.name, value($0)) } ?? .required(p.name)
        }
        func build(_ values: [String: LayerValue], random: RandomSource) throws -> Layer {
            try builder.build(LayerCall(kind: builder.kind, values: values, random: random))
        }
        let bare: (() throws -> Layer)? = builder.isBare ? {
            try build(Dictionary(uniqueKeysWithValues: builder.parameters.map { ($0.name, $0.defaultValue ?? .none) }), random: .shared)
        } : nil
        return Builtin(builder.kind, family: "layers", parameters, help: builder.help, bareLayer: bare) { args in
            var values: [String: LayerValue] = [:]
            for p in builder.parameters { values[p.name] = try layerValue(args, p.name) }
            do {
                return .layer(try build(values, random: args.interpreter.random))
            } catch let e as LayerArgumentError {
                if let what = e.mustBe { throw args.error(e.argument, mustBe: what, hint: e.hint) }
                throw args.error(e.argument, e.message ?? "bad argument", hint: e.hint)
            }
        }
    }

    static func value(_ v: LayerValue) -> Value {
        switch v {
        case .none: return .none
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .tensor(let t): return .tensor(t)
        case .numbers(let xs): return .list(xs.map { Value.number($0) })
        }
    }

    /// An argument as the engine takes it: numbers, strings, lists of numbers, tensors.
    static func layerValue(_ args: BuiltinArguments, _ name: String) throws -> LayerValue {
        let v = args[name]
        switch v {
        case .none: return .none
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .tensor(let t): return .tensor(t)
        default:
            if case .list(let l) = v, l.items.allSatisfy({ $0.asNumber != nil }) { return .numbers(l.items.compactMap(\.asNumber)) }
            guard let t = try? v.asTensor() else { throw args.error(name, mustBe: "a number, a string or a tensor") }
            return .tensor(t)
        }
    }
}
