// Expressions by precedence climbing (SPEC §4), lowest first:
//   |>  ·  or  ·  and  ·  not  ·  == != < <= > >=  ·  + -  ·  * / % @
//   ·  unary -  ·  ^ (right-assoc)  ·  postfix call/index/member  ·  primary
// Unary minus sits below `^`, so -2^2 is -(2^2) and 2^-1 is 2^(-1).

extension Parser {
    /// A full expression (a pipeline).
    func expression() throws -> Expr {
        try enter()
        defer { leave() }
        return try leftAssociative(operand: orExpression,
                                   operatorFor: { (kind: TokenKind) -> Pipe? in kind == .pipe ? .pipe : nil },
                                   build: { (_: Pipe, left: Expr, right: Expr) -> ExprKind in .pipe(left, right) })
    }

    private enum Pipe { case pipe }

    private func orExpression() throws -> Expr {
        try binaryLevel(operand: andExpression) { $0 == .keyword(.or) ? .or : nil }
    }

    private func andExpression() throws -> Expr {
        try binaryLevel(operand: notExpression) { $0 == .keyword(.and) ? .and : nil }
    }

    private func notExpression() throws -> Expr {
        guard check(.keyword(.not)) else { return try comparison() }
        let keyword = advance()
        try enter()
        defer { leave() }
        let operand = try notExpression()
        return Expr(.unary(.not, operand), range: keyword.range.union(operand.range))
    }

    private func comparison() throws -> Expr {
        let start = position
        var comparisons = 0
        return try binaryLevel(operand: additive) { [unowned self] kind in
            let op: BinaryOperator?
            switch kind {
            case .equalEqual: op = .equal
            case .bangEqual: op = .notEqual
            case .less: op = .less
            case .lessEqual: op = .lessEqual
            case .greater: op = .greater
            case .greaterEqual: op = .greaterEqual
            default: op = nil
            }
            if op != nil {
                comparisons += 1
                if comparisons == 2 {
                    report("comparisons cannot be chained", at: tokens[start].range.union(current.range),
                           hint: "write a < b and b < c")
                }
            }
            return op
        }
    }

    private func additive() throws -> Expr {
        try binaryLevel(operand: multiplicative) {
            $0 == .plus ? .add : $0 == .minus ? .subtract : nil
        }
    }

    private func multiplicative() throws -> Expr {
        try binaryLevel(operand: unary) { kind in
            switch kind {
            case .star: return .multiply
            case .slash: return .divide
            case .percent: return .remainder
            case .at: return .matmul
            default: return nil
            }
        }
    }

    private func unary() throws -> Expr {
        guard check(.minus) else { return try power() }
        let minus = advance()
        try enter()
        defer { leave() }
        let operand = try unary()
        return Expr(.unary(.negate, operand), range: minus.range.union(operand.range))
    }

    private func power() throws -> Expr {
        let base = try postfix()
        guard match(.caret) else { return base }
        try enter()
        defer { leave() }
        let exponent = try unary()
        return Expr(.binary(.power, base, exponent), range: base.range.union(exponent.range))
    }

    /// One precedence level of left-associative binary operators.
    private func binaryLevel(operand: () throws -> Expr,
                             operatorFor: (TokenKind) -> BinaryOperator?) throws -> Expr {
        try leftAssociative(operand: operand, operatorFor: operatorFor) { op, left, right in
            .binary(op, left, right)
        }
    }

    /// `operand (op operand)*`, folded to the left. Each link deepens the
    /// tree, so it counts towards the nesting limit: an interpreter walking
    /// the tree recursively stays within its stack too.
    private func leftAssociative<Op>(operand: () throws -> Expr,
                                     operatorFor: (TokenKind) -> Op?,
                                     build: (Op, Expr, Expr) -> ExprKind) throws -> Expr {
        var left = try operand()
        var links = 0
        defer { depth -= links }
        while let op = operatorFor(current.kind) {
            advance()
            try enter()
            links += 1
            let right = try operand()
            left = Expr(build(op, left, right), range: left.range.union(right.range))
        }
        return left
    }

    // MARK: - Postfix

    private func postfix() throws -> Expr {
        var expr = try primary()
        var links = 0
        defer { depth -= links }
        while true {
            if check(.leftParen) {
                let open = advance()
                try enter()
                links += 1
                let arguments = try callArguments(open: open)
                expr = Expr(.call(expr, arguments), range: expr.range.union(previous.range))
            } else if check(.leftBracket) {
                let open = advance()
                try enter()
                links += 1
                let indices = try commaSeparated(closer: .rightBracket, closerText: "]", open: open, what: "index") {
                    try self.expression()
                }
                if indices.isEmpty {
                    try fail("expected an index inside '[]'", at: open.range.union(previous.range),
                             hint: "write a[i] or a[i, j]")
                }
                expr = Expr(.index(expr, indices), range: expr.range.union(previous.range))
            } else if match(.dot) {
                try enter()
                links += 1
                let name = try expectIdentifier("a member name after '.'")
                expr = Expr(.member(expr, name), range: expr.range.union(name.range))
            } else {
                return expr
            }
        }
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
        var items: [T] = []
        while !check(closer) {
            if atEnd { break }
            items.append(try item())
            if !match(.comma) { break }
        }
        if match(closer) { return items }
        if atEnd {
            try fail("unclosed '\(open.lexeme)'", at: open.range, hint: "add '\(closerText)' to close it")
        }
        // On the same line a missing comma is likelier; on a later line, a
        // missing closer (the lexer joined the lines because of the opener).
        let sameLine = current.range.start.line == previous.range.end.line
        let hint: String
        if !sameLine {
            hint = "is a '\(closerText)' missing? the '\(open.lexeme)' at \(open.range.start) is still open"
        } else if canStartExpression(current.kind) && !items.isEmpty {
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
