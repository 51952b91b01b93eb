import NNSLanguage

/// A parsed REPL command: `:train net data epochs: 5 batch: 32` → name `train`, positional
/// `["net", "data"]`, options `[("epochs", "5"), ("batch", "32")]`.
///
/// The arguments are a call's argument list without the parentheses, parsed by the
/// language's own parser (`Parser.parseCommandArguments`): `:train net data epochs: 3` is
/// `train(net, data, epochs: 3)`, with blanks allowed where the call has commas. Each
/// argument is kept as the exact source of the expression the parser found, and commands
/// hand it back to the interpreter. Where a command's usage says FILE, NAME or a word such
/// as `forward`, it reads a word instead (`words()`): the text up to the next blank, or a
/// string in double quotes for a file name with blanks.
public struct CommandInvocation: Equatable {
    public var name: String
    /// The expression arguments, as source text.
    public var positional: [String]
    public var options: [(key: String, value: String)]
    /// Everything after the command name, without surrounding blanks (for `:time EXPR`).
    public var rest: String
    /// Why the arguments are not an argument list (shown when a command asks for them).
    var parseError: String?
    /// The text after the arguments: `--flag WORD ...`.
    var flags: String = ""
    /// The typed line, and where the arguments start in it.
    let argumentFile: SourceFile
    let argumentStart: SourceLocation

    public static func == (l: CommandInvocation, r: CommandInvocation) -> Bool {
        l.name == r.name && l.positional == r.positional && l.rest == r.rest
            && l.options.map(\.key) == r.options.map(\.key) && l.options.map(\.value) == r.options.map(\.value)
    }

    /// Parses `:name args...`; nil when `line` does not start with `:`.
    public init?(_ line: String) {
        guard let (name, rest, start) = CommandInvocation.split(line) else { return nil }
        self.name = name
        self.rest = rest
        argumentFile = SourceFile(name: "<command>", text: line)
        argumentStart = start
        positional = []
        options = []
        do {
            let list = try Parser.parseCommandArguments(argumentFile, from: start)
            for argument in list.arguments {
                let text = list.text(of: argument.value.range)
                if let label = argument.label { options.append((label.name, text)) } else { positional.append(text) }
            }
            flags = list.remainder
        } catch {
            parseError = "\(error)"
        }
    }

    /// The command name, the arguments trimmed, and where they start in the line.
    static func split(_ line: String) -> (name: String, rest: String, start: SourceLocation)? {
        let trimmed = line.drop(while: \.isWhitespace)
        guard trimmed.first == ":" else { return nil }
        let body = trimmed.dropFirst()
        let name = body.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        let restText = body.dropFirst(name.count)
        let rest = String(restText.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        // The name is on the first line: its column counts the scalars before the arguments.
        let column = line.unicodeScalars.count - restText.unicodeScalars.count + 1
        return (String(name), rest, SourceLocation(line: 1, column: column))
    }

    /// True when the line is a command whose arguments the next line may complete: they end
    /// inside an open bracket or after an operator or `,` — the language's own rule
    /// (`Parser.isIncomplete`). When they end in words (a file name may end in `/` or `-`),
    /// only an open bracket continues the line.
    public static func isIncomplete(_ line: String) -> Bool {
        guard let (name, rest, _) = split(line) else { return false }
        if let command = CommandRegistry.command(named: name), command.takesWords {
            let lexed = Lexer.tokenize(SourceFile(name: "<command>", text: rest))
            return lexed.diagnostics.isEmpty && !lexed.openBrackets.isEmpty
        }
        return Parser.isIncomplete(rest)
    }

    /// The options as nns keyword-argument source: `epochs: 5, batch: 32`.
    public var optionSource: String {
        options.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    /// The arguments read as words (`:load FILE as NAME`, `:help TOPIC`): runs of non-blank
    /// characters, or double-quoted strings with the language's escapes.
    func words() throws -> [String] { try CommandInvocation.words(in: rest) }

    /// `text` read as words (see `words()`).
    static func words(in text: String) throws -> [String] {
        var words: [String] = []
        var text = Substring(text)
        while true {
            text = text.drop(while: \.isWhitespace)
            guard !text.isEmpty else { return words }
            if text.first == "\"" {
                let lexed = Lexer.tokenize(SourceFile(name: "<command>", text: String(text)))
                guard let token = lexed.tokens.first, case .string(let value) = token.kind else {
                    throw CommandError("unclosed '\"' in \(text); a quoted file name ends with '\"'")
                }
                words.append(value)
                text = text.dropFirst(token.lexeme.count)
            } else {
                let word = text.prefix(while: { !$0.isWhitespace })
                words.append(String(word))
                text = text.dropFirst(word.count)
            }
        }
    }

    /// `NET FILE`: one expression, then words (`:save`).
    func expressionThenWords() throws -> (expression: String?, words: [String]) {
        let list: CommandArgumentList
        do { list = try Parser.parseCommandArguments(argumentFile, from: argumentStart, maximumPositional: 1) } catch {
            throw CommandError("\(error)")
        }
        if let label = list.arguments.first?.label {
            throw CommandError("unexpected option '\(label.name):'; this command takes none")
        }
        return (list.arguments.first.map { list.text(of: $0.value.range) }, try CommandInvocation.words(in: list.remainder))
    }

    static func isIdentifier<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
