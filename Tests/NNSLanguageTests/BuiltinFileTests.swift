import Foundation
import Testing
@testable import NNSLanguage
import TestFixtures

@Suite struct BuiltinFileTests {
    @Test func saveLoadRoundTripsTheNetwork() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("net.safetensors").path
        let text = try evalText("""
        \(HandworkedExample.source)
        save(net, "\(path)")
        copy = load("\(path)")
        other = linear(2, 2) |> sigmoid |> linear(2, 1) |> sigmoid
        load("\(path)", into: other)
        [str(copy), copy([0.5, 0.8]) == net([0.5, 0.8]), other[2].weight]
        """)
        #expect(text == "[\"linear(2, 2) |> sigmoid |> linear(2, 1) |> sigmoid\", tensor[1] [1], tensor[1×2] [[0.6, 0.5]]]")
        #expect(errorHeader("load(\"\(path)\", into: linear(3, 3))").hasPrefix("<test>:1:1: error: load: "))
        // Weights under a script's name would be run as nns code by :load; nothing is written.
        let script = dir.appendingPathComponent("net.nns").path
        #expect(errorHeader("save(linear(2, 1), \"\(script)\")").contains("error: save: "))
        #expect(!FileManager.default.fileExists(atPath: script))
    }

    @Test func exportWritesTheFilesItNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let onnx = dir.appendingPathComponent("m.onnx").path
        #expect(try evalText("export(linear(2, 1) |> sigmoid, \"\(onnx)\")") == "[\"\(onnx)\"]")
        #expect(FileManager.default.fileExists(atPath: onnx))
        #expect(errorHeader("export(linear(2, 1), \"m.txt\")").contains("cannot tell which format"))
    }
}
