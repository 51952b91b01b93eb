import Foundation
import NNEngine
import NNSLanguage
import Testing
@testable import NNSREPL
import TestFixtures

/// `:step ... --page FILE`: the terminal's walkthrough written as a page, with the same numbers.
@Suite struct StepPageTests {
    @Test func backwardWalkthroughAsAPage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nns-step-\(getpid()).html").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = InterpreterSession(interpreter: Interpreter(host: CapturingHost()))
        _ = try session.run(HandworkedExample.source, echo: false)
        let reader = ScriptedReader([.line(":step backward net [0.5, 0.8] [1] --page \(path)"), .line(":step forward net [0.5, 0.8] --page walk.txt")])
        let repl = REPL(session: session, reader: reader, host: TerminalHost(showsProgress: false), interactive: false)
        repl.run()
        #expect(repl.errorCount == 1)   // the .txt name
        let html = try String(contentsOfFile: path, encoding: .utf8)
        // δ¹ and ∂C/∂W¹ of SPEC §12, as the notes give them.
        #expect(html.contains("δ¹ = [-0.00760, -0.00647]"))
        #expect(html.contains("∂C/∂W¹ = [[-0.00380, -0.00608], [-0.00324, -0.00518]]"))
        #expect(!html.contains("SGD step"))
    }

    /// `:grad`'s `lr:` option (its help promises it) is accepted; a stranger option is not.
    @Test func gradTakesALearningRate() throws {
        let session = InterpreterSession(interpreter: Interpreter(host: CapturingHost()))
        _ = try session.run(HandworkedExample.source, echo: false)
        let reader = ScriptedReader([.line(":grad net [0.5, 0.8] [1] lr: 0.5"), .line(":grad net [0.5, 0.8] [1] epochs: 3")])
        let repl = REPL(session: session, reader: reader, host: TerminalHost(showsProgress: false), interactive: false)
        repl.run()
        #expect(repl.errorCount == 1)
    }
}
