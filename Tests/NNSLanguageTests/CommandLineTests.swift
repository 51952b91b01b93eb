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

    static func run(_ arguments: [String], stdin: String = "", directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let executable else {
            Issue.record("the nns executable is not built (swift build --product nns)")
            return (-1, "", "")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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

    /// NNS_STATS=1 reports the products' multiply-adds, which bench/epoch.py turns into the
    /// FLOP rate an epoch ran at. One step per epoch (a batch of all 128 samples), two
    /// epochs; the input's columns 48..<128 are zero in every sample. Per step, by hand:
    /// the 128 -> 64 layer (m·k·n = 2^20, large enough to look for zero columns) runs its
    /// forward and weight gradient over 48 columns, 2 · 128·48·64 = 786432, and skips
    /// 2 · 128·80·64 = 1310720; the 64 -> 10 layer runs forward, weight gradient and input
    /// gradient dense, 3 · 128·64·10 = 245760.
    @Test func statsCountTheProductsMultiplyAdds() throws {
        let script = """
            seed(1)
            keep = tensor([map(fn(j) => j < 48, range(128))])
            x = (rand([128, 128]) + 1) * keep
            y = tensor(map(fn(i) => i % 10, range(128)))
            net = linear(128, 64) |> relu |> linear(64, 10) |> softmax
            h = train(net, dataset(x, y), loss: cross_entropy, optimizer: sgd(lr: 0.1), epochs: 2, batch: 128)
            """
        let skipping = try NNSProcess.run(["-e", script], environment: ["NNS_STATS": "1"])
        #expect(skipping.status == 0)
        #expect(skipping.stderr == "nns: products ran \(2 * (786432 + 245760)) multiply-adds, skipped \(2 * 1310720) over zero input columns\n")
        let dense = try NNSProcess.run(["-e", script], environment: ["NNS_STATS": "1", "NNS_ZERO_COLUMNS": "0"])
        #expect(dense.stderr == "nns: products ran \(2 * (2 * 128 * 128 * 64 + 245760)) multiply-adds, skipped 0 over zero input columns\n")
        #expect(try NNSProcess.run(["-e", script]).stderr == "")
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
