import NNSLanguage

/// docs/reference.md: every REPL command and every builtin with the help text `:help`
/// shows, made from the same tables (`CommandRegistry.all`, `Builtins.all`), so the
/// document cannot say what the program does not. A test fails when the file is stale;
/// `NNS_UPDATE_REFERENCE=1 swift test --filter ReferenceDocumentTests` rewrites it.
public enum ReferenceDocument {
    public static var markdown: String {
        var lines = [
            "# nns reference",
            "",
            "Every REPL command and builtin with the help text `:help NAME` shows. This file is",
            "generated from the tables the REPL and the interpreter read; do not edit it by hand",
            "(`NNS_UPDATE_REFERENCE=1 swift test --filter ReferenceDocumentTests` rewrites it).",
            "The language itself is described in [language.md](language.md), the REPL in",
            "[repl.md](repl.md).",
            "",
            "## REPL commands",
            "",
        ]
        for command in CommandRegistry.all {
            lines += ["### `\(command.usage)`", "", sentence(command.summary), "", fenced(command.help), ""]
        }
        lines += ["## Builtins", ""]
        let byFamily = Dictionary(grouping: Builtins.all.values, by: \.family)
        for family in byFamily.keys.sorted() {
            lines += ["### \(family)", ""]
            for builtin in byFamily[family]!.sorted(by: { $0.name < $1.name }) {
                lines += ["- `\(builtin.signature)`: \(builtin.help)"]
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// "list commands" → "List commands."
    private static func sentence(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }

    /// Help text as a block, so its own layout (aligned columns, examples) survives.
    private static func fenced(_ text: String) -> String {
        "```\n" + text.trimmingCharacters(in: .newlines) + "\n```"
    }
}
