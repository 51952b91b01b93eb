import Foundation

/// `:train` and `:plot`: training with a progress bar, and its curves.
enum TrainCommands {
    static let all: [REPLCommand] = [train, plot]

    static let train = REPLCommand(
        name: "train", usage: ":train NET DATA [k: v ...]", summary: "train with a progress bar; Ctrl-C stops",
        help: """
        Trains NET on DATA with the options of train(): loss:, optimizer:, epochs:, batch:,
        shuffle:, seed:, validation:, l1:, l2:, clip:, early_stop:. For example
            :train net data epochs: 5 batch: 32 optimizer: adam(lr: 0.001)
        A progress bar shows epoch, batch, loss, accuracy, samples/s and ETA. Ctrl-C stops
        after the current step, keeping the weights and the history so far. The history is
        bound to _ (:plot _ draws it).
        """,
        run: { invocation, context in
            let args = try invocation.arguments(2, usage: ":train NET DATA [k: v ...]")
            var call = "train(\(args[0]), \(args[1])"
            if !invocation.options.isEmpty { call += ", " + invocation.optionSource }
            call += ")"
            Interrupt.clear()
            defer { context.host.finishTraining() }
            try context.runAndEcho("_ = " + call)
            return .proceed
        })

    static let plot = REPLCommand(
        name: "plot", usage: ":plot HISTORY", summary: "loss and accuracy curves in the terminal",
        help: "Draws plot(HISTORY): the loss (and accuracy) per epoch as a terminal chart.",
        run: { invocation, context in
            let args = try invocation.arguments(1, usage: ":plot HISTORY")
            try context.runAndEcho("plot(\(args.joined(separator: ", ")))")
            return .proceed
        })
}
