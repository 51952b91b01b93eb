import NNEngine

/// Everything the REPL asks of the language. The REPL presents; the language evaluates.
/// `InterpreterSession` implements it over the nns interpreter; tests use small fakes.
///
/// Expressions arrive as nns source text (command arguments are nns expressions).
public protocol LanguageSession: AnyObject {
    /// Runs one complete entry in the session's environment. Returns the text to echo for
    /// the entry's value (nil when the value is `none` or `echo` is false). Bindings made
    /// before an error are kept.
    func run(_ entry: String, echo: Bool) throws -> String?

    /// True when `source` needs more lines: open brackets, or a last line ending with `|>`
    /// or a binary operator (the language's own rule; the REPL shows `...> `).
    func isIncomplete(_ source: String) -> Bool

    /// Evaluates an expression that must give a network.
    func network(_ expression: String) throws -> Network
    /// Evaluates an expression that must give a tensor (nested number lists convert).
    func tensor(_ expression: String) throws -> Tensor

    /// The training history an expression evaluates to, or nil when it is something else.
    func history(_ expression: String) throws -> History?

    /// The loss function named by the nns expression `expression` (`mse`, `cross_entropy`,
    /// or a name bound to one).
    func loss(_ expression: String) throws -> Loss

    /// Runs a script file in the session (`:load FILE.nns`); its bindings stay.
    func runScript(at path: String) throws

    /// The session's bindings, for `:vars`.
    func bindings() -> [BindingSummary]
    /// Every name code can use here: bindings, the stdlib's names, builtins (for Tab).
    func visibleNames() -> [String]
    /// Names of all builtins (for completion and `:help`).
    var builtinNames: [String] { get }
    /// The help text of a builtin, from the language's registry.
    func help(forBuiltin name: String) -> String?
    /// Forgets every user binding (`:reset`).
    func reset()
    /// An error as the user should read it (position, caret, hint), given the entry that
    /// caused it.
    func describe(_ error: Error, in entry: String) -> String
}

/// One binding as `:vars` shows it.
public struct BindingSummary: Equatable {
    public var name: String
    /// The value's kind: `network`, `tensor`, `number`, `history`...
    public var kind: String
    /// Shape, size or a short preview (`tensor[2×2]`, `linear(2→2) |> sigmoid`).
    public var detail: String

    public init(name: String, kind: String, detail: String) {
        self.name = name
        self.kind = kind
        self.detail = detail
    }
}
