/// The reserved words (docs/language.md, "Lexical structure").
public enum Keyword: String, CaseIterable, Sendable {
    case fn, `if`, `else`, `for`, `in`, `while`, `return`, `import`
    case `true`, `false`, none, and, or, not
    case `break`, `continue`
}

/// What a token is. Literal payloads are already decoded: a number's value,
/// a string's text after escapes, an identifier's name.
public enum TokenKind: Hashable, Sendable {
    case number(Double)
    case string(String)
    case identifier(String)
    case keyword(Keyword)
    /// `f"epoch {i}: {loss:.4f}"`: its text pieces and the tokens of each `{...}` field.
    case formatString([FormatStringPart])

    case pipe                 // |>
    case plus, minus, star, slash, percent, at, caret      // + - * / % @ ^
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case equal                // =
    case arrow                // =>
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, colon, semicolon, dot

    /// A newline that ends a statement. The lexer emits one only where docs/language.md ("Lexical structure")
    /// says a newline is significant (see `Lexer`).
    case newline
    /// A malformed token; the lexer has already reported a diagnostic for it,
    /// so the parser gives up on the statement silently.
    case invalid
    case endOfInput
}

/// One token with its source text and where it is.
public struct Token: Hashable, Sendable, CustomStringConvertible {
    public var kind: TokenKind
    /// The exact source text (empty for `endOfInput`, "\n" for `newline`).
    public var lexeme: String
    public var range: SourceRange

    public init(kind: TokenKind, lexeme: String, range: SourceRange) {
        self.kind = kind
        self.lexeme = lexeme
        self.range = range
    }

    /// How the token is named in an error message: `'|>'`, `number 42`,
    /// `name 'x'`, `keyword 'fn'`, `end of input`.
    public var description: String {
        switch kind {
        case .number: return "number \(lexeme)"
        case .string, .formatString: return "string \(lexeme)"
        case .identifier(let name): return "name '\(name)'"
        case .keyword(let keyword): return "keyword '\(keyword.rawValue)'"
        case .newline: return "end of line"
        case .endOfInput: return "end of input"
        case .invalid: return "'\(lexeme)'"
        default: return "'\(lexeme)'"
        }
    }
}

extension TokenKind {
    /// True for tokens after which a newline does not end the statement:
    /// binary operators, `|>`, `=`, `=>`, `,`, `.`, `:`, `not`, `in` and `else`.
    var continuesLine: Bool {
        switch self {
        case .pipe, .plus, .minus, .star, .slash, .percent, .at, .caret,
             .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
             .equal, .arrow, .comma, .dot, .colon:
            return true
        case .keyword(let keyword):
            return keyword == .and || keyword == .or || keyword == .not || keyword == .else || keyword == .in
        default:
            return false
        }
    }

    /// True for tokens that can end an expression; a `{` after one of them
    /// (or after `else`) opens a block, anywhere else it opens a record.
    var endsExpression: Bool {
        switch self {
        case .number, .string, .formatString, .identifier, .rightParen, .rightBracket, .rightBrace:
            return true
        case .keyword(let keyword):
            return keyword == .true || keyword == .false || keyword == .none
        default:
            return false
        }
    }
}
