import NNEngine

/// Evaluating expressions.
extension Interpreter {
    func evaluate(_ expr: Expr, in environment: Environment) throws -> Value {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        if evaluationDepth > Interpreter.maximumEvaluationDepth {
            throw error("expression nested too deeply", at: expr.range, hint: "split it into several statements")
        }
        switch expr.kind {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .noneLiteral: return .none
        case .name(let name): return try lookup(name, at: expr.range, in: environment)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item, in: environment)) }
            return .list(values)
        case .record(let fields):
            var values: [(String, Value)] = []
            for field in fields { values.append((field.key.name, try evaluate(field.value, in: environment))) }
            return .record(values)
        case .unary(let op, let operand, _):
            return try unary(op, try evaluate(operand, in: environment), at: expr.range)
        case .binary(.and, let left, let right, _):
            guard try truth(try evaluate(left, in: environment), at: left.range) else { return .bool(false) }
            return .bool(try truth(try evaluate(right, in: environment), at: right.range))
        case .binary(.or, let left, let right, _):
            if try truth(try evaluate(left, in: environment), at: left.range) { return .bool(true) }
            return .bool(try truth(try evaluate(right, in: environment), at: right.range))
        case .binary(let op, let left, let right, _):
            let a = try evaluate(left, in: environment)
            let b = try evaluate(right, in: environment)
            return try binary(op, a, b, at: expr.range)
        case .pipe(let left, let right, let operatorRange):
            let a = try evaluate(left, in: environment)
            let b = try evaluate(right, in: environment)
            return try pipe(a, b, expr: expr, left: left, right: right, operatorRange: operatorRange)
        case .call(let calleeExpr, let arguments):
            return try evaluateCall(calleeExpr, arguments, expr: expr, in: environment)
        case .index(let base, let indices) where indices.contains(where: { if case .slice = $0.kind { return true }; return false }):
            let container = try evaluate(base, in: environment)
            return try slice(container, try sliceItems(indices, in: environment), at: expr.range)
        case .index(let base, let indices):
            let container = try evaluate(base, in: environment)
            var values: [Value] = []
            for index in indices { values.append(try evaluate(index, in: environment)) }
            return try index(container, values, at: expr.range, base: base.range)
        case .member(let base, let name):
            return try member(try evaluate(base, in: environment), name, at: expr.range)
        case .function(let literal):
            return makeFunction(literal, name: "<fn>", in: environment)
        case .slice:
            throw error("a slice `i:j` can only be written inside the brackets of an index, as in a[1:3]", at: expr.range)
        case .formatString(let segments):
            return try formatString(segments, at: expr.range, in: environment)
        }
    }

    /// A name's value: user scopes, then the stdlib prelude (loaded on first use), then builtins.
    func lookup(_ name: String, at range: SourceRange, in environment: Environment) throws -> Value {
        if let value = environment.lookup(name) { return value }
        if let builtin = Builtins.all[name] { return builtinValue(builtin) }
        if StdlibPrelude.names.contains(name) {
            try loadPrelude(at: range)
            if let value = prelude.lookup(name) { return value }
        }
        let candidates = environment.visibleNames + Builtins.names + StdlibPrelude.names
        throw error("unknown name `\(name)`", at: range,
                    hint: NameSuggestions.hint(for: name, among: candidates))
    }

    /// A builtin as a value: a function, which for bare layers (`relu`) also stands for the layer.
    func builtinValue(_ builtin: Builtin) -> Value {
        .function(Function(name: builtin.name, implementation: .builtin(builtin)))
    }

    func makeFunction(_ literal: FunctionLiteral, name: String, in environment: Environment) -> Value {
        .function(Function(name: name, implementation: .user(UserFunction(literal: literal, closure: environment, file: currentFile))))
    }

    // MARK: - Calls

    private func evaluateCall(_ calleeExpr: Expr, _ arguments: [Argument], expr: Expr, in environment: Environment) throws -> Value {
        let callee = try evaluate(calleeExpr, in: environment)
        var positional: [Value] = []
        var keywords: [(String, Value)] = []
        var ranges: [String: SourceRange] = [:]
        var positionalRanges: [SourceRange] = []
        for argument in arguments {
            let value = try evaluate(argument.value, in: environment)
            if let label = argument.label {
                if keywords.contains(where: { $0.0 == label.name }) {
                    throw error("argument `\(label.name)` given twice", at: label.range)
                }
                keywords.append((label.name, value))
                ranges[label.name] = argument.value.range
            } else {
                positional.append(value)
                positionalRanges.append(argument.value.range)
            }
        }
        let site = CallSite(range: expr.range, positionalRanges: positionalRanges, keywordRanges: ranges)
        return try call(callee, positional: positional, keywords: keywords, site: site)
    }
}

/// Where a call was written, so argument errors point at the argument.
struct CallSite {
    var range: SourceRange
    var positionalRanges: [SourceRange] = []
    var keywordRanges: [String: SourceRange] = [:]

    /// The range of the argument bound to parameter `name` of a builtin.
    func range(ofParameter name: String, in builtin: Builtin) -> SourceRange {
        if let r = keywordRanges[name] { return r }
        if let position = builtin.parameters.firstIndex(where: { $0.name == name }),
           position < positionalRanges.count,
           !builtin.parameters[..<position].contains(where: { $0.isVariadic }) {
            return positionalRanges[position]
        }
        return range
    }
}
