import NNEngine

/// forward, loss_of, gradients, gradcheck, forward_steps, backward_steps, params, nparams,
/// summary, copy: looking at a network without training it.
enum NetworkBuiltins {
    static let list: [Builtin] = [
        Builtin("forward", family: "network", [.required("net"), .required("x")],
                help: "the forward pass ŷ = net(x) in inference mode (the same as x |> net)") { args in
            let network = try args.network("net")
            _ = try args.tensor("x")
            return try args.interpreter.forward(network, args["x"])
        },
        Builtin("loss_of", family: "network", [.required("net"), .required("x"), .required("y"), .optional("loss", .string("mse"))],
                help: "the loss C of net's predictions for x against targets y (a number)") { args in
            let network = try args.network("net")
            let loss = try lossFunction(args)
            return .number(try network.loss(of: try args.tensor("x"), target: try args.tensor("y"), loss: loss))
        },
        Builtin("gradients", family: "network", [.required("net"), .required("x"), .required("y"), .optional("loss", .string("mse"))],
                help: "∂C/∂θ for every parameter as a record {\"0.weight\": tensor, ...}; the weights are not changed") { args in
            let network = try args.network("net")
            let loss = try lossFunction(args)
            try withStateRestored(network) {
                try network.lossAndGradients(input: try args.tensor("x"), target: try args.tensor("y"), loss: loss)
            }
            return .record(network.namedParameters.filter { $0.parameter.isTrainable }.map { ($0.name, Value.tensor($0.parameter.grad)) })
        },
        Builtin("gradcheck", family: "network", [.required("net"), .required("x"), .required("y"), .optional("loss", .string("mse"))],
                help: "the largest relative error between backprop's gradients and central differences (small is good: < 1e-2 in Float32)") { args in
            let network = try args.network("net")
            return .number(try GradientCheck.maximumRelativeError(network, x: try args.tensor("x"), y: try args.tensor("y"),
                                                                   loss: try lossFunction(args)))
        },
        Builtin("forward_steps", family: "network", [.required("net"), .required("x")],
                help: "the forward pass layer by layer: a list of {layer:, input:, output:} (z = W·a + b, then a = h(z))") { args in
            let network = try args.network("net")
            let trace = ForwardTrace()
            _ = try network.forward(try args.tensor("x"), mode: .inference, trace: trace)
            return .list(trace.steps.map { step in
                .record([("index", .number(Double(step.index))), ("layer", .layer(step.layer)),
                         ("input", .tensor(step.input)), ("output", .tensor(step.output))])
            })
        },
        Builtin("backward_steps", family: "network", [.required("net"), .required("x"), .required("y"), .optional("loss", .string("mse"))],
                help: "the backward pass: {loss:, steps: [{layer:, delta:, grads:, input_grad:}, ...]} from the top layer down; delta of a linear layer is δ = ∂C/∂z") { args in
            let network = try args.network("net")
            let loss = try lossFunction(args)
            let trace = BackwardTrace()
            try withStateRestored(network) {
                try network.lossAndGradients(input: try args.tensor("x"), target: try args.tensor("y"), loss: loss,
                                             mode: .inference, trace: trace)
            }
            let steps: [Value] = trace.steps.map { step in
                .record([("index", .number(Double(step.index))), ("layer", .layer(step.layer)),
                         ("delta", step.outputGradient.map { Value.tensor($0) } ?? .none),
                         ("grads", .record(step.parameterGradients.map { ($0.name, Value.tensor($0.gradient)) })),
                         ("input_grad", step.inputGradient.map { Value.tensor($0) } ?? .none)])
            }
            return .record([("loss", .number(trace.loss ?? .nan)), ("steps", .list(steps))])
        },
        Builtin("params", family: "network", [.required("net")],
                help: "the named parameters as a record {\"0.weight\": ..., \"0.bias\": ...} (PyTorch state_dict names)") { args in
            .record(try args.network("net").namedParameters.map { ($0.name, Value.parameter($0.parameter)) })
        },
        Builtin("nparams", family: "network", [.required("net")],
                help: "the number of trainable parameters (784-256-32-10 has 209514)") { args in
            .number(Double(try args.network("net").parameterCount))
        },
        Builtin("summary", family: "network", [.required("net")],
                help: "print a table of the layers: index, layer, output shape, parameter count, and the total") { args in
            let network = try args.network("net")
            args.interpreter.host.write(args.interpreter.printsJSON ? NetworkSummary.json(network) + "\n" : NetworkSummary.table(network))
            return .none
        },
        Builtin("copy", family: "network", [.required("v")],
                help: "a deep copy of a network, layer, list or record (its own weights)") { args in
            try deepCopy(args["v"])
        },
    ]

    /// mse, bce, cross_entropy as functions of (prediction, target); `loss: mse` names them.
    static let losses: [Builtin] = Loss.allCases.map { loss in
        let help: String
        switch loss {
        case .mse: help = "mean squared error C = mean over the batch of ½‖ŷ − y‖²"
        case .bce: help = "binary cross-entropy on probabilities ŷ ∈ (0, 1)"
        case .crossEntropy: help = "cross-entropy of logits against class indices or one-hot targets (log-softmax inside)"
        }
        return Builtin(loss.rawValue, family: "losses", [.required("prediction"), .required("target")], help: help) { args in
            let prediction = try args.tensor("prediction")
            if loss == .bce { try TrainingRun.checkProbabilities(args, prediction) }
            return .number(try loss.value(prediction: prediction, target: try args.tensor("target")))
        }
    }

    /// The `loss:` argument: "mse", "bce", "cross_entropy" (as a string or a bare name).
    static func lossFunction(_ args: BuiltinArguments) throws -> Loss {
        let name: String
        switch args["loss"] {
        case .string(let s): name = s
        case .function(let f): name = f.name
        default: throw args.error("loss", mustBe: "one of mse, bce, cross_entropy")
        }
        guard let loss = Loss(rawValue: name) else {
            throw args.error("loss", mustBe: "one of mse, bce, cross_entropy",
                             hint: NameSuggestions.hint(for: name, among: Loss.allCases.map(\.rawValue)))
        }
        return loss
    }

    /// Runs `body` and puts every parameter and buffer back as it was (batchnorm's running
    /// statistics move in a training-mode pass), so looking never changes the network.
    static func withStateRestored(_ network: Network, _ body: () throws -> Void) throws {
        let saved = network.namedParameters.map { $0.parameter.value }
        defer {
            for (entry, value) in zip(network.namedParameters, saved) where !entry.parameter.isTrainable {
                entry.parameter.value = value
            }
        }
        try body()
    }

    /// A deep copy that keeps the original's shape of sharing, as Python's `deepcopy` does:
    /// a list or record reached twice is copied once, and one that contains itself yields a
    /// copy that contains itself, instead of recursing without end.
    static func deepCopy(_ value: Value) throws -> Value {
        var copies: [ObjectIdentifier: Value] = [:]
        return try deepCopy(value, &copies, depth: 0)
    }

    private static func deepCopy(_ value: Value, _ copies: inout [ObjectIdentifier: Value], depth: Int) throws -> Value {
        if depth > Value.maximumPrintDepth {
            throw BuiltinError("cannot copy: the value is nested more than \(Value.maximumPrintDepth) levels deep")
        }
        switch value {
        case .network(let n): return .network(n.copy())
        case .layer(let l): return .layer(l.copy())
        case .list(let l):
            if let done = copies[ObjectIdentifier(l)] { return done }
            let copy = ListStorage([])
            copies[ObjectIdentifier(l)] = .list(copy)
            for item in l.items { copy.items.append(try deepCopy(item, &copies, depth: depth + 1)) }
            return .list(copy)
        case .record(let r):
            if let done = copies[ObjectIdentifier(r)] { return done }
            let copy = RecordStorage([])
            copies[ObjectIdentifier(r)] = .record(copy)
            for field in r.fields { copy[field.name] = try deepCopy(field.value, &copies, depth: depth + 1) }
            return .record(copy)
        case .parameter(let p): return .tensor(p.value)
        default: return value
        }
    }
}
