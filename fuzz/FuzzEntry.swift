// libFuzzer entry point for nns (built by fuzz/build.sh, run by fuzz/run.sh).
//
// Every input goes through `NNSFuzzEntry.run(source:)`. Today that is the
// lexer and parser plus the invariants below; to fuzz the interpreter too,
// evaluate `result.program` there (with step/time limits) when it parsed.

import NNSLanguage

enum NNSFuzzEntry {
    /// Runs one input through the language front end and traps (so libFuzzer
    /// records the input) when an invariant fails.
    static func run(source: String) {
        let file = SourceFile(name: "fuzz.nns", text: source)
        let result = Parser.parse(file)

        let lineCount = source.unicodeScalars.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        for diagnostic in result.diagnostics {
            let start = diagnostic.range.start
            guard start.line >= 1, start.line <= lineCount, let line = file.line(start.line),
                  start.column >= 1, start.column <= line.unicodeScalars.count + 1,
                  diagnostic.range.end >= start else {
                fatalError("diagnostic outside the source: \(diagnostic.header)")
            }
            _ = diagnostic.rendered()
        }
        if result.succeeded && Parser.isIncomplete(source) {
            fatalError("a complete, valid program was reported as incomplete")
        }
        // Printing walks the whole tree: a too-deep tree would show up here.
        _ = result.program.sExpression
        _ = try? Parser.parseExpression(file)

        // Tokens come in source order, each inside the text.
        var previousEnd = SourceLocation(line: 1, column: 1)
        for token in Lexer.tokenize(file).tokens {
            guard token.range.start >= previousEnd, token.range.start.line <= lineCount else {
                fatalError("token \(token) at \(token.range) out of order or outside the source")
            }
            previousEnd = token.range.end
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    // Invalid UTF-8 is repaired the way the command line reads files.
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    NNSFuzzEntry.run(source: source)
    return 0
}
