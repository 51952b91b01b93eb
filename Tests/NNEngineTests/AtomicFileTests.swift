import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NNEngine

/// A fresh empty directory under /tmp.
func temporaryDirectory() throws -> String {
    var template = Array("/tmp/nns-io-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw EngineError("mkdtemp failed") }
    return String(cString: made)
}

func fileBytes(_ path: String) throws -> [UInt8] {
    let reader = try FileReader(path: path)
    return try reader.read(count: reader.size())
}

func directoryEntries(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// The real system calls with one of them replaced.
func failingIO(write: (@Sendable (Int32, UnsafeRawPointer, Int) -> Int)? = nil,
               fsync: (@Sendable (Int32) -> Int32)? = nil,
               rename: (@Sendable (String, String) -> Int32)? = nil,
               open: (@Sendable (String, Int32, mode_t) -> Int32)? = nil) -> FileIO {
    var io = FileIO.system
    if let write { io.write = write }
    if let fsync { io.fsync = fsync }
    if let rename { io.rename = rename }
    if let open { io.open = open }
    return io
}

@Suite struct AtomicFileTests {
    let old: [UInt8] = Array("the earlier network".utf8)
    let new: [UInt8] = (0..<10_000).map { UInt8($0 % 251) }

    @Test func writesAndReplacesLeavingNoTemporaryFiles() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/net.safetensors"
        try AtomicFile.write(old, to: path)
        #expect(try fileBytes(path) == old)
        try AtomicFile.write(new, to: path)
        #expect(try fileBytes(path) == new)
        #expect(directoryEntries(dir) == ["net.safetensors"])
    }

    @Test func aReplacedFileKeepsItsPermissions() throws {
        let path = try temporaryDirectory() + "/net.safetensors"
        try AtomicFile.write(old, to: path)
        chmod(path, 0o600)
        try AtomicFile.write(new, to: path)
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func aWriteErrorMidwayKeepsTheEarlierFile() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/net.safetensors"
        try AtomicFile.write(old, to: path)
        // The disk fills after 4096 bytes have gone to the temporary file.
        let io = failingIO(write: { descriptor, bytes, count in
            var info = stat()
            fstat(descriptor, &info)
            if info.st_size >= 4096 { errno = ENOSPC; return -1 }
            return Glibc.write(descriptor, bytes, min(count, 4096))
        })
        do {
            try AtomicFile.write(new, to: path, using: io)
            Issue.record("a failing write reported success")
        } catch let error as EngineError {
            #expect(error.message.contains("net.safetensors"))
            #expect(error.message.contains("No space left on device"))
            #expect(error.hint?.contains("unchanged") == true)
        }
        #expect(try fileBytes(path) == old)
        #expect(directoryEntries(dir) == ["net.safetensors"])
    }

    @Test func failedFlushOrRenameKeepsTheEarlierFile() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/net.safetensors"
        try AtomicFile.write(old, to: path)
        let flush = failingIO(fsync: { _ in errno = EIO; return -1 })
        #expect(throws: EngineError.self) { try AtomicFile.write(new, to: path, using: flush) }
        let rename = failingIO(rename: { _, _ in errno = EXDEV; return -1 })
        #expect(throws: EngineError.self) { try AtomicFile.write(new, to: path, using: rename) }
        #expect(try fileBytes(path) == old)
        #expect(directoryEntries(dir) == ["net.safetensors"])
    }

    @Test func anUnwritableDirectoryIsAnErrorThatKeepsTheEarlierFile() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/net.safetensors"
        try AtomicFile.write(old, to: path)
        // Root ignores permission bits, so the refusal is simulated as well as, when possible, real.
        let refused = failingIO(open: { _, _, _ in errno = EACCES; return -1 })
        do {
            try AtomicFile.write(new, to: path, using: refused)
            Issue.record("wrote into a refusing directory")
        } catch let error as EngineError {
            #expect(error.message.contains("Permission denied"))
            #expect(error.hint?.contains("directory you can write to") == true)
        }
        if geteuid() != 0 {
            chmod(dir, 0o555)
            defer { chmod(dir, 0o755) }
            #expect(throws: EngineError.self) { try AtomicFile.write(new, to: path) }
        }
        #expect(try fileBytes(path) == old)
        // A path through a regular file cannot be created, even by root.
        #expect(throws: EngineError.self) { try AtomicFile.write(new, to: path + "/inside.safetensors") }
        #expect(throws: EngineError.self) { try AtomicFile.write(new, to: dir + "/missing/net.safetensors") }
        #expect(try fileBytes(path) == old)
    }

    @Test func pathsSplitIntoDirectoryAndName() {
        #expect(AtomicFile.directoryName(of: "net.safetensors") == ".")
        #expect(AtomicFile.directoryName(of: "/net.safetensors") == "/")
        #expect(AtomicFile.directoryName(of: "a/b/net.safetensors") == "a/b")
        #expect(AtomicFile.baseName(of: "a/b/net.safetensors") == "net.safetensors")
    }
}
