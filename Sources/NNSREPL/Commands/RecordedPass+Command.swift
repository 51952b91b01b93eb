import NNEngine
import NNSLanguage

/// The forward pass, the loss and the backward pass for NET X Y [loss] — shared by `:grad`
/// and `:step backward`. `options` are the options the command reads itself (`:grad`'s `lr:`).
extension RecordedPass {
    init(invocation: CommandInvocation, arguments args: [String], context: CommandContext,
         options: Set<String> = [], usage: String) throws {
        try invocation.onlyOptions(options.union(["loss"]), usage: usage)
        let network = try context.network(args[0])
        let x = try context.tensor(args[1])
        let y = try context.tensor(args[2])
        let lossExpression = args.count > 3 ? args[3] : invocation.option("loss") ?? "mse"
        let loss = try context.evaluate(lossExpression, context.session.loss)
        self = try context.evaluate("\(args[0]), \(args[1]), \(args[2])") { _ in
            try RecordedPass.backward(network, input: x, target: y, loss: loss)
        }
    }
}
