import NNEngine
import NNSLanguage

/// `:step forward` and `:step backward`: a pass one layer per key press.
enum StepCommands {
    static let all: [REPLCommand] = [step]

    static let step = REPLCommand(
        name: "step", usage: ":step forward NET X | backward NET X Y [loss] [--page FILE]",
        summary: "walk through a pass one layer at a time",
        help: """
        :step forward NET X
            one layer per key press: the layer as nns code, its formula (z = W·a + b, a = σ(z))
            and the numbers with their shapes; large tensors as shape, mean, std, min, max, and
            after relu the share of dead units.
        :step backward NET X Y [loss]
            the loss (mse unless given), then per layer from the top the delta method:
            δᴸ = ∂C/∂ŷ ⊙ h'(zᴸ), δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ h'(zˡ), ∂C/∂Wˡ = δˡ·(aˡ⁻¹)ᵀ, ∂C/∂bˡ = δˡ,
            and the gradient handed down.
        On conv and pooling layers one output element is worked with its input patch or window
        (z[o,i,j] = Σ_c Σ_u Σ_v W[o,c,u,v]·a[c, i·s+u, j·s+v] + b[o]), then shapes and one line
        per channel; backward shows δ and ∂C/∂W per channel.
        Keys: Enter next, c continue to the end, q stop. Without a terminal every step is shown.
        --page FILE
            write the same walkthrough as a page that steps in a browser (FILE ends in .html)
            instead of stepping in the terminal.
        """,
        run: { invocation, context in
            let usage = ":step forward NET X | :step backward NET X Y [loss]"
            if let parseError = invocation.parseError { throw CommandError("usage: \(usage)\n" + parseError) }
            let positional = invocation.positional
            var pageFile: String?
            if let page = invocation.option("page") {
                guard let file = stringLiteral(page) else { throw CommandError("page: needs a file name in quotes, such as page: \"walk.html\"") }
                pageFile = file
            }
            let flags = try CommandInvocation.words(in: invocation.flags)
            if let flag = flags.first {
                guard flag == "--page" else { throw CommandError("unknown flag '\(flag)'; usage: \(usage) [--page FILE]") }
                guard flags.count == 2 else {
                    throw CommandError(flags.count < 2 ? "--page needs a file name, such as --page walk.html"
                        : "usage: \(usage) [--page FILE]\nunexpected '\(flags[2...].joined(separator: " "))'; --page FILE comes last")
                }
                pageFile = flags[1]
            }
            guard let direction = positional.first else { throw CommandError("usage: \(usage)") }
            let rest = Array(positional.dropFirst())
            let pages: [String]
            let pass: RecordedPass
            switch direction {
            case "forward", "f":
                guard rest.count == 2, invocation.options.allSatisfy({ $0.key == "page" }) else {
                    throw CommandError("usage: :step forward NET X" + (rest.count > 2 ? "\nunexpected '\(rest[2...].joined(separator: " "))'" : ""))
                }
                let network = try context.network(rest[0])
                let x = try context.tensor(rest[1])
                pass = try context.evaluate(rest[1]) { _ in try RecordedPass.forward(network, input: x) }
                pages = ForwardStepView.pages(pass.forward)
            case "backward", "b":
                guard (3...4).contains(rest.count) else {
                    throw CommandError("usage: :step backward NET X Y [loss]" + (rest.count > 4 ? "\nunexpected '\(rest[4...].joined(separator: " "))'" : ""))
                }
                pass = try RecordedPass(invocation: invocation, arguments: rest, context: context,
                                        usage: ":step backward NET X Y [loss]")
                pages = BackwardStepView.pages(pass)
            default:
                throw CommandError("unknown direction '\(direction)'; usage: \(usage)")
            }
            if let file = pageFile {
                try writePage(pass, to: file, context: context)
                return .proceed
            }
            StepPresenter.present(pages, context: context)
            return .proceed
        })
}

/// The text of a string literal written as source (`"walk.html"`), nil for anything else.
private func stringLiteral(_ source: String) -> String? {
    let tokens = Lexer.tokenize(SourceFile(name: "<command>", text: source)).tokens
    guard tokens.count == 2, case .string(let text) = tokens[0].kind else { return nil }
    return text
}

/// `--page FILE`: the walkthrough as a page that steps in a browser (docs/pages.md).
private func writePage(_ pass: RecordedPass, to file: String, context: CommandContext) throws {
    guard file.lowercased().hasSuffix(".html") || file.lowercased().hasSuffix(".htm") else {
        throw CommandError("--page needs a file name ending in .html, such as walk.html")
    }
    do {
        try ExplainPage.write(ExplainPage.html(pass), to: file)
    } catch {
        throw CommandError(context.session.describe(error, in: file))
    }
    context.print("wrote \(file) (\(ExplainPage.stepCount(pass)) steps; open it in a browser)")
}

/// Shows pages one at a time, waiting for a key between them on a terminal.
enum StepPresenter {
    static let keyHint = "  ⏎ next · c continue · q quit"

    static func present(_ pages: [String], context: CommandContext) {
        var pausing = context.interactive
        for (i, page) in pages.enumerated() {
            if i > 0 { context.print("") }
            context.print(page)
            guard pausing, i < pages.count - 1 else { continue }
            Console.out(keyHint)
            let key = KeyReader.readStepKey()
            Console.out(TerminalInfo.outputIsTerminal ? "\r\u{1B}[K" : "\n")
            switch key {
            case .next: break
            case .continueAll: pausing = false
            case .quit:
                context.print("(stopped at layer \(i + 1) of \(pages.count))")
                return
            }
        }
    }
}
