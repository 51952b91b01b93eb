// libFuzzer entry point for nns (built by fuzz/build.sh, run by fuzz/run.sh).
//
// The first byte picks the target (one entry, so one corpus and one time budget):
//   0x01  the bytes as a safetensors file (header, tensors, then the network it describes)
//   0x02  the bytes as an IDX file
//   0x03  the bytes as a CSV file (the second byte picks header/no header and the target)
//   0x04  the rest as REPL input: `:commands` and code, through the REPL's own loop
//   other the whole input as nns source: `NNSFuzzEntry.run(source:)`, the lexer and
//         parser with the invariants below, then, when it parsed, the interpreter in a
//         sandbox (no file access, output discarded, a step and time budget, tensors of
//         at most `NNS_MAX_TENSOR_ELEMENTS` elements).
// Loaders must throw `EngineError` on any bytes; nothing may trap.

import Foundation
import NNEngine
import NNSLanguage
import NNSREPL

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

/// The byte-level targets: loaders and the REPL's command line.
enum NNSFuzzTargets {
    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        switch first {
        case 0x01:
            do {
                let file = try SafeTensorsFile(bytes: rest, source: "fuzz.safetensors")
                _ = try? NetworkArchive.network(from: file, source: "fuzz.safetensors")
            } catch is EngineError {
            } catch { fatalError("safetensors threw something that is not an EngineError: \(error)") }
        case 0x02:
            do { _ = try IDX.parse(rest, name: "fuzz.idx") } catch is EngineError {
            } catch { fatalError("IDX threw something that is not an EngineError: \(error)") }
        case 0x03:
            guard let options = rest.first else { return }
            let target: CSV.Column? = options & 2 == 0 ? nil : .index(Int(options >> 2) % 4)
            do { _ = try CSV.parse(Array(rest.dropFirst()), name: "fuzz.csv", target: target, header: options & 1 == 1) }
            catch is EngineError {
            } catch { fatalError("CSV threw something that is not an EngineError: \(error)") }
        case 0x04:
            repl(String(decoding: rest, as: UTF8.self))
        default:
            NNSFuzzEntry.run(source: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Feeds the text to the REPL line by line over a sandboxed interpreter; whatever it
    /// prints is discarded. `:load` of a script is skipped: it reads files by design.
    static func repl(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.contains(where: { line in
            CommandInvocation(line).map { $0.name == "load" && !line.contains(".safetensors") } ?? false
        }) { return }
        Console.capture = { _ in }
        let session = InterpreterSession(interpreter: Interpreter(host: FuzzHost()))
        let reader = FuzzLines(lines)
        let repl = REPL(session: session, reader: reader, host: TerminalHost(showsProgress: false), interactive: false)
        repl.run()
        _ = CommandInvocation.isIncomplete(text)
        _ = try? Parser.parseCommandArguments(SourceFile(name: "<fuzz>", text: text))
        _ = Parser.isIncomplete(text)
    }
}

/// REPL input from the fuzzer's bytes.
final class FuzzLines: LineReader {
    var lines: [String]
    init(_ lines: [String]) { self.lines = lines }
    func readLine(prompt: String) -> LineInput { lines.isEmpty ? .endOfInput : .line(lines.removeFirst()) }
    func remember(_ line: String) {}
    func close() {}
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
    NNSFuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
