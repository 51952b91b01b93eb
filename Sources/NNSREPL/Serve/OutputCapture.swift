import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Catches everything the process writes to standard output and standard error (Swift's
/// `print`, `FileHandle` writes, C code) by pointing file descriptors 1 and 2 at pipes, and
/// hands it on as `stream` text. A background thread keeps the pipes from filling up while a
/// long computation prints; `drain()` collects what is pending so that text and the events
/// sent after it arrive in the order they happened.
final class OutputCapture {
    private struct Channel {
        var name: String
        var readEnd: Int32
        var pending: [UInt8] = []
    }
    private var channels: [Channel] = []
    private let lock = NSLock()
    private let deliver: (_ name: String, _ text: String) -> Void

    init(deliver: @escaping (_ name: String, _ text: String) -> Void) {
        self.deliver = deliver
    }

    /// Redirects descriptors 1 and 2; false when a pipe cannot be made (output then stays
    /// where it was).
    func start() -> Bool {
        for (descriptor, name) in [(STDOUT_FILENO, "stdout"), (STDERR_FILENO, "stderr")] {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { return false }
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            dup2(ends[1], descriptor)
            close(ends[1])
            channels.append(Channel(name: name, readEnd: ends[0]))
        }
        let thread = Thread { [weak self] in self?.watch() }
        thread.name = "nns-serve-output"
        thread.start()
        return true
    }

    /// Sends on whatever was written so far.
    func drain() {
        lock.lock()
        defer { lock.unlock() }
        fflush(stdout)
        fflush(stderr)
        var buffer = [UInt8](repeating: 0, count: 65536)
        for index in channels.indices {
            while true {
                let n = buffer.withUnsafeMutableBytes { read(channels[index].readEnd, $0.baseAddress, $0.count) }
                if n > 0 {
                    channels[index].pending += buffer[..<n]
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            let (complete, rest) = ServeProtocol.splitCompleteUTF8(channels[index].pending)
            channels[index].pending = rest
            if !complete.isEmpty { deliver(channels[index].name, String(decoding: complete, as: UTF8.self)) }
        }
    }

    /// Waits for output and drains it, for the life of the process.
    private func watch() {
        var descriptors = channels.map { pollfd(fd: $0.readEnd, events: Int16(POLLIN), revents: 0) }
        while true {
            let ready = poll(&descriptors, nfds_t(descriptors.count), 200)
            if ready > 0 {
                drain()
                // Let a burst of small writes gather into one event.
                usleep(20_000)
            }
        }
    }
}
