import Foundation
import NNSLanguage

/// `:load` and `:save`: scripts and weights.
enum FileCommands {
    static let all: [REPLCommand] = [load, save]

    static let loadUsage = ":load FILE [as NAME]"
    static let quoteHint = "a file name with spaces goes in quotes: :load \"my nets/a.safetensors\""

    static let load = REPLCommand(
        name: "load", usage: loadUsage, summary: "run a .nns script here, or load a .safetensors network",
        help: """
        :load FILE.nns                 runs the script in this session; its bindings stay.
        :load FILE.safetensors         rebuilds the saved network and binds it to the file's name
                                       (net.safetensors → net, my-net.safetensors → my_net) and
                                       says which name it bound. A name that would hide a
                                       builtin (print.safetensors) is refused: name it yourself.
        :load FILE.safetensors as NAME binds it to NAME instead.
        A file name with spaces goes in quotes: :load "my nets/a.safetensors".
        """,
        run: { invocation, context in
            let args = try invocation.words()
            guard !args.isEmpty else { throw CommandError("usage: \(loadUsage)\nexpected a file name") }
            if args.count > 1 && (args.count != 3 || args[1] != "as") {
                throw CommandError("usage: \(loadUsage)\nunexpected '\(args[1...].joined(separator: " "))'; " + quoteHint)
            }
            let path = expandPath(args[0])
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandError("cannot read '\(path)': no such file")
            }
            if path.hasSuffix(".safetensors") {
                let name = try chosenName(explicit: args.count == 3 ? args[2] : nil, path: path, context: context)
                try context.runAndEcho("\(name) = load(\(Value.quoted(path)))")
                context.print("loaded \(path) as \(name)")
                return .proceed
            }
            guard args.count == 1 else {
                throw CommandError(":load \(args[0]) as \(args[2]): only a .safetensors network is bound to a name; a script's bindings keep their own names")
            }
            do {
                try context.session.runScript(at: path)
            } catch {
                throw CommandError(context.session.describe(error, in: path))
            }
            context.print("loaded \(path)")
            return .proceed
        }, takesWords: true)

    /// The name `:load` binds: `as NAME` when given (it must be a name, and may hide a
    /// builtin since the user asked), else one made from the file name, which must not hide
    /// a builtin or be a keyword.
    static func chosenName(explicit: String?, path: String, context: CommandContext) throws -> String {
        if let explicit {
            guard CommandInvocation.isIdentifier(explicit), explicit.allSatisfy(\.isASCII),
                  !REPL.keywords.contains(explicit) else {
                throw CommandError(":load ... as \(explicit): '\(explicit)' is not a name; names use the letters A-Z, a-z, digits and '_', and start with a letter or '_'")
            }
            return explicit
        }
        let name = bindingName(forFile: path)
        if REPL.keywords.contains(name) || context.session.builtinNames.contains(name) {
            throw CommandError(":load \((path as NSString).lastPathComponent) would bind '\(name)', which would hide the builtin \(name); "
                + "choose another name: :load \(path) as NAME")
        }
        return name
    }

    static let save = REPLCommand(
        name: "save", usage: ":save NET FILE", summary: "write NET's weights (safetensors)",
        help: """
        Same as save(NET, "FILE"): the weights with PyTorch-style names and the architecture.
        A file name with spaces goes in quotes: :save net "my nets/a.safetensors".
        """,
        run: { invocation, context in
            let (net, words) = try invocation.expressionThenWords()
            guard let net, let file = words.first else {
                throw CommandError("usage: :save NET FILE\nexpected 2 arguments")
            }
            guard words.count == 1 else {
                throw CommandError("usage: :save NET FILE\nunexpected '\(words[1...].joined(separator: " "))'; "
                    + "a file name with spaces goes in quotes: :save net \"my nets/a.safetensors\"")
            }
            let path = expandPath(file)
            _ = try context.evaluate("save(\(net), \(Value.quoted(path)))") { try context.session.run($0, echo: false) }
            context.print("saved \(net) to \(path)")
            return .proceed
        }, takesWords: true)

    static func expandPath(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    /// `runs/mnist-net.safetensors` → `mnist_net`; only ASCII letters, digits and `_` (the
    /// language's names), so `réseau.safetensors` → `r_seau` and `日本.safetensors` → `net`.
    static func bindingName(forFile path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        if name.allSatisfy({ $0 == "_" }) { name = "net" }
        if name.first!.isNumber { name = "net_" + name }
        return name
    }
}
