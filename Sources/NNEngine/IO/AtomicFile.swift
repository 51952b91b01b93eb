#if canImport(Glibc)
import Glibc
#endif

/// The system calls a file write goes through, as values so tests can make any of them fail
/// (a full disk midway, a refused rename) and check that the earlier file survives.
/// Each returns what its POSIX namesake returns and leaves the reason in `errno`.
public struct FileIO: Sendable {
    public var open: @Sendable (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
    /// Writes up to `count` bytes; may write fewer.
    public var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int
    public var fsync: @Sendable (_ descriptor: Int32) -> Int32
    public var close: @Sendable (_ descriptor: Int32) -> Int32
    public var rename: @Sendable (_ from: String, _ to: String) -> Int32
    public var unlink: @Sendable (_ path: String) -> Int32

    public init(open: @escaping @Sendable (String, Int32, mode_t) -> Int32,
                write: @escaping @Sendable (Int32, UnsafeRawPointer, Int) -> Int,
                fsync: @escaping @Sendable (Int32) -> Int32,
                close: @escaping @Sendable (Int32) -> Int32,
                rename: @escaping @Sendable (String, String) -> Int32,
                unlink: @escaping @Sendable (String) -> Int32) {
        self.open = open
        self.write = write
        self.fsync = fsync
        self.close = close
        self.rename = rename
        self.unlink = unlink
    }

    /// The real system calls.
    public static let system = FileIO(
        open: { Glibc.open($0, $1, $2) },
        write: { Glibc.write($0, $1, $2) },
        fsync: { Glibc.fsync($0) },
        close: { Glibc.close($0) },
        rename: { Glibc.rename($0, $1) },
        unlink: { Glibc.unlink($0) })
}

/// Writing a whole file so that readers see either the old contents or the new, never a
/// mixture: the bytes go to a temporary file in the same directory, are flushed to disk
/// (fsync), and the temporary file is renamed over the target. A failure at any step removes
/// the temporary file and leaves an earlier file at `path` untouched.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `bytes`. A symbolic link is followed and
    /// its target replaced (the link stays a link); a target that exists and is not a regular
    /// file (a device such as /dev/null, a FIFO, a directory) is refused before anything is
    /// written, so a save can never replace a device node with a plain file.
    /// - Throws: `EngineError` naming the path and the system's reason, with a hint that any
    ///   earlier file is unchanged.
    public static func write(_ bytes: [UInt8], to requestedPath: String, using io: FileIO = .system) throws {
        let path = try checkedTarget(requestedPath)
        let directory = directoryName(of: path)
        let temporary = directory + "/." + baseName(of: path) + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let keptHint = "any earlier \(baseName(of: path)) is unchanged"

        // A replaced file keeps its permission bits; a new one gets rw-r--r-- (less the umask).
        var existing = stat()
        let mode: mode_t = stat(path, &existing) == 0 ? existing.st_mode & 0o777 : 0o644
        let descriptor = io.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor < 0 {
            let code = errno
            throw EngineError("cannot write \(path): cannot create a file in \(directory): \(systemErrorMessage(code))",
                              hint: keptHint + "; " + directoryHint(code))
        }
        func fail(_ step: String, _ code: Int32, closing: Bool) -> EngineError {
            if closing { _ = io.close(descriptor) }
            _ = io.unlink(temporary)
            return EngineError("cannot write \(path): \(step) failed: \(systemErrorMessage(code))", hint: keptHint)
        }

        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { io.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw fail("writing", code, closing: true)
            }
            if n == 0 { throw fail("writing", ENOSPC, closing: true) }
            written += n
        }
        if io.fsync(descriptor) != 0 { throw fail("flushing to disk", errno, closing: true) }
        if io.close(descriptor) != 0 { throw fail("closing", errno, closing: false) }
        if io.rename(temporary, path) != 0 { throw fail("replacing the file", errno, closing: false) }
        syncDirectory(directory)
    }

    /// The path the bytes should finally land at: `path` itself, or the file a chain of
    /// symbolic links ends at. Refuses anything that exists and is not a regular file.
    static func checkedTarget(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            if lstat(current, &info) != 0 { return current }   // absent: created by the rename
            if (info.st_mode & S_IFMT) == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &buffer, buffer.count - 1)
                guard n > 0 else { return current }
                let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = target.hasPrefix("/") ? target : directoryName(of: current) + "/" + target
                continue
            }
            if let kind = FileKind.nonRegular(info.st_mode) {
                let shown = current == path ? path : "\(path) (which links to \(current))"
                throw EngineError("cannot write \(shown): it is \(kind), not a regular file",
                                  hint: "name a regular file to write, or a new file name")
            }
            return current
        }
        throw EngineError("cannot write \(path): too many levels of symbolic links", hint: "check the path")
    }

    /// Makes the rename itself durable; best effort, since the data is already in place.
    private static func syncDirectory(_ directory: String) {
        let d = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if d >= 0 {
            _ = Glibc.fsync(d)
            _ = Glibc.close(d)
        }
    }

    private static func directoryHint(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM, EROFS: return "choose a directory you can write to"
        case ENOENT, ENOTDIR: return "the directory does not exist; create it first"
        default: return "check the path"
        }
    }

    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
