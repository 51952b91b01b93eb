import NNEngine

// An S-expression rendering of the syntax tree, for golden tests and for
// looking at how something parsed: `a |> f(1) + 2` is
// `(pipe a (+ (call f 1) 2))`.

extension Expr {
    /// The expression as an S-expression.
    public var sExpression: String {
        switch kind {
        case .number(let value): return ASTPrinter.number(value)
        case .string(let text): return Value.quoted(text)
        case .bool(let value): return value ? "true" : "false"
        case .noneLiteral: return "none"
        case .name(let name): return name
        case .list(let items): return ASTPrinter.form("list", items.map(\.sExpression))
        case .record(let fields):
            return ASTPrinter.form("record", fields.map { "(\($0.key.name) \($0.value.sExpression))" })
        case .unary(let op, let operand, _): return "(\(op.rawValue) \(operand.sExpression))"
        case .binary(let op, let left, let right, _): return "(\(op.rawValue) \(left.sExpression) \(right.sExpression))"
        case .pipe(let left, let right, _): return "(pipe \(left.sExpression) \(right.sExpression))"
        case .call(let callee, let arguments):
            let parts = arguments.map { argument in
                argument.label.map { "\($0.name):\(argument.value.sExpression)" } ?? argument.value.sExpression
            }
            return ASTPrinter.form("call", [callee.sExpression] + parts)
        case .index(let object, let indices):
            return ASTPrinter.form("index", [object.sExpression] + indices.map(\.sExpression))
        case .member(let object, let name): return "(. \(object.sExpression) \(name.name))"
        case .function(let function): return ASTPrinter.function("fn", nil, function)
        case .slice(let start, let stop, let step):
            return ASTPrinter.form("slice", [start, stop, step].map { $0?.sExpression ?? "_" })
        case .formatString(let segments):
            return ASTPrinter.form("fstring", segments.map { segment in
                switch segment {
                case .text(let text): return Value.quoted(text)
                case .value(let expr, let spec, _): return spec.isEmpty ? expr.sExpression : "(\(expr.sExpression) \(Value.quoted(spec)))"
                }
            })
        }
    }
}

extension Stmt {
    /// The statement as an S-expression; a statement ended by `;` is wrapped
    /// in `(silent ...)`.
    public var sExpression: String {
        let text: String
        switch kind {
        case .expression(let expr): text = expr.sExpression
        case .assignment(let target, let value): text = "(= \(target.sExpression) \(value.sExpression))"
        case .functionDeclaration(let name, let function): text = ASTPrinter.function("def", name.name, function)
        case .ifChain(let branches, let elseBlock):
            var parts = branches.flatMap { [$0.condition.sExpression, $0.body.sExpression] }
            if let elseBlock { parts.append("(else \(elseBlock.sExpression))") }
            text = ASTPrinter.form("if", parts)
        case .forLoop(let variable, let iterable, let body):
            text = "(for \(variable.name) \(iterable.sExpression) \(body.sExpression))"
        case .whileLoop(let condition, let body): text = "(while \(condition.sExpression) \(body.sExpression))"
        case .returnStatement(let value): text = value.map { "(return \($0.sExpression))" } ?? "(return)"
        case .importStatement(.path(let path)): text = "(import \(Value.quoted(path)))"
        case .importStatement(.module(let name)): text = "(import \(name))"
        case .breakStatement: text = "(break)"
        case .continueStatement: text = "(continue)"
        }
        return isSilenced ? "(silent \(text))" : text
    }
}

extension Block {
    public var sExpression: String { ASTPrinter.form("block", statements.map(\.sExpression)) }
}

extension AssignTarget {
    public var sExpression: String {
        switch self {
        case .name(let name): return name.name
        case .index(let object, let indices): return ASTPrinter.form("index", [object.sExpression] + indices.map(\.sExpression))
        case .member(let object, let name): return "(. \(object.sExpression) \(name.name))"
        }
    }
}

extension Program {
    /// One S-expression per statement, separated by newlines.
    public var sExpression: String { statements.map(\.sExpression).joined(separator: "\n") }
}

enum ASTPrinter {
    static func form(_ head: String, _ parts: [String]) -> String {
        parts.isEmpty ? "(\(head))" : "(\(head) \(parts.joined(separator: " ")))"
    }

    static func function(_ head: String, _ name: String?, _ function: FunctionLiteral) -> String {
        let parameters = function.parameters.map { parameter in
            parameter.defaultValue.map { "\(parameter.name.name)=\($0.sExpression)" } ?? parameter.name.name
        }
        let body: String
        switch function.body {
        case .expression(let expr): body = expr.sExpression
        case .block(let block): body = block.sExpression
        }
        let prefix = name.map { "\(head) \($0)" } ?? head
        return "(\(prefix) (\(parameters.joined(separator: " "))) \(body))"
    }

    /// Integers without a fraction, others in Swift's shortest round-trip form.
    static func number(_ value: Double) -> String { ShortestNumber.text(value) }
}
