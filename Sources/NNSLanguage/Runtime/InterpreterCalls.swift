import NNEngine

/// Calling functions, builtins, layers and networks.
extension Interpreter {
    /// Calls any callable value. Errors are located at the call (or the offending argument).
    func call(_ callee: Value, positional: [Value], keywords: [(String, Value)], site: CallSite) throws -> Value {
        switch callee {
        case .function(let function):
            switch function.implementation {
            case .builtin(let builtin):
                return try callBuiltin(builtin, positional: positional, keywords: keywords, site: site)
            case .user(let user):
                return try callUser(user, name: function.name, positional: positional, keywords: keywords, site: site)
            case .native(let arity, let body):
                guard keywords.isEmpty else {
                    throw error("\(function.name): takes no keyword arguments", at: site.range)
                }
                if let arity, positional.count != arity {
                    throw error("\(function.name): takes \(arity) argument\(arity == 1 ? "" : "s"), got \(positional.count)", at: site.range)
                }
                let saved = callSiteRange
                callSiteRange = site.range
                defer { callSiteRange = saved }
                do { return try body(positional, self) } catch { throw located(error, at: site.range) }
            }
        case .layer, .network:
            guard keywords.isEmpty, positional.count == 1 else {
                throw error("a \(callee.kindName) is called with one input, as in net(x)", at: site.range,
                            hint: "the input is a tensor of shape [m, features], a list of numbers, or a number")
            }
            let network = try callee.asNetwork()!
            return try forward(network, positional[0], at: site.range)
        default:
            throw error("a \(callee.kindName) cannot be called", at: site.range,
                        hint: "only functions, builtins, layers and networks take arguments in (...)")
        }
    }

    /// Calls a value from Swift (for builtins such as `train`'s callbacks or `grad`).
    /// Errors are located at the call of the builtin that is calling back.
    public func callValue(_ callee: Value, _ arguments: [Value]) throws -> Value {
        try call(callee, positional: arguments, keywords: [], site: CallSite(range: callSiteRange))
    }

    private func callBuiltin(_ builtin: Builtin, positional: [Value], keywords: [(String, Value)], site: CallSite) throws -> Value {
        let saved = callSiteRange
        callSiteRange = site.range
        defer { callSiteRange = saved }
        do {
            let arguments = try BuiltinArguments.bind(builtin, positional: positional, keywords: keywords, interpreter: self)
            return try builtin.body(arguments)
        } catch let e as BuiltinError {
            let range = e.argument.map { site.range(ofParameter: $0, in: builtin) } ?? site.range
            throw error(e.message, at: range, hint: e.hint)
        } catch let e as EngineError {
            // Engine messages often name the operation already ("onehot: ...").
            let message = e.message.hasPrefix(builtin.name + ":") || e.message.hasPrefix(builtin.name + "(")
                ? e.message : "\(builtin.name): \(e.message)"
            throw error(message, at: site.range, hint: e.hint)
        }
    }

    private func callUser(_ user: UserFunction, name: String, positional: [Value], keywords: [(String, Value)], site: CallSite) throws -> Value {
        let parameters = user.literal.parameters
        guard positional.count <= parameters.count else {
            throw error("\(name): takes at most \(parameters.count) argument\(parameters.count == 1 ? "" : "s"), got \(positional.count)",
                        at: site.range, hint: "\(name) is \(Interpreter.signature(name, parameters))")
        }
        try checkInterrupt(at: site.range)
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > Interpreter.maximumCallDepth {
            throw error("recursion deeper than \(Interpreter.maximumCallDepth) calls", at: site.range,
                        hint: "a function that calls itself needs a case that returns without calling itself again")
        }
        let scope = Environment(parent: user.closure)
        var bound: Set<String> = []
        for (parameter, value) in zip(parameters, positional) {
            scope.define(parameter.name.name, value)
            bound.insert(parameter.name.name)
        }
        for (label, value) in keywords {
            guard parameters.contains(where: { $0.name.name == label }) else {
                throw error("\(name): no parameter named `\(label)`", at: site.keywordRanges[label] ?? site.range,
                            hint: NameSuggestions.hint(for: label, among: parameters.map(\.name.name))
                                ?? "\(name) is \(Interpreter.signature(name, parameters))")
            }
            guard bound.insert(label).inserted else {
                throw error("\(name): parameter `\(label)` given twice", at: site.keywordRanges[label] ?? site.range)
            }
            scope.define(label, value)
        }
        // Defaults are evaluated at call time in the function's own file and scope, so a
        // default may use an earlier parameter (`fn f(n, m = n * 2)`).
        let savedFile = currentFile
        currentFile = user.file
        defer { currentFile = savedFile }
        for parameter in parameters where !bound.contains(parameter.name.name) {
            guard let defaultExpr = parameter.defaultValue else {
                currentFile = savedFile
                throw error("\(name): missing argument `\(parameter.name.name)`", at: site.range,
                            hint: "\(name) is \(Interpreter.signature(name, parameters))")
            }
            scope.define(parameter.name.name, try evaluate(defaultExpr, in: scope))
        }
        switch user.literal.body {
        case .expression(let expr):
            return try evaluate(expr, in: scope)
        case .block(let block):
            if case .returned(let value) = try execute(block, in: scope) { return value }
            return .none
        }
    }

    /// `f(a, b = 1)` for hints.
    static func signature(_ name: String, _ parameters: [Parameter]) -> String {
        "\(name)(" + parameters.map { $0.name.name + ($0.defaultValue == nil ? "" : " = ...") }.joined(separator: ", ") + ")"
    }
}
