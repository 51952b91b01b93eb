import NNEngine

/// One `train(...)` by gradient descent: the keyword arguments as the engine's options, the
/// `on_epoch:` callback, the optimizer's schedule going on from where the last call left it,
/// and the checks that refuse runs which could not learn anything.
enum TrainingRun {
    static func run(_ args: BuiltinArguments, network: Network, data: Dataset, loss: Loss,
                    optimizer: Optimizer, validation: Dataset?) throws -> Value {
        try checkLearnable(network)
        try checkLossFits(network, loss)
        var options = TrainingOptions(loss: loss, epochs: try args.wholeNumber("epochs", minimum: 1))
        options.batchSize = try args.wholeNumber("batch", minimum: 1)
        options.shuffle = try args.bool("shuffle")
        options.seed = try args.seed()
        options.validation = validation
        options.l1 = try args.number("l1")
        options.l2 = try args.number("l2")
        options.clip = try args.optionalNumber("clip")
        options.earlyStopPatience = try args.optionalWholeNumber("early_stop", minimum: 1)
        if options.earlyStopPatience != nil, validation == nil {
            throw args.error("early_stop", "early stopping watches the validation loss, and no `validation:` data was given",
                             hint: "e.g. parts = split(data, 0.9, seed: 1); train(net, parts[0], validation: parts[1], early_stop: 3)")
        }
        let optimizerValue: OptimizerValue? = { if case .object(let o as OptimizerValue) = args["optimizer"] { return o } else { return nil } }()
        options.scheduleStart = optimizerValue?.scheduleEpochs ?? 0
        if !args["on_epoch"].isNone {
            let callback = try args.function("on_epoch")
            let interpreter = args.interpreter
            options.continueAfterEpoch = { row in
                let result = try interpreter.callValue(callback, [.number(Double(row.epoch)), record(row)])
                if case .bool(false) = result { return false }
                return true
            }
        }
        let host = args.interpreter.host
        options.progress = { host.trainingProgress($0) }
        options.shouldStop = { host.interruptRequested }
        defer { host.trainingFinished() }
        let history = try NNEngine.train(network, data, optimizer: optimizer, options: options)
        optimizerValue?.scheduleEpochs += history.count
        return .object(HistoryValue(history))
    }

    /// An epoch's row as the record `h[i]` gives.
    static func record(_ row: History.Row) -> Value {
        var history = History(hasAccuracy: row.accuracy != nil, hasValidation: row.validationLoss != nil)
        history.rows = [row]
        return (try? HistoryValue(history).element(at: 0)) ?? .none
    }

    /// `bce` takes probabilities: a prediction outside [0, 1] is a mistake (logits given
    /// where sigmoid outputs were meant), not something to clamp silently.
    static func checkProbabilities(_ args: BuiltinArguments, _ prediction: Tensor) throws {
        guard let k = prediction.scalars.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) else { return }
        throw args.error("prediction", "bce: a prediction must be a probability in [0, 1], got \(NumberFormatting.format(prediction.scalars[k]))\(prediction.count > 1 ? " (element \(k))" : "")",
                         hint: "end the network with sigmoid, or use cross_entropy, which takes logits")
    }

    /// `train(..., loss: bce)` needs outputs that are probabilities.
    static func checkLossFits(_ network: Network, _ loss: Loss) throws {
        guard loss == .bce else { return }
        if let last = network.layers.last as? Activation, case .sigmoid = last.function { return }
        if network.layers.last is Softmax { return }
        throw BuiltinError("train: bce needs probabilities, but the network's last layer is not sigmoid",
                           hint: "end the network with |> sigmoid, or use cross_entropy, which takes logits")
    }

    /// Gradient descent cannot move a network whose only nonlinearity is `step`: its
    /// derivative is 0 everywhere, so every weight's gradient is 0.
    static func checkLearnable(_ network: Network) throws {
        let activations = network.layers.compactMap { $0 as? Activation }
        guard !activations.isEmpty, activations.allSatisfy({ if case .step = $0.function { return true } else { return false } }),
              !network.layers.contains(where: { $0 is Softmax }) else { return }
        throw BuiltinError("train: gradient descent cannot train this network: `step` has derivative 0 everywhere, so every gradient is 0",
                           hint: "train it by the perceptron rule with rule: \"perceptron\", or use a differentiable activation such as sigmoid")
    }
}
