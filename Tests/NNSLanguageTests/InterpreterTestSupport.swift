import Foundation
import Testing
@testable import NNSLanguage

/// Runs nns source in a fresh interpreter (on the interpreter's big stack) and returns what
/// it printed and the value of its final expression.
func runNNS(_ source: String, file: String = "<test>") throws -> (output: String, value: Value?) {
    let host = CapturingHost()
    let interpreter = Interpreter(host: host)
    let result = try NNSLanguage.withInterpreterStack {
        try interpreter.run(source: source, name: file)
    }
    return (host.output, result.finalValue)
}

/// The final value's printed text.
func evalText(_ source: String) throws -> String {
    try runNNS(source).value?.displayText ?? "none"
}

/// The final value as a number (fails the test otherwise).
func evalNumber(_ source: String) throws -> Double {
    let value = try runNNS(source).value
    guard let x = value?.asNumber else {
        Issue.record("expected a number from \(source), got \(value?.displayText ?? "nothing")")
        return .nan
    }
    return x
}

/// The diagnostic a failing program throws, rendered (header, source line, caret, hint).
func errorText(_ source: String, file: String = "<test>") -> String {
    do {
        _ = try runNNS(source, file: file)
        return "no error"
    } catch {
        return "\(error)"
    }
}

/// The first line of the diagnostic: `FILE:LINE:COL: error: MESSAGE`.
func errorHeader(_ source: String) -> String {
    String(errorText(source).split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
}

func close(_ a: Double, _ b: Double, tolerance: Double = 1e-4) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// A diagnostic points into its file (the program, or a stdlib file it runs) and renders
/// as `FILE:LINE:COL: error: `. `source` is the program, named in failure messages.
func expectPlacedInItsFile(_ diagnostic: Diagnostic, program source: String) {
    #expect(diagnostic.pointsIntoItsFile, "\(diagnostic.header) in \(source.debugDescription)")
    let start = diagnostic.range.start
    #expect(diagnostic.rendered().hasPrefix("\(diagnostic.file.name):\(start.line):\(start.column): error: "))
}
