import NNEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the language needs from its surroundings and cannot do itself: where printed
/// text goes, how training progress is shown, whether the user asked to stop (Ctrl-C).
/// The language knows nothing of terminals; the REPL supplies a terminal host, scripts and
/// tests use `StandardOutputHost` or `CapturingHost`.
public protocol InterpreterHost: AnyObject {
    /// Text the program prints (`print`, `summary`...), newline included.
    func write(_ text: String)
    /// Called during `train` after each step with where training stands (epoch, batch, loss,
    /// accuracy, samples/s, elapsed time); a host on a terminal draws a progress bar, others
    /// ignore it.
    func trainingProgress(_ progress: TrainingProgress)
    /// Called once when a `train` call ends (normally, by interrupt or by error), so a
    /// progress bar can finish its line.
    func trainingFinished()
    /// True once the user asked to stop (Ctrl-C). Loops and training check it; the host
    /// clears it when it starts the next evaluation.
    var interruptRequested: Bool { get }
    /// False to forbid the program every file access (see Sandbox.swift); true by default.
    var allowsFileAccess: Bool { get }
}

public extension InterpreterHost {
    func trainingProgress(_ progress: TrainingProgress) {}
    func trainingFinished() {}
}

/// A host that writes to standard output and never shows progress: scripts on a pipe.
public final class StandardOutputHost: InterpreterHost {
    /// Set from a signal handler or another thread to stop the running program.
    public var interruptRequested: Bool = false

    public init() {}

    /// Checked: a failed write ends the process with status 1 and a message (StandardStreams).
    public func write(_ text: String) { StandardStreams.out(text) }
}

/// A host that keeps what is printed, for tests and for `json`-style capture.
public final class CapturingHost: InterpreterHost {
    public private(set) var output = ""
    public var interruptRequested = false
    public private(set) var progressReports: [TrainingProgress] = []

    public init() {}

    public func write(_ text: String) { output += text }
    public func trainingProgress(_ progress: TrainingProgress) { progressReports.append(progress) }
}
