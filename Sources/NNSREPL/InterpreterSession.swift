import Foundation
import NNEngine
import NNSLanguage

/// The REPL's `LanguageSession` over the nns interpreter: entries and command arguments are
/// run on the interpreter's large stack, values are shown as the language prints them.
public final class InterpreterSession: LanguageSession {
    public let interpreter: Interpreter

    public init(interpreter: Interpreter) {
        self.interpreter = interpreter
    }

    public func run(_ entry: String, echo: Bool) throws -> String? {
        let interpreter = self.interpreter
        let result = try interpreter.run(source: entry, name: "<repl>")
        guard echo, !result.echoes.isEmpty else { return nil }
        // Under --json (a piped REPL too) each echoed value is one JSON document, as print's.
        return result.echoes.map { interpreter.printsJSON ? JSONEncoderContext().encode($0) : $0.displayText }.joined(separator: "\n")
    }

    public func isIncomplete(_ source: String) -> Bool { Parser.isIncomplete(source) }

    /// Evaluates one expression (the interpreter moves onto its own stack).
    public func value(_ expression: String) throws -> Value {
        try interpreter.evaluate(expression: expression, name: "<repl>")
    }

    public func network(_ expression: String) throws -> Network {
        let v = try value(expression)
        guard let network = try v.asNetwork() else {
            throw CommandError("`\(expression)` is a \(v.kindName), not a network")
        }
        return network
    }

    public func tensor(_ expression: String) throws -> Tensor {
        let v = try value(expression)
        guard let tensor = try v.asTensor() else {
            throw CommandError("`\(expression)` is a \(v.kindName), not a tensor or a list of numbers")
        }
        return tensor
    }

    public func history(_ expression: String) throws -> History? {
        if case .object(let object) = try value(expression), let h = object as? HistoryValue {
            return h.history
        }
        return nil
    }

    public func loss(_ expression: String) throws -> Loss {
        let name = expression.trimmingCharacters(in: .whitespaces)
        if let loss = Loss(rawValue: name), interpreter.globals.lookup(name) == nil { return loss }
        let v = try value(expression)
        let resolved: String?
        switch v {
        case .string(let s): resolved = s
        case .function(let f): resolved = f.name
        default: resolved = nil
        }
        guard let resolved, let loss = Loss(rawValue: resolved) else {
            throw CommandError("`\(expression)` is not a loss; use one of "
                + Loss.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return loss
    }

    public func runScript(at path: String) throws {
        _ = try interpreter.runFile(at: path)
    }

    public func visibleNames() -> [String] { interpreter.visibleNames + Builtins.names }

    public func bindings() -> [BindingSummary] {
        interpreter.globals.bindings.compactMap { name, value in
            if name == "args", case .list(let list) = value, list.items.isEmpty { return nil }
            return BindingSummary(name: name, kind: value.kindName, detail: InterpreterSession.detail(of: value))
        }
    }

    /// The shape or a one-line preview of a value, for `:vars`. Never prints a large value
    /// whole: lists, records and histories are described by their size.
    static func detail(of value: Value) -> String {
        switch value {
        case .tensor, .parameter:
            return "[" + NumberFormat.shape(value.tensorValue?.shape ?? []) + "]"
        case .network(let n):
            return n.description + "  (\(n.parameterCount) parameters)"
        case .list(let list) where list.items.count > 8:
            return "\(list.items.count) items"
        case .record(let record) where record.fields.count > 8:
            return "\(record.fields.count) fields: " + record.fields.prefix(8).map(\.name).joined(separator: ", ") + ", …"
        case .object(let history as HistoryValue):
            let h = history.history
            guard let last = h.rows.last else { return "no epochs" }
            return "\(h.count) epochs, final loss \(NumberFormat.significant(last.loss, digits: 4))"
                + (h.interrupted ? " (interrupted)" : "")
        case .object(let object):
            if let n = object.length, n > 8 { return "\(n) \(object.kindName == "dataset" ? "samples" : "items")" }
            return oneLine(object.displayText)
        default:
            return oneLine(value.representation)
        }
    }

    /// The first line of `text`, at most 60 characters.
    static func oneLine(_ text: String) -> String {
        let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let more = text.contains("\n") || first.count > 60
        return more ? String(first.prefix(59)) + "…" : first
    }

    public var builtinNames: [String] {
        let user = Set(interpreter.globals.bindings.map(\.name))
        return Array(Set(Builtins.names + interpreter.visibleNames).subtracting(user)).sorted()
    }

    public func help(forBuiltin name: String) -> String? {
        if let builtin = Builtins.all[name] { return builtin.helpText }
        if let text = MathConstants.help(name), !interpreter.globals.bindings.contains(where: { $0.name == name }) {
            return "a constant: " + text
        }
        // The stdlib's names (xor_gate, mlp...) are nns code, not builtins: say what they are.
        // Only the session's own bindings hide them: once loaded, the prelude is an enclosing scope.
        guard !interpreter.globals.bindings.contains(where: { $0.name == name }), CommandInvocation.isIdentifier(name),
              let value = try? self.value(name) else { return nil }
        return "\(name): a \(value.kindName) from the standard library (stdlib/*.nns), written in nns\n"
            + InterpreterSession.detail(of: value)
    }

    public func reset() { interpreter.reset() }

    public func describe(_ error: Error, in entry: String) -> String {
        String(describing: error)
    }
}

extension TerminalHost: InterpreterHost {
    public func write(_ text: String) { Console.out(text) }

    public func trainingProgress(_ progress: TrainingProgress) { report(progress) }

    public func trainingFinished() { finishTraining() }

    public var interruptRequested: Bool { stopRequested }
}

/// Starts the REPL over a fresh interpreter whose host is the terminal. `main.swift` calls
/// this when `nns` is run without a script; the result is the exit status.
public func runREPL(arguments: [String] = [], json: Bool = false) -> Int32 {
    let host = TerminalHost()
    let interpreter = Interpreter(host: host, arguments: arguments)
    interpreter.printsJSON = json
    let session = InterpreterSession(interpreter: interpreter)
    return runREPL(session: session, host: host,
                   banner: "nns \(NNSLanguage.version) — :help for commands, Ctrl-D to quit")
}

/// The host for `nns FILE` and `nns -e`: on a terminal the REPL's (progress bar while
/// training, Ctrl-C stops training after the current step), on a pipe the plain one.
public func scriptHost() -> InterpreterHost {
    guard TerminalInfo.outputIsTerminal else { return StandardOutputHost() }
    return TerminalHost(catchesInterruptWhileTraining: true)
}
