import Foundation
import NNEngine

/// The tree-walking interpreter (jlox's shape): runs parsed programs statement by statement
/// over environments, calling the engine for everything numeric.
///
///     let interpreter = Interpreter(host: StandardOutputHost())
///     let result = try interpreter.run(source: "x = 1 + 1", name: "<repl>")
///     for value in result.echoes { print(value) }
///
/// Errors are thrown as `Diagnostic` (runtime) or `DiagnosticList` (parse). Bindings survive
/// errors, so a REPL session keeps its state.
public final class Interpreter {
    /// Where output goes and whether the user asked to stop.
    public var host: InterpreterHost
    /// When true, `print` writes each value as one JSON document (`--json`).
    public var printsJSON = false
    /// This interpreter's random stream: `seed(n)`, weight initialisation, `rand`/`randn`,
    /// dropout masks, shuffling and `split` all draw from it, so two interpreters in one
    /// process (parallel tests, an embedding app) never disturb each other's reproducibility.
    public let random = RandomSource(seed: 0)
    /// The user's top-level bindings (`:vars` lists `globals.bindings`).
    public let globals: Environment
    /// The stdlib's gate data sets and `mlp`, loaded on first use of one of its names.
    let prelude: Environment
    var preludeState: PreludeState = .notLoaded
    /// Where `import name` looks; nil until first needed (found by `StdlibLocator`).
    public var stdlibDirectory: URL?

    /// Files already imported (by absolute path), so each runs once.
    var importedFiles: Set<String> = []
    /// The file whose code is running, for diagnostics' locations.
    var currentFile = SourceFile(name: "<input>", text: "")
    /// The directory relative imports resolve against.
    var currentDirectory: URL

    /// The call of the builtin now running, where errors of values it calls back are shown.
    var callSiteRange = SourceRange(at: SourceLocation(line: 1, column: 1))
    /// Calls in progress, to stop runaway recursion with an error instead of a crash.
    var callDepth = 0
    public static let maximumCallDepth = 1000
    /// Nested evaluations in progress (expressions inside expressions, blocks in blocks).
    var evaluationDepth = 0
    static let maximumEvaluationDepth = 20_000

    enum PreludeState { case notLoaded, loading, loaded }

    /// A new interpreter; `arguments` become the list `args`.
    public init(host: InterpreterHost = StandardOutputHost(), arguments: [String] = []) {
        self.host = host
        prelude = Environment()
        globals = Environment(parent: prelude)
        for constant in MathConstants.all { prelude.define(constant.name, constant.value) }
        currentDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        globals.define("args", .list(arguments.map { Value.string($0) }))
    }

    /// What running a piece of source produced.
    public struct RunResult {
        /// Values the REPL echoes, in order: each bind or expression statement's value,
        /// unless silenced by `;` or `none`.
        public var echoes: [Value]
        /// The value of the final statement when it is an expression (not an assignment)
        /// whose value is not `none` and that no `;` silences: what `nns -e` and scripts
        /// print at the end.
        public var finalValue: Value?
    }

    /// Parses and runs `source` at top level. `directory` is where `import "file.nns"`
    /// looks (default: the current directory).
    @discardableResult
    public func run(source: String, name: String, directory: URL? = nil) throws -> RunResult {
        try NNSLanguage.withInterpreterStack {
            let program = try Parser.parseProgram(SourceFile(name: name, text: source))
            return try self.run(program, directory: directory)
        }
    }

    /// Runs a script file (its imports resolve next to it).
    @discardableResult
    public func runFile(at path: String) throws -> RunResult {
        let url = URL(fileURLWithPath: path)
        let text: String
        switch SourceText.read(path) {
        case .success(let t): text = t
        case .failure(let failure): throw ScriptFileError(path: path, reason: failure.reason)
        }
        importedFiles.insert(url.standardizedFileURL.path)
        return try run(source: text, name: path, directory: url.deletingLastPathComponent())
    }

    /// Runs a parsed program at top level.
    @discardableResult
    public func run(_ program: Program, directory: URL? = nil) throws -> RunResult {
        // Deep recursion needs the big stack. The entry points (this, `run(source:)`,
        // `evaluate(expression:)`) are where every caller is moved there, so hosts (the REPL,
        // the kernel, `nns -e`) call them from any thread.
        if !NNSLanguage.isOnInterpreterStack {
            return try NNSLanguage.withInterpreterStack { try self.run(program, directory: directory) }
        }
        let savedFile = currentFile, savedDirectory = currentDirectory
        currentFile = program.file
        if let directory { currentDirectory = directory }
        defer {
            currentFile = savedFile
            currentDirectory = savedDirectory
            callDepth = 0
            evaluationDepth = 0
        }
        var result = RunResult(echoes: [], finalValue: nil)
        for (index, statement) in program.statements.enumerated() {
            let outcome = try executeTopLevel(statement)
            if let value = outcome, !value.isNone, !statement.isSilenced { result.echoes.append(value) }
            if index == program.statements.count - 1, case .expression = statement.kind,
               let value = outcome, !value.isNone, !statement.isSilenced {
                result.finalValue = value
            }
        }
        return result
    }

    /// Evaluates one expression in the global scope (REPL commands such as `:grad NET X Y`).
    public func evaluate(expression source: String, name: String = "<input>") throws -> Value {
        if !NNSLanguage.isOnInterpreterStack {
            return try NNSLanguage.withInterpreterStack { try self.evaluate(expression: source, name: name) }
        }
        let file = SourceFile(name: name, text: source)
        let expr = try Parser.parseExpression(file)
        let savedFile = currentFile
        currentFile = file
        defer { currentFile = savedFile; callDepth = 0; evaluationDepth = 0 }
        return try evaluate(expr, in: globals)
    }

    /// The value bound to a name as user code would see it (globals, stdlib, builtins).
    public func lookup(_ name: String) -> Value? {
        if let value = globals.lookup(name) { return value }
        if let builtin = Builtins.all[name] { return builtinValue(builtin) }
        return nil
    }

    /// Clears the user's bindings (`:reset`); `args` and imports are forgotten too.
    public func reset() {
        globals.removeAll()
        globals.define("args", .list([]))
        importedFiles = []
    }

    /// Every name visible at top level: user bindings, the stdlib's names, builtins.
    public var visibleNames: [String] {
        globals.visibleNames + StdlibPrelude.names + Builtins.names
    }

    // MARK: - Statements

    /// Runs one top-level statement; returns the value the REPL would echo.
    private func executeTopLevel(_ statement: Stmt) throws -> Value? {
        switch statement.kind {
        case .expression(let expr):
            return try evaluate(expr, in: globals)
        case .assignment(let target, let expr):
            let value = try evaluate(expr, in: globals)
            try assign(value, to: target, in: globals)
            return value
        case .returnStatement:
            throw error("`return` outside a function", at: statement.range,
                        hint: "`return` ends a function; at top level, just write the value")
        default:
            if case .returned = try execute(statement, in: globals) {
                throw error("`return` outside a function", at: statement.range)
            }
            return nil
        }
    }

    /// How a statement ended: normally, by `return` with a value, or by `break`/`continue`
    /// (which the parser allows only inside a loop, so only a loop sees them).
    enum Flow {
        case normal
        case returned(Value)
        case broke
        case continued
    }

    func execute(_ block: Block, in environment: Environment) throws -> Flow {
        for statement in block.statements {
            let flow = try execute(statement, in: environment)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func execute(_ statement: Stmt, in environment: Environment) throws -> Flow {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        if evaluationDepth > Interpreter.maximumEvaluationDepth {
            throw error("blocks nested too deeply", at: statement.range)
        }
        switch statement.kind {
        case .expression(let expr):
            _ = try evaluate(expr, in: environment)
        case .assignment(let target, let expr):
            try assign(try evaluate(expr, in: environment), to: target, in: environment)
        case .functionDeclaration(let name, let literal):
            environment.define(name.name, makeFunction(literal, name: name.name, in: environment))
        case .ifChain(let branches, let elseBlock):
            for branch in branches {
                if try truth(try evaluate(branch.condition, in: environment), at: branch.condition.range) {
                    return try execute(branch.body, in: environment)
                }
            }
            if let elseBlock { return try execute(elseBlock, in: environment) }
        case .forLoop(let variable, let iterable, let body):
            return try executeFor(variable: variable, iterable: iterable, body: body, in: environment)
        case .whileLoop(let condition, let body):
            loop: while try truth(try evaluate(condition, in: environment), at: condition.range) {
                try checkInterrupt(at: statement.range)
                switch try execute(body, in: environment) {
                case .returned(let value): return .returned(value)
                case .broke: break loop
                case .normal, .continued: continue
                }
            }
        case .returnStatement(let expr):
            return .returned(try expr.map { try evaluate($0, in: environment) } ?? .none)
        case .importStatement(let target):
            try importModule(target, at: statement.range)
        case .breakStatement:
            return .broke
        case .continueStatement:
            return .continued
        }
        return .normal
    }

    private func executeFor(variable: Identifier, iterable: Expr, body: Block, in environment: Environment) throws -> Flow {
        let sequence = try evaluate(iterable, in: environment)
        let count: Int
        let element: (Int) throws -> Value
        switch sequence {
        case .list(let list):
            // Iterate over a snapshot so the body may append to the list without looping forever.
            let items = list.items
            count = items.count
            element = { items[$0] }
        case .string(let s):
            let characters = s.map { Value.string(String($0)) }
            count = characters.count
            element = { characters[$0] }
        case .tensor, .parameter:
            let t = sequence.tensorValue!
            guard t.rank >= 1 else {
                throw error("cannot loop over a 0-d tensor", at: iterable.range, hint: "a 0-d tensor holds a single number")
            }
            count = t.shape[0]
            element = { Value.fromTensorElement(try t.at([$0])) }
        case .network(let network):
            let layers = network.layers
            count = layers.count
            element = { .layer(layers[$0]) }
        case .record(let record):
            let names = record.fields.map(\.name)
            count = names.count
            element = { .string(names[$0]) }
        case .object(let object):
            guard let n = object.length else {
                throw error("cannot loop over a \(object.kindName)", at: iterable.range)
            }
            count = n
            element = { [unowned self] i in
                do {
                    guard let value = try object.element(at: i) else { throw BuiltinError("cannot index a \(object.kindName)") }
                    return value
                } catch { throw self.located(error, at: iterable.range) }
            }
        default:
            throw error("cannot loop over a \(sequence.kindName)", at: iterable.range,
                        hint: "`for` runs over lists, ranges (`range(n)`), tensors' rows, datasets and strings")
        }
        var i = 0
        while i < count {
            try checkInterrupt(at: iterable.range)
            environment.define(variable.name, try element(i))
            switch try execute(body, in: environment) {
            case .returned(let value): return .returned(value)
            case .broke: return .normal
            case .normal, .continued: break
            }
            i += 1
        }
        return .normal
    }

    /// Throws when the host asks to stop (Ctrl-C in the REPL).
    func checkInterrupt(at range: SourceRange) throws {
        if host.interruptRequested {
            throw error("interrupted", at: range)
        }
    }

    /// The truth of a condition: bools; numbers (0 is false); none is false; a one-element
    /// tensor by its element. Anything else is an error rather than a guess.
    func truth(_ value: Value, at range: SourceRange) throws -> Bool {
        switch value {
        case .bool(let b): return b
        case .number(let x): return x != 0
        case .none: return false
        case .tensor, .parameter, .traced:
            let t = value.tensorValue!
            guard t.count == 1 else {
                throw error("a tensor of shape \(ShapeText.format(t.shape)) is not true or false", at: range,
                            hint: "compare with a number or use sum(...)/max(...) to reduce it")
            }
            return t.scalars[0] != 0
        default:
            throw error("a \(value.kindName) is not true or false", at: range,
                        hint: "write a comparison such as `len(x) > 0`")
        }
    }

    // MARK: - Errors

    /// A diagnostic at `range` in the running file.
    func error(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
        Diagnostic(message, at: range, in: currentFile, hint: hint)
    }

    /// Turns an error from a builtin or the engine into a diagnostic at `range`; diagnostics
    /// already located pass through.
    func located(_ error: Error, at range: SourceRange) -> Error {
        switch error {
        case let d as Diagnostic: return d
        case let d as DiagnosticList: return d
        case let e as BuiltinError: return self.error(e.message, at: range, hint: e.hint)
        case let e as EngineError: return self.error(e.message, at: range, hint: e.hint)
        default: return self.error("\(error)", at: range)
        }
    }
}

/// A script file that cannot be read.
public struct ScriptFileError: Error, CustomStringConvertible {
    public var path: String
    /// The system's or the decoder's reason ("No such file or directory", "not UTF-8 text").
    public var reason: String = "no such file, or not UTF-8 text"
    public var description: String { "cannot read \(path): \(reason)" }
}

extension Value {
    /// A tensor element read by indexing: a 0-d result becomes a number.
    static func fromTensorElement(_ t: Tensor) -> Value {
        t.rank == 0 ? .number(fromFloat: t.scalars[0]) : .tensor(t)
    }

    /// A Float32 element as a language number: the Double nearest its shortest decimal form,
    /// so `t[0]` holding 0.52 prints `0.52`, not `0.5199999809265137`.
    static func number(fromFloat x: Float) -> Value {
        guard x.isFinite else { return .number(Double(x)) }
        return .number(Double(x.description) ?? Double(x))
    }
}
