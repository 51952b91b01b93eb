import Foundation

/// Waiting for a key press in a way that cannot miss a Ctrl-C.
///
/// A plain "check the flag, then block in `select`/`read`" loop has a window: a SIGINT that
/// lands after the check but before the call is counted, yet the call still blocks until the
/// next key, and the prompt seems frozen. Here SIGINT stays blocked except inside `pselect`,
/// which unblocks it and starts waiting in one step, so a Ctrl-C is either seen by the flag
/// check or wakes the wait.
enum InputWait {
    enum Outcome: Equatable {
        case readable
        /// Ctrl-C was pressed; the flag has been consumed.
        case interrupted
        /// The descriptor cannot be waited on (closed, or not a descriptor).
        case failed
    }

    /// Blocks until `fd` has input or Ctrl-C is pressed.
    static func wait(for fd: Int32) -> Outcome {
        // Outside fd_set's range the set would stay empty and pselect would wait forever.
        guard fd >= 0, fd < FD_SETSIZE else { return .failed }
        var sigint = sigset_t()
        sigemptyset(&sigint)
        sigaddset(&sigint, SIGINT)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &sigint, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var whileWaiting = previous
        sigdelset(&whileWaiting, SIGINT)
        while true {
            if Interrupt.consume() { return .interrupted }
            var readable = fd_set()
            fdSet(fd, &readable)
            let ready = pselect(fd + 1, &readable, nil, nil, nil, &whileWaiting)
            if ready > 0 { return .readable }
            if ready < 0 && errno != EINTR { return .failed }
        }
    }
}

// fd_set helper: Glibc's FD_SET is a macro Swift cannot import.
func fdSet(_ fd: Int32, _ set: inout fd_set) {
    let bitsPerWord = MemoryLayout<Int>.size * 8
    withUnsafeMutableBytes(of: &set.__fds_bits) { raw in
        let words = raw.bindMemory(to: Int.self)
        words[Int(fd) / bitsPerWord] |= 1 << (Int(fd) % bitsPerWord)
    }
}
