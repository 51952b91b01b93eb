// The syntax tree the parser builds and the interpreter walks.
//
// Every node is a value (struct or enum) carrying the SourceRange it was parsed
// from, so a runtime error can point at the exact sub-expression. Shape:
// `Expr { kind: ExprKind, range }` and `Stmt { kind: StmtKind, range, isSilenced }`.

/// A name written in the source, with where it was written.
public struct Identifier: Hashable, Sendable {
    public var name: String
    public var range: SourceRange

    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// An expression with its source range.
public struct Expr: Hashable, Sendable {
    public var kind: ExprKind
    public var range: SourceRange

    public init(_ kind: ExprKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The forms of expression (docs/language.md, "Expressions").
public indirect enum ExprKind: Hashable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    /// The `none` literal.
    case noneLiteral
    case name(String)
    /// `[a, b, c]`
    case list([Expr])
    /// `{lr: 0.1, epochs: 5}`: fields in source order, keys unique.
    case record([RecordField])
    /// `-x`, `not x`. Operators keep where they were written (`operatorRange`), so an
    /// error about the operator points at it without looking at the source text again.
    case unary(UnaryOperator, Expr, operatorRange: SourceRange)
    /// Arithmetic, comparison, membership, `and`/`or` (short-circuit), `@`, `^`.
    /// `operatorRange` covers both words of `not in`.
    case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange)
    /// `a |> b` (left-associative: `a |> b |> c` is `pipe(pipe(a, b), c)`).
    case pipe(Expr, Expr, operatorRange: SourceRange)
    /// `f(a, k: v)`: positional arguments first, then keyword arguments.
    case call(Expr, [Argument])
    /// `a[i]`, `a[i, j]`
    case index(Expr, [Expr])
    /// `a.name`
    case member(Expr, Identifier)
    /// `fn(x, y) => expr` or `fn(x) { statements }`
    case function(FunctionLiteral)
    /// `i:j:k` with any part left out; only inside the brackets of an index (`a[1:3]`).
    case slice(Expr?, Expr?, Expr?)
    /// `f"loss {l:.4f}"`: text and formatted values in order.
    case formatString([FormatSegment])
}

/// One piece of an f-string: literal text, or a value with its format spec (docs/language.md, "Scripting essentials").
public enum FormatSegment: Hashable, Sendable {
    case text(String)
    /// `{expr:spec}`; `spec` is "" when none was written, `specRange` where it is.
    case value(Expr, spec: String, specRange: SourceRange)
}

public enum UnaryOperator: String, Hashable, Sendable {
    case negate = "-"
    case not = "not"
}

public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case matmul = "@", power = "^"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    /// Short-circuit: the right operand is evaluated only when needed.
    case and = "and", or = "or"
    /// Membership (`x in xs`, `x not in xs`), at comparison precedence as in Python.
    case `in` = "in", notIn = "not in"
}

/// One `key: value` of a record literal. Keys are names or string literals.
public struct RecordField: Hashable, Sendable {
    public var key: Identifier
    public var value: Expr

    public init(key: Identifier, value: Expr) {
        self.key = key
        self.value = value
    }
}

/// One call argument; `label` is set for keyword arguments `name: value`.
public struct Argument: Hashable, Sendable {
    public var label: Identifier?
    public var value: Expr

    public init(label: Identifier?, value: Expr) {
        self.label = label
        self.value = value
    }
}

/// A function parameter, optionally with a default (`lr = 0.1`). Parameters
/// with defaults come after those without; names are unique.
public struct Parameter: Hashable, Sendable {
    public var name: Identifier
    public var defaultValue: Expr?

    public init(name: Identifier, defaultValue: Expr?) {
        self.name = name
        self.defaultValue = defaultValue
    }
}

/// A function: from a literal `fn(x) => x` or a declaration `fn f(x) { ... }`.
public struct FunctionLiteral: Hashable, Sendable {
    public var parameters: [Parameter]
    public var body: FunctionBody
    /// From `fn` to the end of the body.
    public var range: SourceRange

    public init(parameters: [Parameter], body: FunctionBody, range: SourceRange) {
        self.parameters = parameters
        self.body = body
        self.range = range
    }
}

public indirect enum FunctionBody: Hashable, Sendable {
    /// `=> expr`: the function returns the expression's value.
    case expression(Expr)
    /// `{ statements }`: returns what `return` gives, else `none`.
    case block(Block)
}

/// `{ statements }` of an `if`, a loop or a function.
public struct Block: Hashable, Sendable {
    public var statements: [Stmt]
    /// From `{` to `}` inclusive.
    public var range: SourceRange

    public init(statements: [Stmt], range: SourceRange) {
        self.statements = statements
        self.range = range
    }
}

/// A statement with its source range.
public struct Stmt: Hashable, Sendable {
    public var kind: StmtKind
    public var range: SourceRange
    /// True when the statement was ended by `;` (the REPL then does not echo
    /// its value).
    public var isSilenced: Bool

    public init(_ kind: StmtKind, range: SourceRange, isSilenced: Bool = false) {
        self.kind = kind
        self.range = range
        self.isSilenced = isSilenced
    }
}

/// The forms of statement (docs/language.md, "Statements").
public indirect enum StmtKind: Hashable, Sendable {
    case expression(Expr)
    /// `target = value`
    case assignment(AssignTarget, Expr)
    /// `fn name(params) { ... }` (or `fn name(params) => expr`)
    case functionDeclaration(Identifier, FunctionLiteral)
    /// `if c { } else if c { } else { }`: the branches in order, then the
    /// optional final `else` block.
    case ifChain([ConditionalBlock], elseBlock: Block?)
    /// `for x in expr { }`
    case forLoop(variable: Identifier, iterable: Expr, body: Block)
    /// `while c { }`
    case whileLoop(condition: Expr, body: Block)
    /// `return` or `return expr` (only inside a function body).
    case returnStatement(Expr?)
    /// `import "path/file.nns"` or `import name`
    case importStatement(ImportTarget)
    /// `break`: leaves the innermost `for`/`while` loop (only inside one).
    case breakStatement
    /// `continue`: goes on with the next round of the innermost loop.
    case continueStatement
}

/// One `if`/`else if` branch.
public struct ConditionalBlock: Hashable, Sendable {
    public var condition: Expr
    public var body: Block

    public init(condition: Expr, body: Block) {
        self.condition = condition
        self.body = body
    }
}

/// The left side of `=`.
public indirect enum AssignTarget: Hashable, Sendable {
    /// `x = ...`
    case name(Identifier)
    /// `a[i] = ...`, `a[i, j] = ...`
    case index(Expr, [Expr])
    /// `a.name = ...`, e.g. `net[0].weight = ...`
    case member(Expr, Identifier)
}

public enum ImportTarget: Hashable, Sendable {
    /// `import "path/file.nns"` (relative to the importing file)
    case path(String)
    /// `import name` for `stdlib/name.nns`
    case module(String)
}

/// A parsed source file or REPL entry.
public struct Program: Hashable, Sendable {
    public var statements: [Stmt]
    public var file: SourceFile

    public init(statements: [Stmt], file: SourceFile) {
        self.statements = statements
        self.file = file
    }
}
