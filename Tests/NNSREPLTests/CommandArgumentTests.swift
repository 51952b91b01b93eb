import Foundation
import NNEngine
import NNSLanguage
import Testing
@testable import NNSREPL

/// REPL commands refuse words they do not understand, and `:load` says which name it binds.
@Suite struct CommandArgumentTests {
    /// Runs one command line against a recording session with a builtin named `print`.
    func execute(_ line: String) -> (BuiltinNamedSession, REPL) {
        let session = BuiltinNamedSession()
        let repl = REPL(session: session, reader: ScriptedReader([]), host: TerminalHost(showsProgress: false), interactive: false)
        repl.execute(line)
        return (session, repl)
    }

    @Test func extraWordsAreAnErrorNotIgnored() {
        for line in [":train n xor_gate epochs 3", ":save small dir with space/s.safetensors", ":summary net net",
                     ":vars x", ":reset now", ":quit now", ":stats net x loss: mse", ":plot h a b",
                     ":grad net x y mse extra", ":grad net x y epochs: 3", ":step forward net x y",
                     ":step backward net x y mse more", ":help a b"] {
            let (session, repl) = execute(line)
            #expect(repl.errorCount == 1, "\(line) was accepted")
            #expect(session.entries.isEmpty, "\(line) ran \(session.entries)")
        }
    }

    @Test func theUsageLineSaysWhatWasWrong() throws {
        let invocation = try #require(CommandInvocation(":train n xor_gate epochs 3"))
        #expect {
            _ = try invocation.arguments(2, options: true, usage: ":train NET DATA [k: v ...]")
        } throws: {
            "\($0)" == "usage: :train NET DATA [k: v ...]\nunexpected 'epochs 3'; options are written with a colon: epochs: 3"
        }
        let fine = try #require(CommandInvocation(":train n xor_gate epochs: 3"))
        #expect(try fine.arguments(2, options: true, usage: ":train") == ["n", "xor_gate"])
    }

    @Test func aQuotedPathWithSpacesIsOnePath() {
        let (session, repl) = execute(":save net \"my nets/a b.safetensors\"")
        #expect(repl.errorCount == 0)
        #expect(session.entries == ["save(net, \"my nets/a b.safetensors\")"])
    }

    @Test func loadNamesTheBindingAndRefusesToHideABuiltin() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-load-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["print", "my-net", "réseau", "日本"] {
            FileManager.default.createFile(atPath: "\(dir)/\(name).safetensors", contents: Data())
        }
        let (hidden, refused) = execute(":load \(dir)/print.safetensors")
        #expect(refused.errorCount == 1 && hidden.entries.isEmpty)
        let (asked, allowed) = execute(":load \(dir)/print.safetensors as print")
        #expect(allowed.errorCount == 0 && asked.entries == ["print = load(\"\(dir)/print.safetensors\")"])
        #expect(execute(":load \(dir)/my-net.safetensors").0.entries == ["my_net = load(\"\(dir)/my-net.safetensors\")"])
        #expect(execute(":load \(dir)/réseau.safetensors").0.entries == ["r_seau = load(\"\(dir)/réseau.safetensors\")"])
        #expect(execute(":load \(dir)/日本.safetensors").0.entries == ["net = load(\"\(dir)/日本.safetensors\")"])
        #expect(execute(":load \(dir)/my-net.safetensors as 2x").1.errorCount == 1)
        #expect(execute(":load \(dir)/absent.safetensors").1.errorCount == 1)
    }

    @Test func bindingNamesAreLanguageNames() {
        #expect(FileCommands.bindingName(forFile: "runs/mnist-net.safetensors") == "mnist_net")
        #expect(FileCommands.bindingName(forFile: "3layers.safetensors") == "net_3layers")
        #expect(FileCommands.bindingName(forFile: "ñ.safetensors") == "net")
    }
}

/// Records the entries it runs, like `RecordingSession`, and has one builtin: `print`.
final class BuiltinNamedSession: LanguageSession {
    var entries: [String] = []
    func run(_ entry: String, echo: Bool) throws -> String? { entries.append(entry); return nil }
    func isIncomplete(_ source: String) -> Bool { Parser.isIncomplete(source) }
    func network(_ expression: String) throws -> Network { throw CommandError("no networks here") }
    func tensor(_ expression: String) throws -> Tensor { throw CommandError("no tensors here") }
    func loss(_ expression: String) throws -> Loss { .mse }
    func history(_ expression: String) throws -> History? { nil }
    func runScript(at path: String) throws {}
    func bindings() -> [BindingSummary] { [] }
    func visibleNames() -> [String] { [] }
    var builtinNames: [String] { ["print"] }
    func help(forBuiltin name: String) -> String? { nil }
    func reset() {}
    func describe(_ error: Error, in entry: String) -> String { "\(error)" }
}
