/// The outcome of parsing: a program (with every statement that parsed) and
/// the diagnostics of those that did not. The parse succeeded exactly when
/// `diagnostics` is empty.
public struct ParseResult: Sendable {
    public var program: Program
    public var diagnostics: [Diagnostic]

    public var succeeded: Bool { diagnostics.isEmpty }
}

/// Recursive-descent parser over the lexer's tokens (docs/language.md, "Expressions" and "Statements").
///
/// On an error it records a diagnostic, skips to the end of the statement
/// (`synchronize`) and carries on, so one run reports every independent
/// mistake. Nesting deeper than `maximumNestingDepth` is reported instead of
/// recursing on, so no input can overflow the stack.
///
///     let result = Parser.parse(SourceFile(name: "train.nns", text: source))
///     if !result.succeeded { print(DiagnosticList(result.diagnostics)) }
public final class Parser {
    /// How deeply expressions and blocks may nest (brackets, unary operators,
    /// operator chains, blocks inside blocks).
    public static let maximumNestingDepth = 200

    /// Parses a whole file or REPL entry.
    public static func parse(_ file: SourceFile) -> ParseResult {
        let lexed = Lexer.tokenize(file)
        let parser = Parser(file: file, lexed: lexed)
        let statements = parser.parseStatements()
        let diagnostics = (lexed.diagnostics + parser.diagnostics).sorted { $0.location < $1.location }
        return ParseResult(program: Program(statements: statements, file: file), diagnostics: diagnostics)
    }

    /// Parses source text under a name used in diagnostics.
    public static func parse(_ text: String, fileName: String = "<input>") -> ParseResult {
        parse(SourceFile(name: fileName, text: text))
    }

    /// Parses a file, throwing a `DiagnosticList` when anything is wrong.
    public static func parseProgram(_ file: SourceFile) throws -> Program {
        let result = parse(file)
        if !result.succeeded { throw DiagnosticList(result.diagnostics) }
        return result.program
    }

    /// Parses one expression and nothing else (for REPL commands such as
    /// `:trace EXPR`); throws a `DiagnosticList` when it is not exactly one
    /// well-formed expression.
    public static func parseExpression(_ file: SourceFile) throws -> Expr {
        let lexed = Lexer.tokenize(file)
        if !lexed.diagnostics.isEmpty { throw DiagnosticList(lexed.diagnostics) }
        let parser = Parser(file: file, lexed: lexed)
        do {
            let expr = try parser.expression()
            parser.skipSeparators()
            if !parser.check(.endOfInput) {
                try parser.fail("expected end of input after the expression but found \(parser.current)")
            }
            return expr
        } catch {
            throw DiagnosticList(parser.diagnostics)
        }
    }

    /// True when `source` is an unfinished REPL entry that the next line may
    /// complete: it ends inside an open `(`, `[` or `{`, or with a token that
    /// cannot end a statement (a trailing `|>`, binary operator, `=`, `,`,
    /// `else` ...). Input with a lexical error is never incomplete, so its
    /// error shows at once. (Strings cannot span lines, so an open string is
    /// an error, not incomplete.)
    public static func isIncomplete(_ source: String) -> Bool {
        let lexed = Lexer.tokenize(SourceFile(name: "<input>", text: source))
        guard lexed.diagnostics.isEmpty else { return false }
        return !lexed.openBrackets.isEmpty || lexed.endsWithContinuation
    }

    // MARK: - State

    let file: SourceFile
    let tokens: [Token]
    var position = 0
    var diagnostics: [Diagnostic] = []
    /// Current nesting (see `maximumNestingDepth`).
    var depth = 0
    /// How many function bodies enclose the current point (`return` needs one).
    var functionDepth = 0
    /// How many blocks enclose the current point (a `}` ends one).
    var blockDepth = 0
    /// How many loops enclose the current point within the innermost function body
    /// (`break` and `continue` need one).
    var loopDepth = 0
    /// The brackets enclosing the current point, innermost last, blocks
    /// included. Used to explain errors on lines the lexer joined because a
    /// bracket was left open.
    var openers: [(token: Token, isBlock: Bool)] = []
    /// True while parsing a REPL command's arguments, where a blank at the top level
    /// separates arguments (see `parseCommandArguments`).
    var blanksSeparateArguments = false

    /// Thrown after a diagnostic has been recorded (or the lexer reported the
    /// offending token) to unwind to the enclosing statement.
    struct Abort: Error {}

    private convenience init(file: SourceFile, lexed: Lexer.Result) {
        self.init(file: file, tokens: lexed.tokens)
    }

    /// A parser over tokens already lexed (an f-string field's); they end with `endOfInput`.
    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    // MARK: - Tokens

    var current: Token { tokens[min(position, tokens.count - 1)] }
    var previous: Token { tokens[max(0, min(position - 1, tokens.count - 1))] }

    func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

    var atEnd: Bool { current.kind == .endOfInput }

    func check(_ kind: TokenKind) -> Bool { current.kind == kind }

    @discardableResult
    func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    /// Consumes a token of `kind` or fails with "expected WHAT but found ...".
    @discardableResult
    func expect(_ kind: TokenKind, _ what: String, hint: String? = nil) throws -> Token {
        if check(kind) { return advance() }
        try fail("expected \(what) but found \(current)", hint: hint)
    }

    /// An identifier token's name, or a failure naming what was wanted.
    func expectIdentifier(_ what: String) throws -> Identifier {
        if case .identifier(let name) = current.kind {
            let token = advance()
            return Identifier(name: name, range: token.range)
        }
        var hint: String?
        if case .keyword(let keyword) = current.kind {
            hint = "'\(keyword.rawValue)' is a reserved word; choose another name"
        }
        try fail("expected \(what) but found \(current)", hint: hint)
    }

    // MARK: - Errors

    /// Records a diagnostic at `range` (the current token by default) and
    /// unwinds. An invalid token was already reported by the lexer, so a
    /// failure there records nothing new.
    func fail(_ message: String, at range: SourceRange? = nil, hint: String? = nil) throws -> Never {
        if range != nil || current.kind != .invalid {
            report(message, at: range ?? current.range, hint: unclosedBracketHint() ?? hint)
        }
        throw Abort()
    }

    /// When the failing token starts a later line than the token before it
    /// while a bracket (not a block) is open, the lexer joined the lines
    /// because of that bracket: most likely its closer is missing.
    private func unclosedBracketHint() -> String? {
        guard let (opener, isBlock) = openers.last, !isBlock,
              current.range.start.line > previous.range.end.line else { return nil }
        let closer = opener.kind == .leftParen ? ")" : opener.kind == .leftBracket ? "]" : "}"
        return "is a '\(closer)' missing? the '\(opener.lexeme)' at \(opener.range.start) is still open"
    }

    /// Runs `body` with `opener` recorded as enclosing it.
    func inside<T>(_ opener: Token, isBlock: Bool = false, _ body: () throws -> T) rethrows -> T {
        openers.append((opener, isBlock))
        defer { openers.removeLast() }
        return try body()
    }

    /// Records a diagnostic without unwinding (the parse can go on).
    func report(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(Diagnostic(message, at: range, in: file, hint: hint))
    }

    /// Fails with "unclosed" at the opener when the input ended, otherwise
    /// with "expected CLOSER" at the current token and the opener in the hint.
    func expectClosing(_ kind: TokenKind, _ closer: String, opener: Token, what: String) throws {
        if match(kind) { return }
        if atEnd {
            try fail("unclosed '\(opener.lexeme)'", at: opener.range, hint: "add '\(closer)' to close it")
        }
        try fail("expected \(what) but found \(current)",
                 hint: "to close the '\(opener.lexeme)' at \(opener.range.start)")
    }

    /// Counts one more level of nesting, failing past the limit. `chain` is true when the
    /// level stands for `chainLinksPerLevel` operators of one flat chain, so the error says so.
    func enter(chain: Bool = false) throws {
        if depth >= Parser.maximumNestingDepth {
            nestingExceeded = true
            if chain {
                try fail("too long a chain of operators (more than \(Parser.maximumNestingDepth * Parser.chainLinksPerLevel) in one expression, less the levels of nesting around it)",
                         hint: "split it into several statements with intermediate names")
            }
            try fail("too deeply nested (more than \(Parser.maximumNestingDepth) levels)",
                     hint: "split it into several statements with intermediate names")
        }
        depth += 1
    }

    /// Operators of one flat chain (`1 + 1 + ...`, `x |> f |> g ...`, `a.b.c...`) that count
    /// as one level of nesting. A chain is parsed by a loop, not by recursion, but it builds a
    /// tree as deep as it is long, which the interpreter walks recursively; counting it at
    /// this rate lets a 12,800-operator chain through while keeping the deepest tree any
    /// input can build (nesting and chains together) within the interpreter's stack.
    static let chainLinksPerLevel = 64

    /// One more operator in a flat chain that already has `links` of them; every
    /// `chainLinksPerLevel`-th counts a level. Returns the levels counted so far.
    func chainLink(_ links: inout Int) throws -> Int {
        links += 1
        if links % Parser.chainLinksPerLevel == 0 { try enter(chain: true) }
        return links / Parser.chainLinksPerLevel
    }

    func leave() { depth -= 1 }

    // MARK: - Recovery

    /// Skips to the end of the statement that failed: the next newline or `;`
    /// outside the brackets the statement opened, the `}` that closes the
    /// enclosing block, or the end of input.
    func synchronize(from statementStart: Int) {
        var open: [TokenKind] = []
        func push(_ kind: TokenKind) {
            switch kind {
            case .leftParen, .leftBracket, .leftBrace: open.append(kind)
            case .rightParen, .rightBracket, .rightBrace:
                let opener: TokenKind = kind == .rightParen ? .leftParen : kind == .rightBracket ? .leftBracket : .leftBrace
                if let i = open.lastIndex(of: opener) { open.removeSubrange(i...) }
            default: break
            }
        }
        for token in tokens[statementStart..<min(position, tokens.count)] { push(token.kind) }
        while !atEnd {
            let kind = current.kind
            if open.isEmpty {
                if kind == .newline || kind == .semicolon { advance(); return }
                if kind == .rightBrace, blockDepth > 0 { return }
            }
            if kind == .rightParen || kind == .rightBracket || kind == .rightBrace {
                let opener: TokenKind = kind == .rightParen ? .leftParen : kind == .rightBracket ? .leftBracket : .leftBrace
                if !open.contains(opener), kind == .rightBrace, blockDepth > 0 { return }
            }
            push(kind)
            advance()
        }
    }

    /// Parsing stops after this many diagnostics: later ones are mostly
    /// echoes of the first.
    static let maximumDiagnostics = 50

    /// Set when the nesting limit was hit: the parse stops there, since
    /// recovering level by level would only repeat "unclosed" errors.
    var nestingExceeded = false

    var tooManyErrors: Bool { diagnostics.count >= Parser.maximumDiagnostics }

    /// Skips newlines and `;` between statements.
    func skipSeparators() {
        while check(.newline) || check(.semicolon) { advance() }
    }
}
