import Foundation

/// What the user chose at a step-through pause.
public enum StepKey: Equatable {
    case next        // Enter (or space, n)
    case continueAll // c: show the remaining steps without pausing
    case quit        // q, Escape, Ctrl-C, Ctrl-D
}

/// Reads single key presses with the terminal in non-canonical, no-echo mode, restoring the
/// settings afterwards.
public enum KeyReader {
    public static func readStepKey() -> StepKey {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return .continueAll }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        // Keep unread input on Ctrl-C, so a key the wait saw is still there to read (see
        // TypeAheadOnInterrupt); it is thrown away below instead.
        raw.c_lflag |= tcflag_t(NOFLSH)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        while true {
            guard InputWait.wait(for: STDIN_FILENO) == .readable else {
                tcflush(STDIN_FILENO, TCIFLUSH)
                return .quit
            }
            var byte: UInt8 = 0
            let n = read(STDIN_FILENO, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return .quit }
            switch byte {
            case 10, 13, 32, UInt8(ascii: "n"): return .next
            case UInt8(ascii: "c"), UInt8(ascii: "C"): return .continueAll
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), 27, 4, 3: return .quit
            default: continue
            }
        }
    }
}
