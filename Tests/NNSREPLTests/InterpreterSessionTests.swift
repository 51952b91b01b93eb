import NNEngine
import NNSLanguage
import Testing
@testable import NNSREPL

@Suite struct InterpreterSessionTests {
    func session() -> InterpreterSession {
        InterpreterSession(interpreter: Interpreter(host: CapturingHost()))
    }

    @Test func anErrorKeepsEveryEarlierBinding() {
        let s = session()
        let reader = ScriptedReader([
            .line("net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2]) |>"),
            .line("    sigmoid"),
            .line("x = [0.5, 0.8]"),
            .line("y = nosuch + 1"),
            .line("z = x |> net"),
        ])
        let repl = REPL(session: s, reader: reader, host: TerminalHost(showsProgress: false), interactive: false)
        repl.run()
        #expect(repl.errorCount == 1)
        #expect(s.bindings().map(\.name) == ["net", "x", "z"])
        #expect(s.bindings().first { $0.name == "net" }?.kind == "network")
        #expect(s.bindings().first { $0.name == "z" }?.detail == "[2]")
    }

    @Test func argumentsEvaluateToNetworksTensorsAndLosses() throws {
        let s = session()
        _ = try s.run("net = linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3]) |> sigmoid", echo: false)
        let net = try s.network("net")
        #expect(net.layers.map(\.kind) == ["linear", "sigmoid"])
        #expect(try s.tensor("[[1, 2], [3, 4]]").shape == [2, 2])
        #expect(try s.loss("mse") == .mse)
        #expect(try s.loss("cross_entropy") == .crossEntropy)
        #expect(throws: (any Error).self) { try s.network("[1, 2]") }
        #expect(throws: (any Error).self) { try s.loss("1 + 1") }
        #expect(s.isIncomplete("f(1,"))
        #expect(!s.isIncomplete("f(1)"))
    }

    @Test func echoesFollowTheLanguage() throws {
        let s = session()
        #expect(try s.run("x = 2", echo: true) == "2")
        #expect(try s.run("x * 3", echo: true) == "6")
        #expect(try s.run("x = 4;", echo: true) == nil)   // a trailing ; silences
    }

    @Test func helpComesFromTheBuiltinRegistry() {
        let s = session()
        let text = s.help(forBuiltin: "linear") ?? ""
        #expect(text.hasPrefix("linear("))
        #expect(s.help(forBuiltin: "no_such_thing") == nil)
        #expect(s.builtinNames.contains("sigmoid"))
        // Every REPL command has usage and help text of its own.
        for command in CommandRegistry.all {
            #expect(!command.help.isEmpty && command.usage.hasPrefix(":" + command.name))
        }
    }

    @Test func everyStdlibNameKeepsItsHelpAfterThePreludeLoads() throws {
        let s = session()
        // The first lookup loads the prelude; the later ones used to find it as a "binding".
        for name in ["and_gate", "or_gate", "nand_gate", "nor_gate", "not_gate", "xor_gate", "mlp"] {
            let text = s.help(forBuiltin: name) ?? ""
            #expect(text.contains("standard library"), "\(name): \(text)")
        }
        #expect(s.help(forBuiltin: "xor_gate")?.contains("dataset(4 examples") == true)
        // A user's own binding of the same name is not stdlib help.
        _ = try s.run("xor_gate = 3", echo: false)
        #expect(s.help(forBuiltin: "xor_gate") == nil)
    }
}
