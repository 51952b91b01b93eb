#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checked writes to standard output and standard error, shared by every host.
///
/// Output that cannot be delivered must not be lost silently nor crash the process (docs/robustness.md):
/// a failed write to standard output (a full disk, a closed descriptor) prints
/// "nns: cannot write to standard output: REASON" on standard error and ends the process
/// with status 1; a failed write to standard error ends it with status 1 quietly, since there
/// is nowhere left to say why. A reader that went away (`nns script | head -1`) ends the
/// process quietly with status 0, as well-mannered command-line tools do, instead of the
/// default SIGPIPE death.
public enum StandardStreams {
    /// Call once at start-up, before any file is opened: ignores SIGPIPE (a closed pipe then
    /// shows as EPIPE on the write) and occupies closed standard descriptors with /dev/null so
    /// a file opened later can never land on descriptor 1 and receive printed text. Writes to
    /// a stream that was closed at start-up still fail, with "Bad file descriptor".
    public static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for fd in Int32(0)...2 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            closedAtStart.insert(fd)
            let placeholder = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if placeholder >= 0 && placeholder != fd {
                _ = dup2(placeholder, fd)
                _ = close(placeholder)
            }
        }
    }

    /// Descriptors that were closed when the process started (`nns >&-`).
    nonisolated(unsafe) private static var closedAtStart: Set<Int32> = []

    /// Writes `text` to standard output; ends the process as described above on failure.
    public static func out(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Writes `text` to standard error; ends the process with status 1 on failure.
    public static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes all of `text` to `fd`, retrying short writes and EINTR.
    public static func write(_ text: String, to fd: Int32) {
        var text = text
        if let code = text.withUTF8({ writeAll($0, to: fd) }) { fail(fd, code) }
    }

    /// Writes all bytes; returns nil on success or the errno of the failure.
    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Int32? {
        if closedAtStart.contains(fd) { return bytes.isEmpty ? nil : EBADF }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return ENOSPC }
            done += n
        }
        return nil
    }

    /// The process's end after a failed write to `fd`.
    private static func fail(_ fd: Int32, _ code: Int32) -> Never {
        if code == EPIPE { exit(0) }
        if fd != STDERR_FILENO {
            let message = "nns: cannot write to standard output: \(systemErrorMessage(code))\n"
            var text = message
            _ = text.withUTF8 { writeAll($0, to: STDERR_FILENO) }
        }
        exit(1)
    }
}
