import Foundation
import NNEngine

/// The layers of SPEC §6. Activations double as functions: `relu` alone is the layer,
/// `relu(-3)` applies it (0), `relu()` makes the layer, `leaky_relu(alpha: 0.2)` a layer
/// with an option, `leaky_relu(x, alpha: 0.2)` applies that.
enum LayerBuiltins {
    static let list: [Builtin] = [
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
        activation("sigmoid", .sigmoid, .sigmoid, help: "σ(z) = 1/(1 + e⁻ᶻ)") { 1 / (1 + Foundation.exp(-$0)) },
        activation("tanh", .tanh, .tanh, help: "tanh(z), zero-centred in (−1, 1)") { Foundation.tanh($0) },
        activation("relu", .relu, .relu, help: "max(0, z)") { $0 > 0 ? $0 : 0 },
        activation("gelu", .gelu, .gelu, help: "z·Φ(z) with Φ the standard normal CDF (exact, with erf)") {
            $0 * 0.5 * (1 + Foundation.erf($0 / 2.0.squareRoot()))
        },
        activation("identity", .identity, .identity, help: "z unchanged (a linear output layer)") { $0 },
        activation("step", .step, .step, help: "Heaviside step: 1 for z ≥ 0, else 0 (the perceptron's activation)") { $0 >= 0 ? 1 : 0 },
        Builtin("leaky_relu", family: "layers", [.optional("x"), .optional("alpha", .number(0.01))],
                help: "z for z > 0, else alpha·z", bareLayer: { Activation(.leakyReLU(alpha: 0.01)) }) { args in
            let alpha = try args.number("alpha")
            return try applyOrMake(args, .leakyReLU(alpha: Float(alpha)), .leakyRelu(alpha: Float(alpha))) { $0 > 0 ? $0 : alpha * $0 }
        },
        Builtin("elu", family: "layers", [.optional("x"), .optional("alpha", .number(1))],
                help: "z for z > 0, else alpha·(eᶻ − 1)", bareLayer: { Activation(.elu(alpha: 1)) }) { args in
            let alpha = try args.number("alpha")
            return try applyOrMake(args, .elu(alpha: Float(alpha)), .elu(alpha: Float(alpha))) { $0 > 0 ? $0 : alpha * (Foundation.exp($0) - 1) }
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

    /// An activation without options: the layer when called without `x`, applied otherwise.
    static func activation(_ name: String, _ function: Activation.Function, _ op: UnaryOp, help: String,
                           _ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, family: "layers", [.optional("x")], help: help + "; bare `\(name)` is the layer, \(name)(x) applies it",
                bareLayer: { Activation(function) }) { args in
            try applyOrMake(args, function, op, f)
        }
    }

    /// `name()` → the layer; `name(x)` → the activation of x: numbers in Float64, tensors
    /// element-wise through the engine.
    static func applyOrMake(_ args: BuiltinArguments, _ function: Activation.Function, _ op: UnaryOp,
                            _ f: (Double) -> Double) throws -> Value {
        switch args["x"] {
        case .none: return .layer(Activation(function))
        case .number(let x): return .number(f(x))
        case .traced(let t): return .traced(t.applying(op))
        default: return .tensor(try args.tensor("x").applying(op))
        }
    }
}
