import Foundation
import Testing
@testable import NNEngine

/// Writes never replace what is not a regular file, go through symbolic links, and reads
/// refuse FIFOs and devices without waiting; tensors respect the machine's memory in total.
@Suite struct HostileFileTests {
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aDeviceIsRefusedAndStaysADevice() throws {
        #expect {
            try AtomicFile.write(Array("x".utf8), to: "/dev/null")
        } throws: { ($0 as? EngineError)?.message == "cannot write /dev/null: it is a character device, not a regular file" }
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func aLinkIsFollowedAndStaysALink() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Array("old".utf8), to: dir + "/target")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: "target")
        try AtomicFile.write(Array("new".utf8), to: dir + "/link")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link") == "target")
        #expect(try FileReader.contents(of: dir + "/target") == Array("new".utf8))
        // A link to a device is refused like the device itself.
        try FileManager.default.createSymbolicLink(atPath: dir + "/null", withDestinationPath: "/dev/null")
        #expect {
            try AtomicFile.write([1], to: dir + "/null")
        } throws: { ($0 as? EngineError)?.message.contains("(which links to /dev/null): it is a character device") == true }
    }

    @Test func directoriesAndFIFOsAreRefusedForWritingAndReading() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        for (path, kind) in [(dir, "a directory"), (dir + "/pipe", "a FIFO (named pipe)")] {
            #expect { try AtomicFile.write([1], to: path) } throws: {
                ($0 as? EngineError)?.message == "cannot write \(path): it is \(kind), not a regular file"
            }
            // Opening a FIFO for reading would wait for a writer forever; it is refused at once.
            #expect { _ = try FileReader.contents(of: path) } throws: {
                ($0 as? EngineError)?.message == "cannot read \(path): it is \(kind), not a regular file"
            }
        }
        #expect(throws: EngineError.self) { _ = try SafeTensorsFile.read(path: dir + "/pipe") }
        #expect(throws: EngineError.self) { _ = try IDX.read(dir + "/pipe") }
        #expect(throws: EngineError.self) { _ = try CSV.read(dir + "/pipe") }
    }

    @Test func tensorsTogetherStayWithinHalfTheMemory() throws {
        // 3e9 Float32 elements fit under half of 24 GiB alone, but not with a result beside them.
        let half = Double(TensorLimits.physicalMemory / 2)
        let elements = Int(half / 4 / 2) + 1
        #expect { try TensorLimits.checkAllocation(elements: elements) } throws: {
            ($0 as? EngineError)?.message.contains("and as much again for a result") == true
        }
        #expect(throws: EngineError.self) { _ = try TensorLimits.checkedShape([Double(elements)]) }
        try TensorLimits.checkAllocation(elements: 1 << 20)
        #expect(TensorLimits.residentBytes() > 0)
    }
}
