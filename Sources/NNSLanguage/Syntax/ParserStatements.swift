// Statements (docs/language.md, "Statements"): assignment, function declaration, if/else, for,
// while, return, import, expression statements.

extension Parser {
    /// The statements of the whole input, recovering after each error.
    func parseStatements() -> [Stmt] {
        var statements: [Stmt] = []
        skipSeparators()
        while !atEnd && !tooManyErrors && !nestingExceeded {
            let start = position
            if check(.rightBrace) {
                report("unexpected '}'", at: current.range, hint: "this '}' closes nothing")
                advance()
            } else {
                do {
                    statements.append(try statement())
                } catch {
                    synchronize(from: start)
                }
            }
            if position == start { advance() }
            skipSeparators()
        }
        return statements
    }

    /// `{ statements }`, with `context` naming what the block belongs to.
    func block(after context: String, hint: String? = nil) throws -> Block {
        guard check(.leftBrace) else {
            var hint = hint
            if check(.newline) { hint = "put the '{' on the same line as \(context)" }
            try fail("expected '{' after \(context) but found \(current)", hint: hint)
        }
        let open = advance()
        try enter()
        blockDepth += 1
        openers.append((open, true))
        defer { leave(); blockDepth -= 1; openers.removeLast() }
        var statements: [Stmt] = []
        skipSeparators()
        while !check(.rightBrace) && !atEnd {
            let start = position
            do {
                statements.append(try statement())
            } catch {
                if tooManyErrors || nestingExceeded { throw error }
                synchronize(from: start)
            }
            if position == start { advance() }
            skipSeparators()
        }
        try expectClosing(.rightBrace, "}", opener: open, what: "'}'")
        return Block(statements: statements, range: open.range.union(previous.range))
    }

    /// One statement, including its terminator (newline, `;`, or nothing
    /// before `}` / end of input).
    func statement() throws -> Stmt {
        var stmt: Stmt
        if case .keyword(let keyword) = current.kind, peek(1).kind == .equal {
            try fail("cannot assign to the reserved word '\(keyword.rawValue)'",
                     hint: "'\(keyword.rawValue)' is a reserved word; choose another name")
        }
        switch current.kind {
        case .keyword(.fn) where peek(1).kind != .leftParen:
            stmt = try functionDeclaration()
        case .keyword(.if):
            stmt = try ifChain()
        case .keyword(.for):
            stmt = try forLoop()
        case .keyword(.while):
            stmt = try whileLoop()
        case .keyword(.return):
            stmt = try returnStatement()
        case .keyword(.import):
            stmt = try importStatement()
        case .keyword(.break), .keyword(.continue):
            stmt = try loopControl()
        case .keyword(.else):
            try fail("'else' without an 'if'",
                     hint: "'else' goes right after the '}' of an if block: if c { ... } else { ... }")
        default:
            stmt = try expressionOrAssignment()
        }
        if match(.semicolon) {
            stmt.isSilenced = true
        } else if !match(.newline) && !check(.rightBrace) && !atEnd {
            var hint: String?
            if check(.equal) { hint = "only one '=' per statement: a = b = c is not allowed" }
            if case .identifier("elif") = current.kind { hint = "write 'else if'" }
            if check(.keyword(.else)) { hint = "'else' must follow the '}' of an if block" }
            try fail("expected the end of the statement (a newline or ';') but found \(current)", hint: hint)
        }
        return stmt
    }

    private func expressionOrAssignment() throws -> Stmt {
        let expr = try expression()
        guard check(.equal) else {
            return Stmt(.expression(expr), range: expr.range)
        }
        advance()
        let target: AssignTarget
        switch expr.kind {
        case .name(let name): target = .name(Identifier(name: name, range: expr.range))
        case .index(let object, let indices): target = .index(object, indices)
        case .member(let object, let name): target = .member(object, name)
        default:
            try fail("cannot assign to \(Self.describe(expr))", at: expr.range,
                     hint: "assign to a name, an element a[i] or a member a.name (or use '==' to compare)")
        }
        let value = try expression()
        return Stmt(.assignment(target, value), range: expr.range.union(value.range))
    }

    private func functionDeclaration() throws -> Stmt {
        let fnToken = advance()
        let name = try expectIdentifier("a function name after 'fn'")
        let function = try functionRest(start: fnToken)
        return Stmt(.functionDeclaration(name, function), range: function.range)
    }

    private func ifChain() throws -> Stmt {
        let start = advance()
        var branches: [ConditionalBlock] = []
        var elseBlock: Block?
        while true {
            let condition = try condition(after: "the 'if' condition")
            let body = try block(after: "the 'if' condition", hint: conditionHint())
            branches.append(ConditionalBlock(condition: condition, body: body))
            guard match(.keyword(.else)) else { break }
            if match(.keyword(.if)) { continue }
            elseBlock = try block(after: "'else'")
            break
        }
        return Stmt(.ifChain(branches, elseBlock: elseBlock), range: start.range.union(previous.range))
    }

    private func forLoop() throws -> Stmt {
        let start = advance()
        let variable = try expectIdentifier("a loop variable after 'for'")
        try expect(.keyword(.in), "'in' after the loop variable", hint: "write: for x in range(10) { ... }")
        let iterable = try condition(after: "'in'")
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block(after: "the 'for' header")
        return Stmt(.forLoop(variable: variable, iterable: iterable, body: body), range: start.range.union(previous.range))
    }

    private func whileLoop() throws -> Stmt {
        let start = advance()
        let condition = try condition(after: "the 'while' condition")
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block(after: "the 'while' condition", hint: conditionHint())
        return Stmt(.whileLoop(condition: condition, body: body), range: start.range.union(previous.range))
    }

    /// The expression of an `if`/`while`/`for` header. A `{` right after the
    /// keyword that does not look like a record (`{}`, `{key: ...`) means the
    /// condition is missing; say so rather than complain about the record.
    private func condition(after context: String) throws -> Expr {
        let looksLikeRecord: Bool
        switch peek(1).kind {
        case .rightBrace: looksLikeRecord = true
        case .identifier, .string: looksLikeRecord = peek(2).kind == .colon
        default: looksLikeRecord = false
        }
        if (check(.leftBrace) && !looksLikeRecord) || check(.newline) || atEnd {
            try fail("expected an expression before \(current) in \(context)")
        }
        return try expression()
    }

    private func conditionHint() -> String? {
        check(.equal) ? "use '==' to compare; '=' assigns" : nil
    }

    private func returnStatement() throws -> Stmt {
        let keyword = advance()
        if functionDepth == 0 {
            try fail("'return' outside a function", at: keyword.range,
                     hint: "'return' can only be used inside fn ... { }")
        }
        if check(.newline) || check(.semicolon) || check(.rightBrace) || atEnd {
            return Stmt(.returnStatement(nil), range: keyword.range)
        }
        let value = try expression()
        return Stmt(.returnStatement(value), range: keyword.range.union(value.range))
    }

    /// `break` or `continue`, only inside a loop of the same function.
    private func loopControl() throws -> Stmt {
        let keyword = advance()
        let isBreak = keyword.kind == .keyword(.break)
        if loopDepth == 0 {
            try fail("'\(keyword.lexeme)' outside a loop", at: keyword.range,
                     hint: isBreak ? "'break' leaves the innermost for or while loop"
                                   : "'continue' skips to the next round of the innermost for or while loop")
        }
        return Stmt(isBreak ? .breakStatement : .continueStatement, range: keyword.range)
    }

    private func importStatement() throws -> Stmt {
        let keyword = advance()
        switch current.kind {
        case .string(let path):
            let token = advance()
            return Stmt(.importStatement(.path(path)), range: keyword.range.union(token.range))
        case .identifier(let name):
            let token = advance()
            return Stmt(.importStatement(.module(name)), range: keyword.range.union(token.range))
        default:
            try fail("expected a file path string or a module name after 'import' but found \(current)",
                     hint: "write import \"path/file.nns\" or import name (for stdlib/name.nns)")
        }
    }

    /// How an expression is named in "cannot assign to ...".
    static func describe(_ expr: Expr) -> String {
        switch expr.kind {
        case .number, .string, .bool, .noneLiteral, .formatString: return "a literal"
        case .call: return "a function call"
        case .binary(let op, _, _, _): return "the result of '\(op.rawValue)'"
        case .unary(let op, _, _): return "the result of '\(op.rawValue)'"
        case .pipe: return "the result of '|>'"
        case .list: return "a list literal"
        case .record: return "a record literal"
        case .function: return "a function literal"
        case .slice: return "a slice"
        case .name, .index, .member: return "this expression"
        }
    }
}
