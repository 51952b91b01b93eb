/// `:help`, `:vars`, `:reset`, `:quit`: the commands about the session itself.
enum SessionCommands {
    static let all: [REPLCommand] = [help, vars, reset, quit]

    static let help = REPLCommand(
        name: "help", usage: ":help [topic]", summary: "list commands and builtins, or explain one",
        help: """
        :help            lists every command and the builtins.
        :help NAME       explains a command (:help train, :help :step) or a builtin (:help linear).
        """,
        run: { invocation, context in
            let words = try invocation.words()
            guard words.count <= 1 else {
                throw CommandError("usage: :help [topic]\nunexpected '\(words[1...].joined(separator: " "))'")
            }
            guard let topic = words.first else {
                context.print(overview(context))
                return .proceed
            }
            let name = topic.hasPrefix(":") ? String(topic.dropFirst()) : topic
            var sections: [String] = []
            if let command = CommandRegistry.command(named: name) {
                sections.append(command.usage + "\n" + indent(command.help))
            }
            if !topic.hasPrefix(":"), let text = context.session.help(forBuiltin: name) {
                sections.append(name + " (builtin)\n" + indent(text))
            }
            guard !sections.isEmpty else {
                let pool = CommandRegistry.all.map(\.name) + context.session.builtinNames
                let near = pool.filter { $0.hasPrefix(String(name.prefix(2))) }.sorted().prefix(6)
                throw CommandError("no help for '\(topic)'" + (near.isEmpty ? "; :help lists every topic"
                    : "; did you mean \(near.joined(separator: ", "))?"))
            }
            context.print(sections.joined(separator: "\n\n"))
            return .proceed
        }, takesWords: true)

    static func overview(_ context: CommandContext) -> String {
        let width = CommandRegistry.all.map(\.usage.count).max() ?? 0
        var lines = ["Commands (:help NAME for details):"]
        for command in CommandRegistry.all {
            lines.append("  " + command.usage.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + command.summary)
        }
        lines.append("")
        lines.append("Builtins (:help NAME):")
        lines.append(wrap(context.session.builtinNames.sorted(), width: 76, indent: "  "))
        lines.append("")
        lines.append("Enter nns code to evaluate it; a trailing ; silences the echo. Ctrl-C cancels, Ctrl-D quits.")
        return lines.joined(separator: "\n")
    }

    static let vars = REPLCommand(
        name: "vars", usage: ":vars", summary: "the bindings with their kinds and shapes",
        help: "Lists every name bound in this session, in the order bound, with the kind of its value and its shape, size or a preview.",
        run: { invocation, context in
            _ = try invocation.arguments(0, usage: ":vars")
            let bindings = context.session.bindings()
            guard !bindings.isEmpty else {
                context.print("no bindings yet")
                return .proceed
            }
            var table = TextTable(header: ["name", "kind", "value"])
            for b in bindings { table.add([b.name, b.kind, b.detail]) }
            context.print(table.render())
            return .proceed
        })

    static let reset = REPLCommand(
        name: "reset", usage: ":reset", summary: "forget every binding",
        help: "Clears all bindings of the session; builtins stay.",
        run: { invocation, context in
            _ = try invocation.arguments(0, usage: ":reset")
            context.session.reset()
            context.print("bindings cleared")
            return .proceed
        })

    static let quit = REPLCommand(
        name: "quit", usage: ":quit", summary: "leave the REPL (also Ctrl-D)",
        help: "Ends the session; the history is kept in ~/.nns_history.",
        run: { invocation, _ in
            _ = try invocation.arguments(0, usage: ":quit")
            return .quit
        })

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    static func wrap(_ words: [String], width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in words {
            if line.count + word.count + 1 > width, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        if line != indent { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
