// f-strings (docs/language.md, "Scripting essentials"): the lexer has split the text and lexed each field's expression;
// here each field is parsed by a parser of its own over those tokens.

extension Parser {
    func formatString() throws -> Expr {
        let token = advance()
        guard case .formatString(let parts) = token.kind else { try fail("expected an f-string") }
        var segments: [FormatSegment] = []
        for part in parts {
            switch part {
            case .text(let text):
                segments.append(.text(text))
            case .field(let tokens, let spec, let specRange, _):
                segments.append(.value(try fieldExpression(tokens), spec: spec, specRange: specRange))
            }
        }
        return Expr(.formatString(segments), range: token.range)
    }

    /// One field's expression; its diagnostics join this parser's. The field starts at this
    /// parser's nesting depth, so f-strings cannot be used to nest past the limit.
    private func fieldExpression(_ tokens: [Token]) throws -> Expr {
        let inner = Parser(file: file, tokens: tokens)
        inner.depth = depth
        defer {
            diagnostics += inner.diagnostics
            if inner.nestingExceeded { nestingExceeded = true }
        }
        do {
            let expr = try inner.expression()
            if !inner.atEnd {
                try inner.fail("expected '}' or ':' after the f-string field's expression but found \(inner.current)",
                               hint: "a field holds one expression, as in f\"{x + 1:.2f}\"")
            }
            return expr
        } catch {
            throw Abort()
        }
    }
}
