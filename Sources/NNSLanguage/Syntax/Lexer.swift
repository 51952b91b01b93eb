/// Turns source text into tokens (docs/language.md, "Lexical structure"), collecting diagnostics instead of
/// stopping at the first bad character.
///
/// Newlines. The lexer emits a `newline` token only where a newline ends a
/// statement, so the parser never has to think about line breaks:
/// - inside `(...)`, `[...]` and a record `{...}` newlines are dropped;
/// - inside a block `{...}` (of `if`, `else`, `for`, `while`, `fn`) and at top
///   level they end statements, except
///   - after a token that cannot end a statement: a binary operator, `|>`,
///     `=`, `=>`, `,`, `.`, `:`, `not`, `else`;
///   - before a line whose first token is `|>` or `else` (blank and comment
///     lines in between are skipped), so pipelines can be laid out one layer
///     per line and `}` / `else {` may be split over two lines;
///   - where it would be redundant (at the start, after `;`, after `{`, or
///     after another newline).
///
/// Blocks vs records. A `{` right after a token that ends an expression
/// (a name, literal, `)`, `]`, `}`) or after `else` opens a block — that is
/// where `if c {`, `while c {`, `for x in xs {`, `fn f(x) {` and `} else {` put
/// it. Everywhere else (after `=`, `(`, `,`, `:`, an operator, `return`,
/// `=>`, at the start of a statement) `{` opens a record.
public struct Lexer {
    /// What a bracket on the lexer's stack opened.
    public enum BracketKind: Sendable, Equatable {
        case paren, bracket, record, block
    }

    /// Everything the lexer learned from one source text.
    public struct Result: Sendable {
        /// The tokens, always ending with `endOfInput`.
        public var tokens: [Token]
        public var diagnostics: [Diagnostic]
        /// Brackets still open at the end of the input, outermost first.
        public var openBrackets: [(kind: BracketKind, token: Token)]
        /// True when the last real token cannot end a statement (a trailing
        /// `|>`, binary operator, `=`, `,` ...).
        public var endsWithContinuation: Bool
    }

    let file: SourceFile
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var column = 1
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []
    /// How many f-strings enclose this text (an f-string field is lexed by a nested lexer).
    var formatStringNesting = 0
    private var brackets: [(kind: BracketKind, token: Token)] = []
    /// Cache for `nextLineContinuesStatement`: blank lines before a `|>`
    /// would otherwise be rescanned once each.
    private var lookahead: (scannedUpTo: Int, result: Bool)?

    /// Splits a source file into tokens.
    public static func tokenize(_ file: SourceFile) -> Result {
        var lexer = Lexer(file: file)
        lexer.run()
        let last = lexer.tokens.last(where: { $0.kind != .endOfInput })
        return Result(tokens: lexer.tokens, diagnostics: lexer.diagnostics,
                      openBrackets: lexer.brackets,
                      endsWithContinuation: last?.kind.continuesLine ?? false)
    }

    private init(file: SourceFile) {
        self.file = file
        self.scalars = Array(file.text.unicodeScalars)
    }

    /// A lexer for a piece of `file` that starts at `line`:`column` (an f-string's field),
    /// so its tokens and diagnostics point into the file itself.
    init(file: SourceFile, piece: [Unicode.Scalar], line: Int, column: Int, formatStringNesting: Int) {
        self.file = file
        self.scalars = piece
        self.line = line
        self.column = column
        self.formatStringNesting = formatStringNesting
    }

    // MARK: - Driver

    mutating func run() {
        while let c = peek() {
            switch c {
            case " ", "\t", "\r":
                advance()
            case "#":
                while let d = peek(), d != "\n" { advance() }
            case "\n":
                newline()
            case "0"..."9":
                number()
            case "." where isDigit(peek(1)) && (!(tokens.last?.kind.endsExpression ?? false) || followsSpace):
                number()
            case "f" where peek(1) == "\"":
                formatString()
            case "a"..."z", "A"..."Z", "_":
                identifierOrKeyword()
            case "\"":
                string()
            case "'":
                singleQuotedString()
            default:
                punctuation()
            }
        }
        let end = here
        tokens.append(Token(kind: .endOfInput, lexeme: "", range: SourceRange(at: end)))
    }

    // MARK: - Newlines

    private mutating func newline() {
        let location = here
        defer { advance() }
        if let top = brackets.last?.kind, top != .block { return }
        guard let last = tokens.last else { return }
        switch last.kind {
        case .newline, .semicolon, .leftBrace: return
        default: break
        }
        if last.kind.continuesLine { return }
        if nextLineContinuesStatement() { return }
        tokens.append(Token(kind: .newline, lexeme: "\n", range: SourceRange(at: location)))
    }

    /// True when the first token after this newline (skipping blank and
    /// comment lines) is `|>` or `else`.
    private mutating func nextLineContinuesStatement() -> Bool {
        if let cached = lookahead, index < cached.scannedUpTo { return cached.result }
        var i = index + 1
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\r" || c == "\n" {
                i += 1
            } else if c == "#" {
                while i < scalars.count, scalars[i] != "\n" { i += 1 }
            } else {
                break
            }
        }
        var result = false
        if i + 1 < scalars.count, scalars[i] == "|", scalars[i + 1] == ">" {
            result = true
        } else if i + 4 <= scalars.count {
            let word: [Unicode.Scalar] = ["e", "l", "s", "e"]
            result = Array(scalars[i..<i + 4]) == word
                && (i + 4 == scalars.count || !isIdentifierContinue(scalars[i + 4]))
        }
        lookahead = (i, result)
        return result
    }

    // MARK: - Numbers

    private mutating func number() {
        let start = here, startIndex = index
        // Take the whole run that looks like part of a number, then validate
        // it, so `1.2.3`, `1e`, `1__0` and `12abc` are each one error.
        var previous: Unicode.Scalar = " "
        while let c = peek() {
            if isIdentifierContinue(c) {
                advance()
            } else if c == ".", isDigit(peek(1)) {
                advance()
            } else if (c == "+" || c == "-"), previous == "e" || previous == "E",
                      isDigit(scalars[startIndex]) || scalars[startIndex] == ".", isDigit(peek(1)) {
                advance()
            } else {
                break
            }
            previous = c
        }
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        let range = SourceRange(start: start, end: here)
        switch NumberLiteral.parse(text) {
        case .success(let value):
            tokens.append(Token(kind: .number(value), lexeme: text, range: range))
        case .failure(let problem):
            report("malformed number '\(text)'", range, hint: problem.hint)
            tokens.append(Token(kind: .invalid, lexeme: text, range: range))
        }
    }

    // MARK: - Names

    private mutating func identifierOrKeyword() {
        let start = here, startIndex = index
        while let c = peek(), isIdentifierContinue(c) { advance() }
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        let kind: TokenKind = Keyword(rawValue: text).map { .keyword($0) } ?? .identifier(text)
        tokens.append(Token(kind: kind, lexeme: text, range: SourceRange(start: start, end: here)))
    }

    // MARK: - Strings

    private mutating func string() {
        let start = here, startIndex = index
        advance()  // opening quote
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else {
                unterminatedString(start: start, startIndex: startIndex)
                return
            }
            if c == "\"" { advance(); break }
            if c == "\\" {
                escape(into: &value)
                continue
            }
            value.append(c)
            advance()
        }
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        tokens.append(Token(kind: .string(String(value)), lexeme: text, range: SourceRange(start: start, end: here)))
    }

    /// Reports a string left open at the end of its line and makes it one invalid token.
    mutating func unterminatedString(start: SourceLocation, startIndex: Int) {
        let range = SourceRange(start: start, end: here)
        report("unterminated string", range,
               hint: "close it with '\"' on the same line; write \\n for a line break")
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        tokens.append(Token(kind: .invalid, lexeme: text, range: range))
    }

    /// One escape sequence at a backslash; an unknown one is reported and kept as written.
    mutating func escape(into value: inout String.UnicodeScalarView) {
        let escapeStart = here
        advance()
        guard let e = peek(), e != "\n" else { return }  // reported as unterminated
        advance()
        switch e {
        case "n": value.append("\n")
        case "t": value.append("\t")
        case "\"": value.append("\"")
        case "\\": value.append("\\")
        default:
            report("unknown escape '\\\(Character(e))' in string", SourceRange(start: escapeStart, end: here),
                   hint: "the escapes are \\n \\t \\\" \\\\; write \\\\ for a backslash")
            value.append("\\")
            value.append(e)
        }
    }

    /// `'text'` is a common slip; report it once, as a whole.
    private mutating func singleQuotedString() {
        let start = here, startIndex = index
        advance()
        while let c = peek(), c != "\n", c != "'" { advance() }
        if peek() == "'" { advance() }
        let range = SourceRange(start: start, end: here)
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        report("strings use double quotes", range, hint: "write \"...\" instead of '...'")
        tokens.append(Token(kind: .invalid, lexeme: text, range: range))
    }

    // MARK: - Operators and brackets

    private mutating func punctuation() {
        let start = here
        guard let c = peek() else { return }
        let next = peek(1)
        let kind: TokenKind
        var length = 1
        switch c {
        case "|" where next == ">": kind = .pipe; length = 2
        case "=" where next == "=": kind = .equalEqual; length = 2
        case "=" where next == ">": kind = .arrow; length = 2
        case "!" where next == "=": kind = .bangEqual; length = 2
        case "<" where next == "=": kind = .lessEqual; length = 2
        case ">" where next == "=": kind = .greaterEqual; length = 2
        case "=": kind = .equal
        case "<": kind = .less
        case ">": kind = .greater
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .star
        case "/": kind = .slash
        case "%": kind = .percent
        case "@": kind = .at
        case "^": kind = .caret
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case "[": kind = .leftBracket
        case "]": kind = .rightBracket
        case "{": kind = .leftBrace
        case "}": kind = .rightBrace
        case ",": kind = .comma
        case ":": kind = .colon
        case ";": kind = .semicolon
        case ".": kind = .dot
        default:
            unknownCharacters()
            return
        }
        for _ in 0..<length { advance() }
        let token = Token(kind: kind, lexeme: length == 1 ? String(Character(c)) : String(Character(c)) + String(Character(next!)),
                          range: SourceRange(start: start, end: here))
        track(token)
        tokens.append(token)
    }

    /// Keeps the bracket stack that decides where newlines count.
    private mutating func track(_ token: Token) {
        switch token.kind {
        case .leftParen: brackets.append((.paren, token))
        case .leftBracket: brackets.append((.bracket, token))
        case .leftBrace:
            let last = tokens.last?.kind
            let opensBlock = (last?.endsExpression ?? false) || last == .keyword(.else)
            brackets.append((opensBlock ? .block : .record, token))
        case .rightParen: close { $0 == .paren }
        case .rightBracket: close { $0 == .bracket }
        case .rightBrace: close { $0 == .block || $0 == .record }
        default: break
        }
    }

    /// Pops to the innermost matching opener; a closer that matches nothing
    /// open leaves the stack alone (the parser reports it).
    private mutating func close(_ matches: (BracketKind) -> Bool) {
        if let i = brackets.lastIndex(where: { matches($0.kind) }) {
            brackets.removeSubrange(i...)
        }
    }

    /// One diagnostic for a run of characters that start no token.
    private mutating func unknownCharacters() {
        let start = here, startIndex = index
        guard let first = peek() else { return }
        advance()
        while let c = peek(), !startsToken(c) { advance() }
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        let shown = first.properties.generalCategory == .control || first.properties.isWhitespace
            ? "U+" + String(first.value, radix: 16, uppercase: true) : String(Character(first))
        let hint: String?
        switch first {
        case "|": hint = "use '|>' to pipe, or 'or' for logic"
        case "&": hint = "use 'and'"
        case "!": hint = "use 'not' (or '!=' for 'not equal')"
        case "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}": hint = "strings use straight double quotes: \"text\""
        default: hint = first.isASCII ? nil : "names use the letters A-Z, a-z, digits and '_'"
        }
        let range = SourceRange(start: start, end: here)
        report("unexpected character '\(shown)'", SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + 1)), hint: hint)
        tokens.append(Token(kind: .invalid, lexeme: text, range: range))
    }

    /// Characters that begin (or separate) a valid token.
    private func startsToken(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case " ", "\t", "\r", "\n", "#", "\"", "0"..."9", "a"..."z", "A"..."Z", "_",
             "=", "<", ">", "+", "-", "*", "/", "%", "@", "^", "(", ")", "[", "]", "{", "}",
             ",", ":", ";", ".", "|", "!", "'":
            return true
        default:
            return false
        }
    }

    // MARK: - Reading

    /// Whether whitespace separates the current character from the last token.
    private var followsSpace: Bool {
        guard index > 0 else { return true }
        let c = scalars[index - 1]
        return c == " " || c == "\t" || c == "\n" || c == "\r"
    }

    var here: SourceLocation { SourceLocation(line: line, column: column) }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < scalars.count ? scalars[i] : nil
    }

    mutating func advance() {
        guard index < scalars.count else { return }
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else if scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
            // `\r\n` is one line break; the `\r` takes no column.
        } else {
            column += 1
        }
        index += 1
    }

    func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c >= "0" && c <= "9"
    }

    func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_": return true
        default: return false
        }
    }

    mutating func report(_ message: String, _ range: SourceRange, hint: String? = nil) {
        diagnostics.append(Diagnostic(message, at: range, in: file, hint: hint))
    }
}
