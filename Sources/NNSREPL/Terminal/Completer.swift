/// What Tab offers for the word under the cursor.
public enum CompletionResult: Equatable {
    /// These words (already filtered by the typed prefix).
    case words([String])
    /// File and directory names (readline lists them).
    case files
}

/// Decides what Tab completes: command names after `:`, file paths after `:load` and as
/// the file of `:save`, `forward`/`backward` after `:step`, help topics after `:help`, and
/// otherwise the names in scope, builtins and keywords.
public struct Completer {
    /// Command names with their colon (`:train`).
    public var commands: [String]
    /// Names in scope, builtins and keywords, asked for at each Tab (bindings change).
    public var names: () -> [String]

    public init(commands: [String], names: @escaping () -> [String]) {
        self.commands = commands
        self.names = names
    }

    /// Candidates for `word`, the text at the end of `lineBeforeCursor`.
    public func complete(lineBeforeCursor: String, word: String) -> CompletionResult {
        let head = lineBeforeCursor.dropLast(word.count)
        let tokens = head.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let command = tokens.first else {
            return .words(matching(word, in: word.hasPrefix(":") ? commands : names()))
        }
        guard command.hasPrefix(":") else { return .words(matching(word, in: names())) }
        let argumentIndex = tokens.count - 1   // the word's index among the command's arguments
        switch command {
        case ":load": return .files
        case ":save": return argumentIndex >= 1 ? .files : .words(matching(word, in: names()))
        case ":step" where argumentIndex == 0: return .words(matching(word, in: ["forward", "backward"]))
        case ":help":
            let topics = commands.map { String($0.dropFirst()) } + names()
            return .words(matching(word, in: topics))
        default: return .words(matching(word, in: names()))
        }
    }

    private func matching(_ prefix: String, in pool: [String]) -> [String] {
        var seen = Set<String>()
        return pool.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }.sorted()
    }
}
