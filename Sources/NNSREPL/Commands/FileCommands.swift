import Foundation
import NNSLanguage

/// `:load` and `:save`: scripts and weights.
enum FileCommands {
    static let all: [REPLCommand] = [load, save]

    static let load = REPLCommand(
        name: "load", usage: ":load FILE", summary: "run a .nns script here, or load a .safetensors network",
        help: """
        :load FILE.nns            runs the script in this session; its bindings stay.
        :load FILE.safetensors    rebuilds the saved network and binds it to the file's name
                                  (net.safetensors → net).
        """,
        run: { invocation, context in
            guard let raw = invocation.positional.first else { throw CommandError("usage: :load FILE") }
            let path = expandPath(unquote(raw))
            if path.hasSuffix(".safetensors") {
                let name = bindingName(forFile: path)
                try context.runAndEcho("\(name) = load(\(Value.quoted(path)))")
                return .proceed
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandError("cannot read '\(path)': no such file")
            }
            do {
                try context.session.runScript(at: path)
            } catch {
                throw CommandError(context.session.describe(error, in: path))
            }
            context.print("loaded \(path)")
            return .proceed
        })

    static let save = REPLCommand(
        name: "save", usage: ":save NET FILE", summary: "write NET's weights (safetensors)",
        help: "Same as save(NET, \"FILE\"): the weights with PyTorch-style names and the architecture.",
        run: { invocation, context in
            let args = try invocation.arguments(2, usage: ":save NET FILE")
            let path = expandPath(unquote(args[1]))
            _ = try context.evaluate("save(\(args[0]), \(Value.quoted(path)))") { try context.session.run($0, echo: false) }
            context.print("saved \(args[0]) to \(path)")
            return .proceed
        })

    static func unquote(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }

    static func expandPath(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    /// `runs/mnist-net.safetensors` → `mnist_net`.
    static func bindingName(forFile path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if name.isEmpty || name.first!.isNumber { name = "net_" + name }
        return name
    }
}
