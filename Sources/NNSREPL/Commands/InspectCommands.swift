import NNEngine
import NNSLanguage

/// `:summary`, `:grad`, `:stats`: looking at a network's shape, gradients and activations.
enum InspectCommands {
    static let all: [REPLCommand] = [summary, grad, stats]

    static let summary = REPLCommand(
        name: "summary", usage: ":summary NET", summary: "layers, output shapes and parameter counts",
        help: "Shows summary(NET): index, layer, output shape, parameter count and the total.",
        run: { invocation, context in
            let args = try invocation.arguments(1, usage: ":summary NET")
            try context.runAndEcho("summary(\(args[0]))")
            return .proceed
        })

    static let grad = REPLCommand(
        name: "grad", usage: ":grad NET X Y [loss]", summary: "per parameter: shape, ‖g‖, mean, max |g|",
        help: """
        Runs one forward and backward pass of NET on X against Y (loss mse unless given, e.g.
        :grad net x y cross_entropy) and shows each parameter's gradient: shape, ‖g‖, mean and
        max |g|. With lr: RATE, or after a :train whose learning rate is known, also the relative
        update ‖lr·g‖/‖W‖ (about 1e-3 is healthy). Gradients below 1e-7 are flagged vanishing,
        above 1e3 exploding. The weights are not changed; the gradients are left in
        net[i].weight.grad. A conv2d weight also gets a row per output channel (the first 16):
        a filter whose gradient vanishes is a dead one.
        """,
        run: { invocation, context in
            let args = try invocation.arguments(3, upTo: 4, options: true, usage: ":grad NET X Y [loss]")
            let pass = try RecordedPass(invocation: invocation, arguments: args, context: context,
                                        options: ["lr"], usage: ":grad NET X Y [loss] [lr: RATE]")
            var lr = context.host.lastLearningRate
            if let text = invocation.option("lr") {
                let value = try context.tensor(text).scalarValue
                guard let value else { throw CommandError("lr: must be a number, got \(text)") }
                lr = value
            }
            if let trace = pass.backward, let loss = trace.lossFunction, let value = trace.loss {
                context.print("loss \(loss.rawValue): C = \(NumberFormat.significant(value, digits: 4))")
            }
            context.print(GradientReport.render(GradientReport.rows(pass.network, learningRate: lr), learningRate: lr))
            return .proceed
        })

    static let stats = REPLCommand(
        name: "stats", usage: ":stats NET X", summary: "per layer: activation mean, std, dead and saturated share",
        help: """
        Runs NET on the batch X and shows, per layer, the mean and standard deviation of its
        output, the share of dead units after relu (zero for every sample in X) and of saturated
        values after sigmoid or tanh (within 1% of a bound). A layer that gives images (conv2d,
        pooling, batchnorm2d and the activations after them) also gets one row per output
        channel (the first 16), its dead share counting the channel's positions that are zero
        for every sample.
        """,
        run: { invocation, context in
            let args = try invocation.arguments(2, usage: ":stats NET X")
            let network = try context.network(args[0])
            let x = try context.tensor(args[1])
            let pass = try context.evaluate(args[1]) { _ in try RecordedPass.forward(network, input: x) }
            context.print(ActivationStats.render(ActivationStats.rows(pass.forward)))
            return .proceed
        })
}
