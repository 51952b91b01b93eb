import NNEngine

/// The classroom's training rules besides backpropagation: `train(net, data, rule:
/// "perceptron")` trains `linear(n, k) |> step` by Rosenblatt's rule (w ← w + η(y − ŷ)x,
/// b ← b + η(y − ŷ)), recording the accuracy of every epoch in the history.
enum WalkthroughBuiltins {
    /// The history of training by the rule `rule:` names, or nil for backpropagation (the
    /// default, which `train` itself runs).
    static func trainByRule(_ args: BuiltinArguments) throws -> Value? {
        let rule = try args.string("rule")
        switch rule {
        case "backprop", "backpropagation": return nil
        case "perceptron": break
        default: throw args.error("rule", mustBe: "\"backprop\" (the default) or \"perceptron\"")
        }
        let network = try args.network("net")
        let data = try DataBuiltins.dataset(args, "data")
        // η: a number given as optimizer:, else the classic 1 (with zero initial weights every
        // η > 0 learns the same boundary, scaled).
        var eta = 1.0
        if args.isGiven("optimizer") {
            guard let lr = args["optimizer"].asNumber else {
                throw args.error("optimizer", mustBe: "a learning rate η (a number) for the perceptron rule")
            }
            eta = lr
        }
        let host = args.interpreter.host
        let history = try PerceptronRule.train(
            network, data, epochs: try args.wholeNumber("epochs", minimum: 1), learningRate: eta,
            shuffle: try args.bool("shuffle"), seed: try args.seed(),
            shouldStop: { host.interruptRequested })
        return .object(HistoryValue(history))
    }
}
