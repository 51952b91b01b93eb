// Expressions by precedence climbing (docs/language.md, "Expressions"), lowest first:
//   |>  ·  or  ·  and  ·  not  ·  == != < <= > >= in (not in)  ·  + -  ·  * / % @
//   ·  unary -  ·  ^ (right-assoc)  ·  postfix call/index/member  ·  primary
// Unary minus sits below `^`, so -2^2 is -(2^2) and 2^-1 is 2^(-1).
//
// The infix levels share one loop (`infix(minimum:)`) instead of one function
// per level: a parenthesised sub-expression then costs a handful of stack
// frames rather than a dozen, which matters for deep nesting in debug builds.

extension Parser {
    /// Binding strength of the infix levels (higher binds tighter).
    private enum Precedence {
        static let pipe = 1, or = 2, and = 3, not = 4, comparison = 5, additive = 6, multiplicative = 7
    }

    private enum InfixOperator {
        case pipe
        case binary(BinaryOperator)
    }

    /// A full expression (a pipeline).
    func expression() throws -> Expr {
        try enter()
        defer { leave() }
        return try infix(minimum: Precedence.pipe)
    }

    private func infixOperator(_ kind: TokenKind) -> (precedence: Int, op: InfixOperator)? {
        switch kind {
        case .pipe: return (Precedence.pipe, .pipe)
        case .keyword(.or): return (Precedence.or, .binary(.or))
        case .keyword(.and): return (Precedence.and, .binary(.and))
        case .equalEqual: return (Precedence.comparison, .binary(.equal))
        case .bangEqual: return (Precedence.comparison, .binary(.notEqual))
        case .less: return (Precedence.comparison, .binary(.less))
        case .lessEqual: return (Precedence.comparison, .binary(.lessEqual))
        case .greater: return (Precedence.comparison, .binary(.greater))
        case .greaterEqual: return (Precedence.comparison, .binary(.greaterEqual))
        case .keyword(.in): return (Precedence.comparison, .binary(.in))
        case .keyword(.not) where peek(1).kind == .keyword(.in): return (Precedence.comparison, .binary(.notIn))
        case .plus: return (Precedence.additive, .binary(.add))
        case .minus: return (Precedence.additive, .binary(.subtract))
        case .star: return (Precedence.multiplicative, .binary(.multiply))
        case .slash: return (Precedence.multiplicative, .binary(.divide))
        case .percent: return (Precedence.multiplicative, .binary(.remainder))
        case .at: return (Precedence.multiplicative, .binary(.matmul))
        default: return nil
        }
    }

    /// Operators binding at least as tightly as `minimum`, folded to the
    /// left; `not` is a prefix operator at its own level. Each link deepens
    /// the tree, so a long chain counts towards the nesting limit at the
    /// rate of `chainLinksPerLevel` links per level (see `chainLink`): an
    /// interpreter walking the tree recursively stays within its stack too.
    private func infix(minimum: Int) throws -> Expr {
        var left: Expr
        if minimum <= Precedence.not, check(.keyword(.not)) {
            let keyword = advance()
            try enter()
            defer { leave() }
            let operand = try infix(minimum: Precedence.not)
            left = Expr(.unary(.not, operand, operatorRange: keyword.range), range: keyword.range.union(operand.range))
        } else {
            left = try unary()
        }
        var links = 0, levels = 0
        defer { depth -= levels }
        var comparisons = 0
        while !atCommandFlag, let (precedence, op) = infixOperator(current.kind), precedence >= minimum {
            var operatorToken = advance()
            if case .binary(.notIn) = op {
                // `not in` is two tokens; errors about the operator cover both.
                operatorToken.range = operatorToken.range.union(advance().range)
            }
            levels = try chainLink(&links)
            if precedence == Precedence.comparison {
                comparisons += 1
                if comparisons == 2 { reportChainedComparison(left, operatorToken) }
            }
            let right = try infix(minimum: precedence + 1)
            left = combine(op, left, right, at: operatorToken.range)
        }
        return left
    }

    private func combine(_ op: InfixOperator, _ left: Expr, _ right: Expr, at operatorRange: SourceRange) -> Expr {
        switch op {
        case .pipe: return Expr(.pipe(left, right, operatorRange: operatorRange), range: left.range.union(right.range))
        case .binary(let op):
            return Expr(.binary(op, left, right, operatorRange: operatorRange), range: left.range.union(right.range))
        }
    }

    private func reportChainedComparison(_ left: Expr, _ operatorToken: Token) {
        report("comparisons cannot be chained", at: left.range.union(operatorToken.range),
               hint: "write a < b and b < c")
    }

    private func unary() throws -> Expr {
        guard check(.minus) else { return try power() }
        let minus = advance()
        try enter()
        defer { leave() }
        let operand = try unary()
        return Expr(.unary(.negate, operand, operatorRange: minus.range), range: minus.range.union(operand.range))
    }

    private func power() throws -> Expr {
        let base = try postfix()
        guard check(.caret) else { return base }
        let caret = advance()
        try enter()
        defer { leave() }
        let exponent = try unary()
        return Expr(.binary(.power, base, exponent, operatorRange: caret.range), range: base.range.union(exponent.range))
    }

    // MARK: - Postfix

    private func postfix() throws -> Expr {
        var expr = try primary()
        var links = 0, levels = 0
        defer { depth -= levels }
        while (check(.leftParen) || check(.leftBracket) || check(.dot)) && !startsNextCommandArgument {
            levels = try chainLink(&links)
            expr = try suffix(of: expr)
        }
        return expr
    }

    /// One call `(...)`, index `[...]` or member `.name` after `object`.
    private func suffix(of object: Expr) throws -> Expr {
        let open = advance()
        switch open.kind {
        case .leftParen:
            let arguments = try callArguments(open: open)
            return Expr(.call(object, arguments), range: object.range.union(previous.range))
        case .leftBracket:
            let indices = try commaSeparated(closer: .rightBracket, closerText: "]", open: open, what: "index") {
                try self.indexItem()
            }
            if indices.isEmpty {
                try fail("expected an index inside '[]'", at: open.range.union(previous.range),
                         hint: "write a[i] or a[i, j]")
            }
            return Expr(.index(object, indices), range: object.range.union(previous.range))
        default:
            let name = try expectIdentifier("a member name after '.'")
            return Expr(.member(object, name), range: object.range.union(name.range))
        }
    }

    /// One index `i` or slice `i:j`, `i:j:k` (any part may be left out) inside `[...]`.
    private func indexItem() throws -> Expr {
        let first = current
        var start: Expr?
        if !check(.colon) {
            let index = try expression()
            guard check(.colon) else { return index }
            start = index
        }
        advance()
        func part() throws -> Expr? {
            check(.colon) || check(.comma) || check(.rightBracket) ? nil : try expression()
        }
        let stop = try part()
        var step: Expr?
        if match(.colon) { step = try part() }
        return Expr(.slice(start, stop, step), range: first.range.union(previous.range))
    }

    /// `(a, b, k: v)` after the opening parenthesis: positional arguments
    /// first, keyword labels unique.
    private func callArguments(open: Token) throws -> [Argument] {
        var seenKeyword = false
        var labels: Set<String> = []
        return try commaSeparated(closer: .rightParen, closerText: ")", open: open, what: "argument") {
            if case .identifier(let name) = self.current.kind, self.peek(1).kind == .colon {
                let label = Identifier(name: name, range: self.advance().range)
                self.advance()
                let value = try self.expression()
                if !labels.insert(name).inserted {
                    self.report("keyword argument '\(name)' given twice", at: label.range)
                }
                seenKeyword = true
                return Argument(label: label, value: value)
            }
            let value = try self.expression()
            if seenKeyword {
                self.report("positional argument after keyword arguments", at: value.range,
                            hint: "put positional arguments first: f(a, b, key: value)")
            }
            return Argument(label: nil, value: value)
        }
    }

    /// `item, item, ...` up to the closer (already past the opener); allows
    /// a trailing comma and an empty list.
    func commaSeparated<T>(closer: TokenKind, closerText: String, open: Token, what: String,
                           item: () throws -> T) throws -> [T] {
        try inside(open) { try commaSeparatedItems(closer: closer, closerText: closerText, open: open, what: what, item: item) }
    }

    private func commaSeparatedItems<T>(closer: TokenKind, closerText: String, open: Token, what: String,
                                        item: () throws -> T) throws -> [T] {
        var items: [T] = []
        while !check(closer) {
            if atEnd { break }
            items.append(try item())
            if !match(.comma) { break }
        }
        if match(closer) { return items }
        try failUnclosed(closerText: closerText, open: open, what: what, afterItems: !items.isEmpty)
    }

    /// The error for a comma-separated list that does not continue with
    /// `,` or its closer (kept apart so the list loop's frame stays small).
    private func failUnclosed(closerText: String, open: Token, what: String, afterItems: Bool) throws -> Never {
        if atEnd {
            try fail("unclosed '\(open.lexeme)'", at: open.range, hint: "add '\(closerText)' to close it")
        }
        // On the same line a missing comma is likelier; on a later line, a
        // missing closer (the lexer joined the lines because of the opener).
        let sameLine = current.range.start.line == previous.range.end.line
        let hint: String
        if !sameLine {
            hint = "is a '\(closerText)' missing? the '\(open.lexeme)' at \(open.range.start) is still open"
        } else if canStartExpression(current.kind) && afterItems {
            hint = "separate items with ','; the '\(open.lexeme)' at \(open.range.start) is still open"
        } else {
            hint = "the '\(open.lexeme)' at \(open.range.start) is still open"
        }
        try fail("expected ',' or '\(closerText)' after the \(what) but found \(current)", hint: hint)
    }

    func canStartExpression(_ kind: TokenKind) -> Bool {
        switch kind {
        case .number, .string, .identifier, .leftParen, .leftBracket, .leftBrace, .minus: return true
        case .keyword(let keyword): return [.true, .false, .none, .not, .fn].contains(keyword)
        default: return false
        }
    }
}
