import Foundation
import NNEngine

/// Facts about the process's terminal: whether a stream is one, and how wide it is.
public enum TerminalInfo {
    /// True when standard input is a terminal (the REPL then uses readline and prompts).
    public static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    /// True when standard output is a terminal (progress bars and redraws are allowed).
    public static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Columns of the terminal on standard output; `$COLUMNS` or 80 when unknown.
    public static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n > 0 { return n }
        return 80
    }
}

/// Writes text to standard output or standard error without buffering surprises between
/// the two (errors and progress redraws interleave with echoed values). Every write is
/// checked: a full disk or closed stream ends the process with a message and status 1.
public enum Console {
    /// When set, everything goes here instead of the standard streams: the fuzzer runs REPL
    /// commands by the thousand and keeps their output out of its log.
    nonisolated(unsafe) public static var capture: ((String) -> Void)?

    public static func out(_ text: String) {
        if let capture { capture(text) } else { StandardStreams.out(text) }
    }
    public static func err(_ text: String) {
        if let capture { capture(text) } else { StandardStreams.err(text) }
    }
}
