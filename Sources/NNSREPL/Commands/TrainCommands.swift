import Foundation
import NNEngine
import NNSLanguage

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
            let args = try invocation.arguments(2, options: true, usage: ":train NET DATA [k: v ...]")
            var call = "train(\(args[0]), \(args[1])"
            if !invocation.options.isEmpty { call += ", " + invocation.optionSource }
            call += ")"
            Interrupt.clear()
            do {
                defer { context.host.finishTraining() }
                _ = try context.evaluate("_ = " + call) { try context.session.run($0, echo: false) }
            }
            guard let history = try context.session.history("_") else { return .proceed }
            context.print(summary(of: history))
            return .proceed
        })

    /// A short history: the table when it has a few epochs, else the first and last epochs
    /// and where the whole table is.
    static func summary(of history: History) -> String {
        var lines: [String] = []
        if history.count <= shortHistory {
            lines.append(history.description)
        } else if let first = history.rows.first, let last = history.rows.last {
            func describe(_ row: History.Row) -> String {
                var text = "epoch \(row.epoch): loss \(NumberFormat.significant(row.loss, digits: 4))"
                if let acc = row.accuracy { text += ", accuracy " + String(format: "%.1f%%", acc * 100) }
                if let v = row.validationLoss { text += ", val_loss \(NumberFormat.significant(v, digits: 4))" }
                return text
            }
            lines.append("\(history.count) epochs  " + describe(first) + "  →  " + describe(last))
            if history.interrupted { lines.append("(interrupted: the last epoch is partial)") }
        }
        lines.append("history bound to _  (:plot _ draws it, _.loss is the loss column)")
        return lines.joined(separator: "\n")
    }

    /// Histories up to this many epochs are echoed as a whole table.
    static let shortHistory = 12

    static let plot = REPLCommand(
        name: "plot", usage: ":plot HISTORY", summary: "loss and accuracy curves in the terminal",
        help: "Draws plot(HISTORY): the loss (and accuracy) per epoch as a terminal chart.",
        run: { invocation, context in
            let args = try invocation.arguments(1, upTo: 2, usage: ":plot HISTORY [FILE]")
            try context.runAndEcho("plot(\(args.joined(separator: ", ")))")
            return .proceed
        })
}
