import Foundation

/// Ctrl-C normally makes the terminal driver throw away input not yet read. If that happens
/// while readline is inside `rl_callback_read_char`, between learning a key is waiting and
/// reading it, readline waits for a key that is gone and the prompt freezes. So while a line
/// is being read the terminal keeps type-ahead on Ctrl-C (`NOFLSH`), and the editor throws it
/// away itself once readline is out of the way.
struct TypeAheadOnInterrupt {
    private let saved: termios?

    /// Sets `NOFLSH` on standard input, when it is a terminal.
    static func keep() -> TypeAheadOnInterrupt {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return TypeAheadOnInterrupt(saved: nil) }
        var keeping = settings
        keeping.c_lflag |= tcflag_t(NOFLSH)
        tcsetattr(STDIN_FILENO, TCSANOW, &keeping)
        return TypeAheadOnInterrupt(saved: settings)
    }

    /// Throws away what was typed and not yet read, as the terminal would have on Ctrl-C.
    func discard() {
        if saved != nil { tcflush(STDIN_FILENO, TCIFLUSH) }
    }

    /// Puts the terminal settings back as they were before `keep`.
    func restore() {
        guard var settings = saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }
}
