import Foundation
import Testing
@testable import NNSLanguage

/// graph(f, ...) as a terminal tree and as Graphviz text.
@Suite struct GraphTests {
    func text(_ source: String) throws -> String {
        try autodiffRun(source).value?.displayText ?? ""
    }

    @Test func treeHasOutputAtTheRootAndInputAtTheLeaf() throws {
        let tree = try text("graph(fn(x) => log(sin(x^2)), 1.0)")
        let lines = tree.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("v₃ = log v₂"))
        #expect(lines[1].hasPrefix("└─ v₂ = sin v₁"))
        #expect(lines[3].contains("v₀ = x"))
    }

    @Test func sharedValueIsDrawnOnce() throws {
        // s = x² is used twice: drawn in full once, referred to the second time.
        let tree = try text("graph(fn(x) { s = x^2\n return sin(s) + s }, 0.5)")
        #expect(tree.components(separatedBy: "v₀ = x   (0.5)").count - 1 == 1)
        #expect(tree.contains("└─ v₁ = x²   (0.25)  ↑ shown above"))
    }

    @Test func dotTextHasEveryEdge() throws {
        // f(a, b) = a·b + sin a: nodes a, b, a·b, sin a, sum; edges a→a·b, b→a·b, a→sin, a·b→+, sin→+.
        let dot = try text("graph(fn(a, b) => a * b + sin(a), 1, 2, format: \"dot\")")
        #expect(dot.hasPrefix("digraph computation {"))
        #expect(dot.components(separatedBy: " -> ").count - 1 == 5)
        #expect(dot.contains("peripheries=2"))
        #expect(dot.contains("shape=ellipse"))
    }

    @Test func dotFileIsWritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nns-graph-\(getpid()).dot").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try autodiffRun("graph(fn(x) => exp(x^2), 1, file: \"\(path)\")")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("exp v₁"))
        #expect(throws: Diagnostic.self) { try autodiffRun("graph(fn(x) => x, 1, format: \"png\")") }
    }
}
