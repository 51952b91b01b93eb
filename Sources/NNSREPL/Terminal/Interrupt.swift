import Foundation
import Synchronization

/// Ctrl-C as a flag the REPL and the training loop poll.
///
/// The SIGINT handler (installed with `sigaction`) does only async-signal-safe work: it bumps an
/// atomic counter. Whoever is running looks at the flag at a safe point — the line editor
/// cancels the line, training stops after its current step — and clears it. A third Ctrl-C
/// that nobody has consumed means the program is stuck in work that never polls the flag, so
/// the handler exits the process (`_exit` is async-signal-safe) rather than leave the user
/// without a way out.
public enum Interrupt {
    private static let pending = Atomic<Int>(0)

    /// True when Ctrl-C was pressed and not yet consumed.
    public static var isRequested: Bool { pending.load(ordering: .relaxed) > 0 }

    /// Returns whether Ctrl-C was pressed, and clears it.
    public static func consume() -> Bool { pending.exchange(0, ordering: .relaxed) > 0 }

    /// Forgets any pending Ctrl-C.
    public static func clear() { pending.store(0, ordering: .relaxed) }

    /// Marks an interrupt as if Ctrl-C had been pressed (tests, and callers that cancel).
    public static func request() { pending.add(1, ordering: .relaxed) }

    /// Installs the SIGINT handler and returns the one it replaced. Without `SA_RESTART`, so a
    /// blocking `select`/`read` returns `EINTR` and the line editor notices at once.
    @discardableResult
    public static func installHandler() -> sigaction {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let count = Interrupt.pending.add(1, ordering: .relaxed).newValue
            if count >= 3 { _exit(130) }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        sigaction(SIGINT, &action, &previous)
        return previous
    }

    /// Puts back a handler `installHandler` replaced.
    public static func restoreHandler(_ previous: sigaction) {
        var previous = previous
        sigaction(SIGINT, &previous, nil)
    }
}
