import Foundation
import Testing
import NNEngine
@testable import NNSLanguage

/// SPEC §17's checks on suspicious input, plot_image, and the `--json` forms of summary and
/// of a piped REPL.
@Suite struct LibraryChecksTests {
    @Test func suspiciousInputIsAnError() throws {
        #expect(errorHeader("bce(tensor([0.5, 1.5]), tensor([1, 1]))").hasSuffix("bce: a prediction must be a probability in [0, 1], got 1.5 (element 1)"))
        #expect(errorHeader("bce(-0.5, 1)").hasSuffix("got -0.5"))
        // log(0.8)·... : −(1·log 0.8 + 0·log 0.2) = 0.2231435513
        #expect(close(try evalNumber("bce(0.8, 1)"), 0.2231435513, tolerance: 1e-6))
        #expect(errorHeader("train(linear(2, 1), and_gate, loss: bce)").contains("bce needs probabilities"))
        #expect(errorHeader("mlp([2])").contains("mlp: sizes needs at least two numbers"))
        #expect(errorHeader("plot([[1, 2], [3]])").contains("element 0 of the list is [1, 2], not a number"))
        #expect(errorHeader("plot([1, \"a\"])").contains("element 1 of the list is \"a\""))
        #expect(errorHeader("train(linear(2, 1) |> step, and_gate)").contains("`step` has derivative 0"))
        #expect(errorText("train(linear(2, 1) |> step, and_gate)").contains("rule: \"perceptron\""))
        #expect(errorHeader("train(linear(2, 1) |> sigmoid, and_gate, early_stop: 2)").contains("no `validation:` data"))
        #expect(errorHeader("error(\"stop here\", hint: \"why\")").hasSuffix("error: stop here"))
    }

    @Test func plotImageDrawsHalfBlocks() throws {
        // A 4×2 image: rows 0 and 1 of column 0 dark, row 2 of column 1 dark, row 3 light.
        let text = try evalText("plot_image([1, 0, 1, 0, 0, 1, 0, 0], shape: [4, 2])")
        #expect(text == "█\n ▀")
        #expect(try evalText("plot_image(tensor([[0, 1], [1, 0]]))") == "▄▀")
        #expect(errorHeader("plot_image([1, 2, 3], shape: [2, 2])").contains("does not hold the 3 values"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.svg").path
        _ = try runNNS("plot_image([0, 0.5, 1, 0], \"\(path)\")")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("#000000"))      // the largest value is black
        #expect(svg.contains("#808080"))      // the middle one grey
    }

    @Test func summaryUnderJSONIsItsRows() throws {
        let host = CapturingHost()
        let interpreter = Interpreter(host: host)
        interpreter.printsJSON = true
        try NNSLanguage.withInterpreterStack { _ = try interpreter.run(source: "summary(linear(2, 3) |> relu |> linear(3, 1))", name: "<test>") }
        // 2·3 + 3 = 9 and 3·1 + 1 = 4 parameters
        #expect(host.output == #"{"rows":[{"index":0,"layer":"linear(2, 3)","output":[null,3],"params":9},{"index":1,"layer":"relu","output":[null,3],"params":0},{"index":2,"layer":"linear(3, 1)","output":[null,1],"params":4}],"total":13}"# + "\n")
    }

    @Test func pipedREPLHonoursJSON() throws {
        let r = try NNSProcess.run(["--json"], stdin: "x = [1, 2]\nx\n{a: 0.5}\n")
        #expect(r.stdout.contains("[1,2]\n"))
        #expect(r.stdout.contains("{\"a\":0.5}"))
    }

    @Test func constantsHaveHelp() throws {
        let r = try NNSProcess.run([], stdin: ":help pi\n:help nan\n")
        #expect(r.stdout.contains("a constant: π = 3.14159…"))
        #expect(r.stdout.contains("isnan(x) tests for it"))
    }
}
