import NNEngine
import NNSLanguage
import Testing
@testable import NNSREPL

/// A session that records what it is asked to run and fails on entries containing "bad".
final class RecordingSession: LanguageSession {
    var entries: [String] = []
    var resets = 0
    struct Failure: Error, CustomStringConvertible { var description: String }

    func run(_ entry: String, echo: Bool) throws -> String? {
        if entry.contains("bad") { throw Failure(description: "error: bad input") }
        entries.append(entry)
        return nil
    }
    func isIncomplete(_ source: String) -> Bool { Parser.isIncomplete(source) }
    func network(_ expression: String) throws -> Network { throw Failure(description: "no networks here") }
    func tensor(_ expression: String) throws -> Tensor { throw Failure(description: "no tensors here") }
    func loss(_ expression: String) throws -> Loss { .mse }
    func history(_ expression: String) throws -> History? { nil }
    func runScript(at path: String) throws {}
    func bindings() -> [BindingSummary] { [] }
    func visibleNames() -> [String] { [] }
    var builtinNames: [String] { [] }
    func help(forBuiltin name: String) -> String? { nil }
    func reset() { resets += 1 }
    func describe(_ error: Error, in entry: String) -> String { "\(error)" }
}

/// Lines fed one by one, as if typed.
final class ScriptedReader: LineReader {
    var inputs: [LineInput]
    var prompts: [String] = []
    var closed = false
    init(_ inputs: [LineInput]) { self.inputs = inputs }
    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }
    func remember(_ line: String) {}
    func close() { closed = true }
}

@Suite struct REPLLoopTests {
    func run(_ inputs: [LineInput]) -> (RecordingSession, ScriptedReader, REPL) {
        let session = RecordingSession()
        let reader = ScriptedReader(inputs)
        let repl = REPL(session: session, reader: reader, host: TerminalHost(showsProgress: false), interactive: false)
        repl.run()
        return (session, reader, repl)
    }

    @Test func continuationLinesJoinIntoOneEntry() {
        let (session, reader, _) = run([.line("net = linear(2, 2) |>"), .line("  sigmoid"), .line("x = 1")])
        #expect(session.entries == ["net = linear(2, 2) |>\n  sigmoid", "x = 1"])
        #expect(reader.prompts.prefix(3) == ["nns> ", "...> ", "nns> "])
        #expect(reader.closed)
    }

    @Test func anErrorIsReportedAndTheSessionGoesOn() {
        let (session, _, repl) = run([.line("a = 1"), .line("bad + 1"), .line(":nosuch"), .line("b = 2")])
        #expect(session.entries == ["a = 1", "b = 2"])
        #expect(repl.errorCount == 2)
    }

    @Test func ctrlCDropsAHalfTypedEntry() {
        let (session, _, _) = run([.line("f(1,"), .interrupted, .line("y = 3")])
        #expect(session.entries == ["y = 3"])
    }

    @Test func quitAndResetAreCommands() {
        let (session, _, _) = run([.line(":reset"), .line(":quit"), .line("never = 1")])
        #expect(session.resets == 1)
        #expect(session.entries.isEmpty)
    }

    @Test func commandArgumentErrorsNameTheUsage() {
        let (_, _, repl) = run([.line(":grad net"), .line(":step sideways net x")])
        #expect(repl.errorCount == 2)
    }
}
