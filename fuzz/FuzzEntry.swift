// libFuzzer entry point for nns (built by fuzz/build.sh, run by fuzz/run.sh).
//
// Every input goes through `NNSFuzzEntry.run(source:)`: the lexer and parser
// with the invariants below, then, when it parsed, the interpreter in a
// sandbox (no file access, output discarded, a step and time budget, tensors
// of at most `NNS_MAX_TENSOR_ELEMENTS` elements).

import Foundation
import NNSLanguage

/// The fuzzer's host: discards output, forbids files, and asks the program to
/// stop after a number of interrupt polls (loop turns, calls, training steps)
/// or a wall-clock budget, so `while true {}` ends with "interrupted".
final class FuzzHost: InterpreterHost {
    static let maximumPolls = 20_000
    static let budget: TimeInterval = 1.0
    private var polls = 0
    private let deadline = Date().addingTimeInterval(FuzzHost.budget)

    func write(_ text: String) {}
    var allowsFileAccess: Bool { false }
    var interruptRequested: Bool {
        polls += 1
        return polls > FuzzHost.maximumPolls || (polls % 64 == 0 && Date() > deadline)
    }
}

enum NNSFuzzEntry {
    /// Runs one input through the language front end and traps (so libFuzzer
    /// records the input) when an invariant fails.
    static func run(source: String) {
        let file = SourceFile(name: "fuzz.nns", text: source)
        let result = Parser.parse(file)

        result.diagnostics.forEach(check)
        if result.succeeded && Parser.isIncomplete(source) {
            fatalError("a complete, valid program was reported as incomplete")
        }
        // Printing walks the whole tree: a too-deep tree would show up here.
        _ = result.program.sExpression
        _ = try? Parser.parseExpression(file)

        // Tokens come in source order, each inside the text.
        let lineCount = source.unicodeScalars.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        var previousEnd = SourceLocation(line: 1, column: 1)
        for token in Lexer.tokenize(file).tokens {
            guard token.range.start >= previousEnd, token.range.start.line <= lineCount else {
                fatalError("token \(token) at \(token.range) out of order or outside the source")
            }
            previousEnd = token.range.end
        }

        if result.succeeded { interpret(file, program: result.program) }
    }

    /// Runs a parsed program; every error must be a diagnostic at a real place.
    static func interpret(_ file: SourceFile, program: Program) {
        let interpreter = Interpreter(host: FuzzHost())
        // Half the inputs print as JSON (`nns --json`), chosen by the text so it reproduces.
        interpreter.printsJSON = file.text.utf8.count % 2 == 1
        do {
            let result = try interpreter.run(program)
            for value in result.echoes + [result.finalValue].compactMap({ $0 }) {
                _ = value.displayText
                _ = JSONEncoderContext().encode(value)
            }
        } catch let diagnostic as Diagnostic {
            check(diagnostic)
        } catch let list as DiagnosticList {
            for diagnostic in list.diagnostics { check(diagnostic) }
        } catch {
            fatalError("the interpreter threw something that is not a diagnostic: \(error)")
        }
    }

    /// A diagnostic points into its own file and renders.
    static func check(_ diagnostic: Diagnostic) {
        guard diagnostic.pointsIntoItsFile else {
            fatalError("diagnostic outside its source: \(diagnostic.header)")
        }
        _ = diagnostic.rendered()
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    // Small tensors keep every input fast; set before the engine first reads it.
    setenv("NNS_MAX_TENSOR_ELEMENTS", "65536", 0)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    // Invalid UTF-8 is repaired the way the command line reads files.
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    NNSFuzzEntry.run(source: source)
    return 0
}
