import CReadline
import Foundation

/// What reading one line of input produced.
public enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C while typing: the line is dropped and a fresh prompt follows.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// A source of input lines for the REPL.
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` where the reader shows prompts.
    func readLine(prompt: String) -> LineInput
    /// Records a finished entry line for recall.
    func remember(_ line: String)
    /// Saves what must outlive the session (history).
    func close()
}

/// Lines from a pipe or file: no prompts, no escape codes, so sessions can be scripted
/// (`printf 'x = 2\nx * 3\n' | nns`).
public final class PlainLineReader: LineReader {
    public init() {}
    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }
    public func remember(_ line: String) {}
    public func close() {}
}

/// Interactive lines through GNU readline: editing, history (`~/.nns_history`) and Tab
/// completion.
///
/// Readline runs through its callback interface (`rl_callback_read_char`) driven by our own
/// wait loop (`InputWait`), with readline's own signal handlers off (`rl_catch_signals = 0`).
/// Ctrl-C then reaches our SIGINT handler, which only sets the `Interrupt` flag; the wait
/// returns, and the loop here cancels the line with readline's clean-up calls and returns
/// `.interrupted`. This is how Python's readline module does it, and it keeps all
/// non-trivial work out of the signal handler.
public final class ReadlineEditor: LineReader {
    private let history: HistoryFile?

    /// - Parameters:
    ///   - history: where entries are loaded from and appended to (nil: no history file).
    ///   - completer: called with (text before the cursor, the word being completed);
    ///     returns candidates for that word.
    public init(history: HistoryFile?, completer: @escaping (String, String) -> CompletionResult) {
        self.history = history
        rl_readline_name = UnsafePointer(ReadlineState.persistent("nns"))
        rl_catch_signals = 0
        rl_catch_sigwinch = 1
        rl_change_environment = 0
        ReadlineState.completer = completer
        ReadlineCompletion.install()
        history?.load()
    }

    public func readLine(prompt: String) -> LineInput {
        ReadlineState.finished = false
        ReadlineState.line = nil
        _ = Interrupt.consume()
        let typeAhead = TypeAheadOnInterrupt.keep()
        defer { typeAhead.restore() }
        rl_callback_handler_install(prompt, { line in
            ReadlineState.finished = true
            if let line {
                ReadlineState.line = String(cString: line)
                free(line)
            } else {
                ReadlineState.line = nil
            }
            // Remove the handler from inside, so readline stops echoing before we print.
            rl_callback_handler_remove()
        })
        while !ReadlineState.finished {
            switch InputWait.wait(for: STDIN_FILENO) {
            case .readable:
                rl_callback_read_char()
            case .interrupted:
                cancelLine()
                typeAhead.discard()
                return .interrupted
            case .failed:
                rl_callback_handler_remove()
                return .endOfInput
            }
        }
        guard let line = ReadlineState.line else {
            Console.out("\n")
            return .endOfInput
        }
        return .line(line)
    }

    /// Drops the partly typed line and leaves the cursor on a fresh line, readline's state
    /// reset for the next prompt.
    private func cancelLine() {
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
        Console.out("^C\n")
    }

    public func remember(_ line: String) {
        history?.add(line)
    }

    public func close() {
        history?.save()
    }
}

/// Readline's C callbacks cannot capture context, so what they need lives here.
enum ReadlineState {
    nonisolated(unsafe) static var finished = false
    nonisolated(unsafe) static var line: String?
    nonisolated(unsafe) static var completer: ((String, String) -> CompletionResult)?

    /// A C string that lives as long as the process (readline keeps the pointers).
    static func persistent(_ text: String) -> UnsafeMutablePointer<CChar> { strdup(text)! }
}
