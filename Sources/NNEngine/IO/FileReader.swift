#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for reading with POSIX calls, so each failure carries the system's reason
/// and reads are exactly as large as asked for (the caller validated the size first).
final class FileReader {
    let path: String
    private var descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            throw EngineError("cannot open \(path): \(systemErrorMessage())",
                              hint: errno == ENOENT ? "check the file name and the current directory" : nil)
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close()
            throw EngineError("cannot read \(path): it is a directory")
        }
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// The file's size in bytes.
    func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw EngineError("cannot read \(path): \(systemErrorMessage())") }
        return Int(info.st_size)
    }

    /// Exactly `count` bytes from the current position.
    func read(count: Int) throws -> [UInt8] {
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
