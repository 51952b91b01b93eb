/// One piece of an f-string as the lexer splits it (docs/language.md, "Scripting essentials").
public enum FormatStringPart: Hashable, Sendable {
    case text(String)
    /// `{expression:spec}`: the expression's tokens (ending with `endOfInput`), the spec
    /// after `:` ("" when none) and where the spec and the whole field are.
    case field(tokens: [Token], spec: String, specRange: SourceRange, range: SourceRange)
}

/// f-strings: `f"epoch {i}: loss {l:.4f}"`. The text between fields takes the usual escapes
/// and `{{`/`}}` for literal braces. Each field's expression is lexed by a nested lexer over
/// that stretch of the line, so its tokens and errors point into the file itself; its spec
/// is checked here, so a bad spec is reported before anything runs.
extension Lexer {
    /// f-strings inside f-string fields inside ... beyond this are refused (each level is a
    /// nested lexer, so the depth must stay bounded).
    static let maximumFormatStringNesting = 16

    mutating func formatString() {
        let start = here, startIndex = index
        advance()  // f
        advance()  // "
        var parts: [FormatStringPart] = []
        var text = String.UnicodeScalarView()
        var failed = false
        while true {
            guard let c = peek(), c != "\n" else {
                unterminatedString(start: start, startIndex: startIndex)
                return
            }
            if c == "\"" { advance(); break }
            switch c {
            case "\\":
                escape(into: &text)
            case "{" where peek(1) == "{", "}" where peek(1) == "}":
                text.append(c)
                advance()
                advance()
            case "{":
                if !text.isEmpty { parts.append(.text(String(text))) }
                text = String.UnicodeScalarView()
                guard let field = formatField() else {
                    // The field swallowed the rest of the line: the f-string is one bad token.
                    failed = true
                    if peek() == nil || peek() == "\n" { return finishInvalid(start: start, startIndex: startIndex) }
                    continue
                }
                parts.append(field)
            case "}":
                report("single '}' in an f-string", SourceRange(start: here, end: SourceLocation(line: line, column: column + 1)),
                       hint: "write '}}' for a literal brace")
                failed = true
                advance()
            default:
                text.append(c)
                advance()
            }
        }
        if !text.isEmpty { parts.append(.text(String(text))) }
        if failed { return finishInvalid(start: start, startIndex: startIndex) }
        let lexeme = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        tokens.append(Token(kind: .formatString(parts), lexeme: lexeme, range: SourceRange(start: start, end: here)))
    }

    private mutating func finishInvalid(start: SourceLocation, startIndex: Int) {
        let lexeme = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        tokens.append(Token(kind: .invalid, lexeme: lexeme, range: SourceRange(start: start, end: here)))
    }

    /// `{expression}` or `{expression:spec}` at a `{`; nil (after reporting) when malformed.
    private mutating func formatField() -> FormatStringPart? {
        let braceStart = here
        advance()
        let expressionStart = here, expressionStartIndex = index
        var depth = 0
        scan: while true {
            guard let c = peek(), c != "\n" else { return unclosedField(braceStart) }
            switch c {
            case "(", "[", "{": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "}":
                if depth == 0 { break scan }
                depth -= 1
            case ":" where depth == 0: break scan
            case "\"":
                // A string inside the expression, as in f"{r["lr"]}".
                advance()
                while let d = peek(), d != "\n", d != "\"" {
                    advance()
                    if d == "\\", let e = peek(), e != "\n" { advance() }
                }
                if peek() != "\"" { return unclosedField(braceStart) }
            default: break
            }
            advance()
        }
        let expressionEndIndex = index
        var spec = String.UnicodeScalarView()
        var specRange = SourceRange(at: here)
        if peek() == ":" {
            advance()
            let specStart = here
            while let c = peek(), c != "}", c != "\n", c != "\"" {
                if c == "{" {
                    report("a format spec cannot contain '{'", SourceRange(start: here, end: SourceLocation(line: line, column: column + 1)),
                           hint: "nested fields such as {x:{width}} are not supported; write the spec out")
                    skipRestOfField()
                    return nil
                }
                spec.append(c)
                advance()
            }
            specRange = SourceRange(start: specStart, end: here)
            if peek() != "}" { return unclosedField(braceStart) }
        }
        advance()  // }
        let fieldRange = SourceRange(start: braceStart, end: here)
        let piece = Array(scalars[expressionStartIndex..<expressionEndIndex])
        if piece.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            report("empty expression in f-string braces", fieldRange,
                   hint: "put a value between the braces, as in f\"{x}\"; write '{{' for a literal brace")
            return nil
        }
        let specText = String(spec)
        if case .failure(let problem) = FormatSpec.parse(specText) {
            report(problem.message, specText.isEmpty ? fieldRange : specRange, hint: problem.hint)
            return nil
        }
        guard formatStringNesting < Lexer.maximumFormatStringNesting else {
            report("f-strings nested too deeply (more than \(Lexer.maximumFormatStringNesting) levels)", fieldRange,
                   hint: "compute the inner text first and give it a name")
            return nil
        }
        var inner = Lexer(file: file, piece: piece, line: expressionStart.line, column: expressionStart.column,
                          formatStringNesting: formatStringNesting + 1)
        inner.run()
        diagnostics += inner.diagnostics
        guard inner.diagnostics.isEmpty else { return nil }
        return .field(tokens: inner.tokens, spec: specText, specRange: specRange, range: fieldRange)
    }

    private mutating func unclosedField(_ braceStart: SourceLocation) -> FormatStringPart? {
        report("unclosed '{' in an f-string", SourceRange(start: braceStart, end: SourceLocation(line: braceStart.line, column: braceStart.column + 1)),
               hint: "close the field with '}'; write '{{' for a literal brace")
        while let c = peek(), c != "\n" { advance() }
        return nil
    }

    private mutating func skipRestOfField() {
        while let c = peek(), c != "\n", c != "}", c != "\"" { advance() }
        if peek() == "}" { advance() }
    }
}
