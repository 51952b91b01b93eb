import Foundation
import Testing

/// Runs the built `nns` executable (next to the test bundle in .build/debug) as a user would.
struct NNSProcess {
    static var executable: URL? {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("nns"))
            candidates.append(bundle.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("nns"))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("nns"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/nns"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ arguments: [String], stdin: String = "", directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let executable else {
            Issue.record("the nns executable is not built (swift build --product nns)")
            return (-1, "", "")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

@Suite struct CommandLineTests {
    @Test func evaluatesAnExpressionAndPrintsItsValue() throws {
        let r = try NNSProcess.run(["-e", "x = 2\nx * 21"])
        #expect(r.status == 0)
        #expect(r.stdout == "42\n")
        #expect(r.stderr == "")
    }

    @Test func noneAndAssignmentsPrintNothing() throws {
        #expect(try NNSProcess.run(["-e", "x = 5"]).stdout == "")
        #expect(try NNSProcess.run(["-e", "print(\"hi\")"]).stdout == "hi\n")
    }

    @Test func jsonPrintsOneDocumentPerValue() throws {
        let r = try NNSProcess.run(["--json", "-e", "print(1/0, \"s\"); {t: tensor([[1, 2]]), n: 0.5}"])
        #expect(r.stdout == "null\n\"s\"\n{\"t\":[[1,2]],\"n\":0.5}\n")
    }

    @Test func runtimeErrorsExitOneWithALocatedMessage() throws {
        let r = try NNSProcess.run(["-e", "x = [1, 2]\nx[5]"])
        #expect(r.status == 1)
        #expect(r.stderr == "<-e>:2:1: error: index 5 is out of range for a list of length 2\nx[5]\n^~~~\nhint: valid indices are 0 to 1 (or -2 to -1 from the end)\n")
    }

    @Test func parseErrorsExitOne() throws {
        let r = try NNSProcess.run(["-e", "x = (1 +"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("<-e>:1:"))
    }

    @Test func badUsageExitsTwo() throws {
        #expect(try NNSProcess.run(["--frobnicate"]).status == 2)
        #expect(try NNSProcess.run(["-e"]).status == 2)
    }

    @Test func helpAndVersion() throws {
        let help = try NNSProcess.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("nns FILE.nns"))
        let version = try NNSProcess.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("nns "))
    }

    @Test func scriptsSeeTheirArgumentsAndPrintTheFinalValue() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("s.nns")
        try "print(len(args))\nargs[1]\n".write(to: script, atomically: true, encoding: .utf8)
        let r = try NNSProcess.run([script.path, "a", "b"])
        #expect(r.status == 0)
        #expect(r.stdout == "2\nb\n")
        let missing = try NNSProcess.run([dir.appendingPathComponent("nope.nns").path])
        #expect(missing.status == 1)
    }

    @Test func stdlibIsFoundFromAnotherDirectory() throws {
        let r = try NNSProcess.run(["-e", "len(xor_gate)"], directory: FileManager.default.temporaryDirectory)
        #expect(r.stdout == "4\n")
    }

    @Test func plainREPLFallbackEchoesValues() throws {
        let r = try NNSProcess.run([], stdin: "a = 3\nb = 4;\na +\n b\nnope\n")
        #expect(r.stdout == "3\n7\n")
        #expect(r.stderr.hasPrefix("<repl>:1:1: error: unknown name `nope`"))
    }

    @Test func startsQuickly() throws {
        let start = Date()
        _ = try NNSProcess.run(["-e", "1+1"])
        // The contract is 50 ms; allow slack for a loaded machine and a debug build.
        #expect(Date().timeIntervalSince(start) < 0.5)
    }
}
