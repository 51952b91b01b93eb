import Foundation
import Testing
@testable import NNSLanguage

@Suite struct StdlibTests {
    @Test func gateDatasetsHoldTheTruthTables() throws {
        let cases: [(String, [Int])] = [
            ("and_gate", [0, 0, 0, 1]), ("or_gate", [0, 1, 1, 1]), ("nand_gate", [1, 1, 1, 0]),
            ("nor_gate", [1, 0, 0, 0]), ("xor_gate", [0, 1, 1, 0]),
        ]
        for (name, outputs) in cases {
            #expect(try evalText("list(\(name).x)") == "[[0, 0], [0, 1], [1, 0], [1, 1]]")
            #expect(try evalText("list(\(name).y)") == "[" + outputs.map(String.init).joined(separator: ", ") + "]", "\(name)")
        }
        #expect(try evalText("[list(not_gate.x), list(not_gate.y)]") == "[[[0], [1]], [1, 0]]")
    }

    @Test func mlpBuildsThePipeline() throws {
        #expect(try evalText("mlp([784, 256, 32, 10])") == "linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax")
        #expect(try evalText("mlp([2, 3, 1], act: tanh, out: sigmoid)") == "linear(2, 3) |> tanh |> linear(3, 1) |> sigmoid")
        #expect(try evalText("mlp([4, 2], out: none)") == "linear(4, 2)")
        #expect(try evalNumber("nparams(mlp([784, 256, 32, 10]))") == 209514)
    }

    @Test func explicitImportWorksAndUserNamesWin() throws {
        #expect(try evalText("import gates\nlen(gate_inputs)") == "4")
        #expect(try evalText("and_gate = 5\n[and_gate, len(or_gate)]") == "[5, 4]")
        #expect(errorHeader("import gatez") == "<test>:1:1: error: no stdlib module named `gatez`")
    }

    @Test func locatorHonoursTheEnvironmentVariableFolder() {
        guard case .found(let url) = StdlibLocator.locate() else {
            Issue.record("stdlib not found")
            return
        }
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("nets.nns").path))
    }
}
