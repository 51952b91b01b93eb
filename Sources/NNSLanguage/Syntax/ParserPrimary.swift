// Primary expressions: literals, names, parentheses, lists, records and
// function literals (plus the parameter list shared with declarations).

extension Parser {
    // Each form has its own function: nested brackets recurse through
    // `primary`, so its stack frame is kept small (debug builds give every
    // local of every branch its own slot).
    func primary() throws -> Expr {
        switch current.kind {
        case .number, .string, .identifier, .keyword(.true), .keyword(.false), .keyword(.none):
            return literalOrName()
        case .leftParen: return try parenthesized()
        case .leftBracket: return try listLiteral()
        case .leftBrace: return try record()
        case .keyword(.fn): return try functionLiteral()
        case .formatString: return try formatString()
        default: try missingExpression()
        }
    }

    private func literalOrName() -> Expr {
        let token = advance()
        switch token.kind {
        case .number(let value): return Expr(.number(value), range: token.range)
        case .string(let text): return Expr(.string(text), range: token.range)
        case .identifier(let name): return Expr(.name(name), range: token.range)
        case .keyword(.none): return Expr(.noneLiteral, range: token.range)
        default: return Expr(.bool(token.kind == .keyword(.true)), range: token.range)
        }
    }

    private func parenthesized() throws -> Expr {
        let open = advance()
        if check(.rightParen) {
            try fail("expected an expression inside '()' but found ')'", at: open.range.union(current.range))
        }
        let inner = try inside(open) {
            let inner = try expression()
            try expectClosing(.rightParen, ")", opener: open, what: "')'")
            return inner
        }
        return Expr(inner.kind, range: open.range.union(previous.range))
    }

    private func listLiteral() throws -> Expr {
        let open = advance()
        let items = try commaSeparated(closer: .rightBracket, closerText: "]", open: open, what: "list element") {
            try self.expression()
        }
        return Expr(.list(items), range: open.range.union(previous.range))
    }

    private func functionLiteral() throws -> Expr {
        let keyword = advance()
        guard check(.leftParen) else {
            try fail("expected '(' after 'fn' but found \(current)",
                     hint: "a function literal is fn(x) => x + 1; a named one is a statement: fn f(x) { ... }")
        }
        let function = try functionRest(start: keyword)
        return Expr(.function(function), range: function.range)
    }

    private func missingExpression() throws -> Never {
        try fail("expected an expression but found \(current)", hint: missingExpressionHint())
    }

    private func missingExpressionHint() -> String? {
        let previousKind = position > 0 ? previous.kind : nil
        switch current.kind {
        case .equal where [.plus, .minus, .star, .slash, .percent, .caret].contains(previousKind)
                && previous.range.end == current.range.start:
            return "nns has no '\(previous.lexeme)='; write x = x \(previous.lexeme) y"
        case .star where previousKind == .star:
            return "use '^' for powers, as in 2^3"
        case .plus where !(previousKind?.endsExpression ?? false):
            return "there is no unary '+'; drop it"
        case .keyword(let keyword) where [.if, .for, .while, .return, .import, .else, .break, .continue].contains(keyword):
            return "'\(keyword.rawValue)' starts a statement; it cannot appear inside an expression"
        case .endOfInput:
            return "the input ends in the middle of an expression"
        case .pipe:
            return "'|>' needs a value on its left (in the REPL, end the previous line with '|>' to continue it)"
        default:
            return nil
        }
    }

    /// `{key: value, ...}`; keys are names or strings, each once.
    private func record() throws -> Expr {
        let open = advance()
        var keys: Set<String> = []
        let fields = try commaSeparated(closer: .rightBrace, closerText: "}", open: open, what: "record field") {
            () throws -> RecordField in
            let key: Identifier
            switch self.current.kind {
            case .identifier(let name), .string(let name):
                key = Identifier(name: name, range: self.advance().range)
            default:
                try self.fail("expected a record key (a name or a string) but found \(self.current)",
                              hint: "records are written {name: value, other: value}")
            }
            try self.expect(.colon, "':' after the record key '\(key.name)'",
                            hint: "records are written {name: value, other: value}")
            let value = try self.expression()
            if !keys.insert(key.name).inserted {
                self.report("duplicate key '\(key.name)' in record", at: key.range)
            }
            return RecordField(key: key, value: value)
        }
        return Expr(.record(fields), range: open.range.union(previous.range))
    }

    /// `(params) => expr` or `(params) { statements }` after `fn` (and the
    /// name, for a declaration).
    func functionRest(start: Token) throws -> FunctionLiteral {
        let open = try expect(.leftParen, "'(' to start the parameter list")
        var names: Set<String> = []
        var sawDefault = false
        let parameters = try commaSeparated(closer: .rightParen, closerText: ")", open: open, what: "parameter") {
            () throws -> Parameter in
            let name = try self.expectIdentifier("a parameter name")
            var defaultValue: Expr?
            if self.match(.equal) {
                defaultValue = try self.expression()
                sawDefault = true
            } else if sawDefault {
                self.report("parameter '\(name.name)' needs a default value", at: name.range,
                            hint: "parameters with defaults must come after those without")
            }
            if !names.insert(name.name).inserted {
                self.report("duplicate parameter '\(name.name)'", at: name.range)
            }
            return Parameter(name: name, defaultValue: defaultValue)
        }
        functionDepth += 1
        // A loop outside the function is not one `break` in its body may leave.
        let enclosingLoops = loopDepth
        loopDepth = 0
        defer { functionDepth -= 1; loopDepth = enclosingLoops }
        if match(.arrow) {
            let body = try expression()
            return FunctionLiteral(parameters: parameters, body: .expression(body), range: start.range.union(body.range))
        }
        guard check(.leftBrace) else {
            try fail("expected '=>' or '{' after the parameter list but found \(current)",
                     hint: check(.newline) ? "put the '{' on the same line as the parameter list"
                                           : "write fn(x) => x + 1 or fn(x) { return x + 1 }")
        }
        let body = try block(after: "the parameter list")
        return FunctionLiteral(parameters: parameters, body: .block(body), range: start.range.union(body.range))
    }
}
