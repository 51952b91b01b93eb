import Foundation
import NNEngine

/// The layers of SPEC §6. Activations double as functions: `relu` alone is the layer,
/// `relu(-3)` applies it (0), `relu()` makes the layer, `leaky_relu(alpha: 0.2)` a layer
/// with an option, `leaky_relu(x, alpha: 0.2)` applies that.
enum LayerBuiltins {
    static let list: [Builtin] = ElementwiseFunctions.activations.map(activation) + [
        Builtin("linear", family: "layers",
                [.required("in"), .required("out"), .optional("weight"), .optional("bias"), .optional("init", .string("auto"))],
                help: "a fully connected layer z = W·a + b with W of shape [out, in]; init: \"auto\" \"he\" \"xavier\" \"normal\" \"uniform\" \"zeros\"") { args in
            let inputs = try args.wholeNumber("in", minimum: 1)
            let outputs = try args.wholeNumber("out", minimum: 1)
            do {
                _ = try TensorLimits.checkedShape([Double(outputs), Double(inputs)])
            } catch let e as EngineError {
                throw BuiltinError("linear(\(inputs), \(outputs)): \(e.message)", hint: e.hint)
            }
            let initName = try args.string("init")
            guard let initializer = WeightInit(rawValue: initName) else {
                throw args.error("init", mustBe: "one of " + WeightInit.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            var weight = try args.optionalTensor("weight")
            if let w = weight, w.rank == 1, outputs == 1, w.count == inputs { weight = w.reshaped([1, inputs]) }
            if let w = weight, w.shape != [outputs, inputs] {
                throw args.error("weight", "weight must have shape [out, in] = \(ShapeText.format([outputs, inputs])), got \(ShapeText.format(w.shape))",
                                 hint: "row i holds the weights into output unit i")
            }
            let bias = try args.optionalTensor("bias")
            if let b = bias, b.count != outputs || b.rank > 1 {
                throw args.error("bias", "bias must have \(outputs) element\(outputs == 1 ? "" : "s") (one per output), got shape \(ShapeText.format(b.shape))")
            }
            return .layer(try Linear(inputs: inputs, outputs: outputs, weight: weight,
                                     bias: bias.map { $0.reshaped([outputs]) }, initializer: initializer,
                                     source: args.interpreter.random))
        },
        Builtin("softmax", family: "layers", [.optional("x")],
                help: "eᶻⁱ/Σⱼeᶻʲ over each sample's outputs (use as the last layer of a classifier)",
                bareLayer: { Softmax() }) { args in
            if args["x"].isNone { return .layer(Softmax()) }
            if case .number = args["x"] { return .number(1) }
            if case .traced(let t) = args["x"] { return .traced(try t.softmax()) }
            let network = try Network([Softmax()])
            return .tensor(try network.forward(try args.tensor("x"), mode: .inference))
        },
        Builtin("dropout", family: "layers", [.required("p")],
                help: "in training, zero each unit with probability p and scale the rest by 1/(1−p); identity otherwise") { args in
            let p = try args.number("p")
            guard p >= 0, p < 1 else { throw args.error("p", mustBe: "a probability in [0, 1)") }
            return .layer(try Dropout(p: p, source: args.interpreter.random))
        },
        Builtin("batchnorm", family: "layers", [.required("n")],
                help: "batch normalisation of n features (as PyTorch's BatchNorm1d)") { args in
            .layer(try BatchNorm(features: try args.wholeNumber("n", minimum: 1)))
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
}
