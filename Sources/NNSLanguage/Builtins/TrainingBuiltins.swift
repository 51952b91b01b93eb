import NNEngine

/// train, evaluate, predict (docs/language.md, "Training and losses"): argument conversion around the engine's training loop.
enum TrainingBuiltins {
    static let list: [Builtin] = [
        Builtin("train", family: "training",
                [.required("net"), .required("data"), .optional("loss"), .optional("optimizer", .number(0.1)),
                 .optional("epochs", .number(1)), .optional("batch", .number(32)), .optional("shuffle", .bool(true)),
                 .optional("seed"), .optional("validation"), .optional("l1", .number(0)), .optional("l2", .number(0)),
                 .optional("clip"), .optional("early_stop"), .optional("rule", .string("backprop")),
                 .optional("on_epoch"), .optional("snapshots")],
                help: "train net on a dataset by mini-batch gradient descent; returns the history. loss defaults to cross_entropy after a final softmax, else mse; a number as optimizer means sgd(lr: n); on_epoch: fn(epoch, record) runs after each epoch, returning false stops; snapshots: k keeps the weights every k epochs for replay") { args in
            let snapshots = try TrainingSnapshots.make(args)
            if let history = try WalkthroughBuiltins.trainByRule(args) { return history }
            let network = try args.network("net")
            let data = try DataBuiltins.dataset(args, "data")
            let loss = args["loss"].isNone ? defaultLoss(network) : try NetworkBuiltins.lossFunction(args)
            let optimizer = try optimizerArgument(args)
            let validation: Dataset? = args["validation"].isNone ? nil : try DataBuiltins.dataset(args, "validation")
            return try TrainingRun.run(args, network: network, data: data, loss: loss, optimizer: optimizer,
                                       validation: validation, snapshots: snapshots)
        },
        Builtin("evaluate", family: "training", [.required("net"), .required("data"), .optional("loss")],
                help: "the mean loss and accuracy of net on a dataset, in inference mode: {loss:, accuracy:}") { args in
            let network = try args.network("net")
            let data = try DataBuiltins.dataset(args, "data")
            let loss = args["loss"].isNone ? defaultLoss(network) : try NetworkBuiltins.lossFunction(args)
            let result = try NNEngine.evaluate(network, data, loss: loss)
            return .record([("loss", .number(result.loss)), ("accuracy", result.accuracy.map { .number($0) } ?? .none)])
        },
        Builtin("predict", family: "training", [.required("net"), .required("x"), .optional("names", .bool(false))],
                help: "the class of each example (argmax of the outputs, or output ≥ 0.5 for one output): a tensor of indices, a number for one example; names: true (x a dataset with class names) or a list of names gives names") { args in
            let network = try args.network("net")
            let withNames: Bool = { if case .bool(false) = args["names"] { return false } else { return true } }()
            if case .object(let d as DatasetValue) = args["x"] {
                let classes = try NNEngine.predict(network, d.dataset)
                if withNames { return try DataPreparationBuiltins.namedPredictions(args, classes, single: false) }
                return .tensor(Tensor(classes.map { Float($0) }))
            }
            let x = try args.tensor("x")
            let classes = try NNEngine.predict(network, x)
            let single = x.rank <= 1 && classes.count == 1
            if withNames { return try DataPreparationBuiltins.namedPredictions(args, classes, single: single) }
            if single { return .number(Double(classes[0])) }
            return .tensor(Tensor(classes.map { Float($0) }))
        },
    ]

    /// cross_entropy after a final softmax, mse otherwise (the notes' cost).
    static func defaultLoss(_ network: Network) -> Loss {
        network.layers.last is Softmax ? .crossEntropy : .mse
    }

    /// An optimizer value, or a number meaning `sgd(lr: n)`.
    static func optimizerArgument(_ args: BuiltinArguments) throws -> Optimizer {
        switch args["optimizer"] {
        case .object(let o as OptimizerValue): return o.optimizer
        case .number(let lr):
            guard lr > 0, lr.isFinite else { throw args.error("optimizer", mustBe: "an optimizer or a positive learning rate") }
            return try SGD(learningRate: Float(lr))
        default:
            throw args.error("optimizer", mustBe: "an optimizer such as sgd(lr: 0.1) or adam(), or a learning rate")
        }
    }
}
