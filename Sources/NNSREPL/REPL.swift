import Foundation

/// The interactive shell over the language: reads entries (continuing while brackets are open
/// or a line ends with `|>`), runs `:commands`, evaluates everything else in the session and
/// echoes values. An error is reported and the session goes on with every binding intact.
public final class REPL {
    public static let prompt = "nns> "
    public static let continuationPrompt = "...> "
    static let keywords = ["fn", "if", "else", "for", "in", "while", "return", "import", "true", "false",
                           "none", "and", "or", "not", "break", "continue"]

    let session: LanguageSession
    let reader: LineReader
    let context: CommandContext
    /// Entries that failed; a piped session exits with status 1 when any did.
    public private(set) var errorCount = 0

    public init(session: LanguageSession, reader: LineReader, host: TerminalHost, interactive: Bool) {
        self.session = session
        self.reader = reader
        self.context = CommandContext(session: session, host: host, interactive: interactive)
    }

    /// The completer for this session: commands, names in scope, builtins, keywords, paths.
    public static func completer(for session: LanguageSession) -> Completer {
        Completer(commands: CommandRegistry.names) {
            session.visibleNames() + REPL.keywords
        }
    }

    /// Reads and runs entries until `:quit` or end of input.
    public func run() {
        var pending: [String] = []
        loop: while true {
            let input = reader.readLine(prompt: pending.isEmpty ? REPL.prompt : REPL.continuationPrompt)
            switch input {
            case .interrupted:
                pending = []
                continue
            case .endOfInput:
                // A piped session's unfinished last entry is run, so its error is reported;
                // at the keyboard Ctrl-D on a continuation line just leaves.
                if !pending.isEmpty && !context.interactive { _ = execute(pending.joined(separator: "\n")) }
                break loop
            case .line(let line):
                reader.remember(line)
                if pending.isEmpty && line.allSatisfy(\.isWhitespace) { continue }
                pending.append(line)
                let entry = pending.joined(separator: "\n")
                let incomplete = CommandInvocation(entry) != nil ? CommandInvocation.isIncomplete(entry)
                    : session.isIncomplete(entry)
                if incomplete { continue }
                pending = []
                if execute(entry) == .quit { break loop }
            }
        }
        reader.close()
    }

    /// Runs one entry: a command or nns code. Errors are printed, never thrown.
    @discardableResult
    public func execute(_ entry: String) -> CommandOutcome {
        Interrupt.clear()
        do {
            if let invocation = CommandInvocation(entry) {
                guard let command = CommandRegistry.command(named: invocation.name) else {
                    let near = CommandRegistry.names.filter { $0.hasPrefix(":" + invocation.name.prefix(2)) }
                    throw CommandError("unknown command ':\(invocation.name)'"
                        + (near.isEmpty ? "; :help lists the commands" : "; did you mean \(near.joined(separator: ", "))?"))
                }
                return try command.run(invocation, context)
            }
            if let text = try session.run(entry, echo: true), !text.isEmpty {
                context.print(text)
            }
        } catch let error as CommandError {
            report(error.description)
        } catch {
            report(session.describe(error, in: entry))
        }
        return .proceed
    }

    private func report(_ message: String) {
        errorCount += 1
        Console.err(message.hasSuffix("\n") ? message : message + "\n")
    }
}

/// Starts the REPL on standard input: readline with history and completion on a terminal,
/// plain lines otherwise (no prompts, no escape codes). Returns the exit status: 0, or 1
/// when input was piped and an entry failed.
public func runREPL(session: LanguageSession, host: TerminalHost, banner: String? = nil) -> Int32 {
    let interactive = TerminalInfo.inputIsTerminal
    // On a pipe Ctrl-C keeps its default meaning (end the process); at a terminal it cancels
    // the line or stops training.
    if interactive { Interrupt.installHandler() }
    let reader: LineReader
    if interactive {
        let completer = REPL.completer(for: session)
        reader = ReadlineEditor(history: HistoryFile.defaultPath.map { HistoryFile(path: $0) }) {
            completer.complete(lineBeforeCursor: $0, word: $1)
        }
        if let banner { Console.out(banner + "\n") }
    } else {
        reader = PlainLineReader()
    }
    let repl = REPL(session: session, reader: reader, host: host, interactive: interactive)
    repl.run()
    return !interactive && repl.errorCount > 0 ? 1 : 0
}
