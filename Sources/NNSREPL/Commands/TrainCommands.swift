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
            if let rate = learningRate(in: invocation) { context.learningRate = rate }
            Interrupt.clear()
            defer { context.host.finishTraining() }
            try context.runAndEcho("_ = " + call)
            return .proceed
        })

    /// A learning rate readable from the options: `optimizer: 0.1`, `lr: 0.1`, or
    /// `optimizer: sgd(lr: 0.1)`. Schedules and names are left alone (nil).
    static func learningRate(in invocation: CommandInvocation) -> Double? {
        if let text = invocation.option("lr"), let rate = Double(text) { return rate }
        guard let optimizer = invocation.option("optimizer") else { return nil }
        if let rate = Double(optimizer) { return rate }
        guard let range = optimizer.range(of: "lr:") else {
            return optimizer.hasPrefix("adam") ? 0.001 : nil
        }
        let tail = optimizer[range.upperBound...].drop(while: \.isWhitespace)
        return Double(tail.prefix(while: { $0.isNumber || "._eE+-".contains($0) }).replacingOccurrences(of: "_", with: ""))
    }

    static let plot = REPLCommand(
        name: "plot", usage: ":plot HISTORY", summary: "loss and accuracy curves in the terminal",
        help: "Draws plot(HISTORY): the loss (and accuracy) per epoch as a terminal chart.",
        run: { invocation, context in
            let args = try invocation.arguments(1, usage: ":plot HISTORY")
            try context.runAndEcho("plot(\(args.joined(separator: ", ")))")
            return .proceed
        })
}
