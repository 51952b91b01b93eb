#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for reading with POSIX calls, so each failure carries the system's reason
/// and reads are exactly as large as asked for (the caller validated the size first).
/// Only regular files are read: a FIFO, device, socket or directory is refused at open
/// (a FIFO is opened non-blocking so that refusing it never waits for a writer).
public final class FileReader {
    public let path: String
    private var descriptor: Int32

    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if descriptor < 0 {
            let code = errno
            throw EngineError("cannot open \(path): \(systemErrorMessage(code))",
                              hint: code == ENOENT ? "check the file name and the current directory" : nil)
        }
        var info = stat()
        if fstat(descriptor, &info) != 0 {
            let code = errno
            close()
            throw EngineError("cannot read \(path): \(systemErrorMessage(code))")
        }
        if let kind = FileKind.nonRegular(info.st_mode) {
            close()
            throw EngineError("cannot read \(path): it is \(kind), not a regular file", hint: "name a file")
        }
        // Back to blocking reads for the regular file.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    }

    /// The whole regular file at `path` as bytes.
    public static func contents(of path: String) throws -> [UInt8] {
        let file = try FileReader(path: path)
        defer { file.close() }
        return try file.read(count: try file.size())
    }

    deinit { close() }

    public func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// The file's size in bytes.
    public func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw EngineError("cannot read \(path): \(systemErrorMessage())") }
        return Int(info.st_size)
    }

    /// Exactly `count` bytes from the current position.
    public func read(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + done, min(count - done, 1 << 30))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw EngineError("cannot read \(path): \(systemErrorMessage())")
            }
            if n == 0 {
                throw EngineError("cannot read \(path): the file ended after \(done) of \(count) expected bytes",
                                  hint: "the file may have been changed while it was read")
            }
            done += n
        }
        return bytes
    }
}

/// The current `errno` as the system's sentence ("No space left on device").
func systemErrorMessage(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

/// Names for the kinds of file that are not regular files, for error messages.
enum FileKind {
    /// "a directory", "a character device"...; nil for a regular file.
    static func nonRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }
}
