import Foundation
import NNSLanguage

/// What `nns --serve` does with each request, over the same `InterpreterSession` and REPL
/// commands as the terminal: a cell runs as REPL entries, completion uses the REPL's
/// `Completer`, inspection the builtins' help and `:vars`' summaries.
final class ServeSession {
    let session: InterpreterSession
    let host: ServeHost
    let context: CommandContext

    init(session: InterpreterSession, host: ServeHost) {
        self.session = session
        self.host = host
        // Commands print through the terminal's console (captured); no bar, no key presses.
        context = CommandContext(session: session, host: TerminalHost(showsProgress: false), interactive: false)
    }

    // MARK: execute

    /// Runs a cell; returns the reply's fields. As in IPython, only the cell's last value is
    /// its result (as the REPL echoes it); an earlier one is shown only when it has a rich
    /// form (a plot in the middle of a cell), since every assignment echoes in the REPL.
    func execute(_ cell: String) -> [String: Any] {
        Interrupt.clear()
        defer { Interrupt.clear() }
        var pending: Value?
        func flush() {
            if let value = pending, let data = richBundle(value) { host.send("display", ["data": data]) }
            pending = nil
        }
        for segment in CellSegment.split(cell) {
            flush()
            do {
                if segment.isCommand {
                    try runCommand(segment.text)
                } else {
                    // Leading newlines keep the cell's line numbers in error messages.
                    let source = String(repeating: "\n", count: segment.firstLine) + segment.text
                    let result = try session.interpreter.run(source: source, name: "<cell>")
                    for value in result.echoes {
                        flush()
                        pending = value
                    }
                }
            } catch let error as CommandError {
                return errorReply(error.description, name: "CommandError")
            } catch {
                return errorReply(session.describe(error, in: segment.text), name: "Error")
            }
        }
        guard let value = pending else { return ["status": "ok"] }
        if let data = richBundle(value) {
            host.send("display", ["data": data])
            return ["status": "ok"]
        }
        return ["status": "ok", "result": ["text/plain": value.displayText]]
    }

    /// The MIME bundle of a value that has rich forms (SVG, HTML) beside its printed text;
    /// nil for one that is only text. (Rich forms are drawn when asked for: asked once.)
    func richBundle(_ value: Value) -> [String: String]? {
        guard case .object(let object) = value else { return nil }
        let forms = object.richForms
        return forms.isEmpty ? nil : forms.merging(["text/plain": value.displayText]) { $1 }
    }

    func errorReply(_ message: String, name: String) -> [String: Any] {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var value = lines.first ?? message
        if let range = value.range(of: "error: ") { value = String(value[range.upperBound...]) }
        return ["status": "error", "ename": name, "evalue": value, "traceback": lines]
    }

    private func runCommand(_ text: String) throws {
        guard let invocation = CommandInvocation(text) else { return }
        guard let command = CommandRegistry.command(named: invocation.name) else {
            throw CommandError("unknown command ':\(invocation.name)'; :help lists the commands")
        }
        if invocation.name == "step", showExplainPage(invocation) { return }
        if invocation.name == "quit" {
            context.print("(:quit does nothing in a notebook: restart or shut down the kernel instead)")
            return
        }
        _ = try command.run(invocation, context)
    }

    /// `:step` as the §14 page when the `explain` builtin exists: the same pass, shown inline.
    /// False (the terminal's pages are shown instead) when there is no `explain`, it fails, or
    /// its value has no rich form.
    private func showExplainPage(_ invocation: CommandInvocation) -> Bool {
        guard Builtins.all["explain"] != nil, let direction = invocation.positional.first else { return false }
        let rest = Array(invocation.positional.dropFirst())
        var arguments: [String]
        switch direction {
        case "forward", "f":
            guard rest.count >= 2 else { return false }
            arguments = Array(rest.prefix(2))
        case "backward", "b":
            guard rest.count >= 3 else { return false }
            arguments = Array(rest.prefix(3))
            if rest.count >= 4 { arguments.append("loss: " + rest[3]) }
        default: return false
        }
        if !invocation.options.isEmpty { arguments.append(invocation.optionSource) }
        // Any problem (a bad argument, an `explain` that needs a file) falls back to the
        // terminal's pages, whose command reports a bad argument the usual way.
        guard let value = try? session.value("explain(" + arguments.joined(separator: ", ") + ")"),
              let data = richBundle(value) else { return false }
        host.send("display", ["data": data])
        return true
    }

    // MARK: is_complete

    func isComplete(_ cell: String) -> [String: Any] {
        CellSegment.isIncomplete(cell) ? ["status": "ok", "completeness": "incomplete", "indent": "    "]
            : ["status": "ok", "completeness": "complete"]
    }
}
