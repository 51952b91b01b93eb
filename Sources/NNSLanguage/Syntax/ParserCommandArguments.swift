// The arguments of a REPL command line, parsed by the language's own grammar, so
// `:train net data epochs: 3` means exactly `train(net, data, epochs: 3)`.

/// What `Parser.parseCommandArguments` found: a call's argument list (positional
/// arguments, then `name: value` options) and the text left after it.
public struct CommandArgumentList: Sendable {
    /// The arguments in source order, with their ranges in `file`.
    public var arguments: [Argument]
    /// The text the arguments were parsed from.
    public var file: SourceFile
    /// The source from where the list stopped to the end, without surrounding blanks: empty
    /// when it ran to the end, else `--flag WORD ...` or, after `maximumPositional`, the words
    /// that follow.
    public var remainder: String

    /// The source text of an argument's value (or any other range in `file`).
    public func text(of range: SourceRange) -> String { file.text(of: range) }
}

extension Parser {
    /// Parses a REPL command's arguments as a call's argument list written without its
    /// parentheses. Arguments are separated by `,` or by blanks: at the top level a `(`, `[`
    /// or `.` after a blank starts the next argument instead of calling, indexing or
    /// selecting a member of the one before, so `:grad net [0.5, 0.8] [1]` has three
    /// arguments (inside brackets the grammar is the language's, blanks and all). The list
    /// stops at the end, at a `--flag` written after a blank, or after `maximumPositional`
    /// positional arguments. The arguments start at `start` (after the command's name, so
    /// errors quote the whole typed line). Throws a `DiagnosticList` located in `file` when
    /// the text is not such a list.
    public static func parseCommandArguments(_ file: SourceFile, from start: SourceLocation = SourceLocation(line: 1, column: 1),
                                             maximumPositional: Int? = nil) throws -> CommandArgumentList {
        var lexed = Lexer.tokenize(file)
        lexed.diagnostics.removeAll { $0.location < start }
        let parser = Parser(file: file, tokens: Array(lexed.tokens.drop { $0.range.start < start && $0.kind != .endOfInput }))
        parser.blanksSeparateArguments = true
        var arguments: [Argument] = []
        var positional = 0
        var labels: Set<String> = []
        var failed = false
        do {
            while !parser.atEnd, !parser.atCommandFlag, positional < maximumPositional ?? Int.max {
                if case .identifier(let name) = parser.current.kind, parser.peek(1).kind == .colon {
                    let label = Identifier(name: name, range: parser.advance().range)
                    parser.advance()
                    if parser.atEnd || parser.atCommandFlag {
                        try parser.fail("expected a value after '\(name):'", hint: "write \(name): VALUE")
                    }
                    if !labels.insert(name).inserted {
                        parser.report("option '\(name)' given twice", at: label.range)
                    }
                    arguments.append(Argument(label: label, value: try parser.expression()))
                } else {
                    let value = try parser.expression()
                    if !labels.isEmpty {
                        parser.report("positional argument after options", at: value.range,
                                      hint: "put positional arguments first, as in a call: f(a, b, key: value)")
                    }
                    arguments.append(Argument(label: nil, value: value))
                    positional += 1
                }
                _ = parser.match(.comma)
            }
        } catch {
            failed = true
        }
        // Lexical errors past the point where the list stopped belong to the words there
        // (a file name such as ~/nets/a.safetensors), not to the arguments.
        let stop = parser.current.range.start
        let lexical = lexed.diagnostics.filter { failed ? $0.location <= stop : $0.location < stop }
        let diagnostics = (lexical + parser.diagnostics).sorted { $0.location < $1.location }
        if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
        let end = SourceRange(start: stop, end: SourceLocation(line: Int.max, column: Int.max))
        let remainder = file.text(of: end).trimmingBlanks
        return CommandArgumentList(arguments: arguments, file: file, remainder: remainder)
    }

    /// In a command's arguments, whether the current token starts a new argument rather
    /// than continuing the expression before it (it follows a blank, outside brackets).
    var startsNextCommandArgument: Bool {
        blanksSeparateArguments && openers.isEmpty && current.range.start != previous.range.end
    }

    /// In a command's arguments, whether `--` written after a blank starts a flag here.
    var atCommandFlag: Bool {
        guard blanksSeparateArguments, openers.isEmpty, check(.minus), peek(1).kind == .minus else { return false }
        return (position == 0 || current.range.start != previous.range.end) && peek(1).range.start == current.range.end
    }
}

extension SourceFile {
    /// The text a range covers (columns count Unicode scalars, as the lexer's do); a range
    /// past the end stops at the end.
    public func text(of range: SourceRange) -> String {
        var out = String.UnicodeScalarView()
        var line = 1, column = 1
        for scalar in text.unicodeScalars {
            let here = SourceLocation(line: line, column: column)
            if here >= range.end { break }
            if here >= range.start { out.append(scalar) }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return String(out)
    }
}
