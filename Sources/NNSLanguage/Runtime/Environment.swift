/// A scope: bindings from names to values, and the enclosing scope (jlox's Environment).
///
/// Functions capture the environment they were written in; each call gets a new scope whose
/// parent is that captured one. Blocks of `if`/`for`/`while` do not open scopes, as in
/// Python: a name bound in a loop is visible after it.
public final class Environment {
    public let parent: Environment?
    private(set) var values: [String: Value] = [:]
    /// Names in the order they were first bound, so `:vars` lists them as written.
    private(set) var order: [String] = []

    public init(parent: Environment? = nil) {
        self.parent = parent
    }

    /// The value bound to `name` here or in an enclosing scope.
    public func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            if let value = current.values[name] { return value }
            scope = current.parent
        }
        return nil
    }

    /// Binds `name` in this scope. Assignment always binds in the current function's scope,
    /// as in Python: a helper function's `i = 0` never changes a global `i`.
    public func define(_ name: String, _ value: Value) {
        if values.updateValue(value, forKey: name) == nil { order.append(name) }
    }

    /// Removes every binding of this scope.
    public func removeAll() {
        values = [:]
        order = []
    }

    /// The bindings of this scope in the order they were first made.
    public var bindings: [(name: String, value: Value)] {
        order.compactMap { name in values[name].map { (name: name, value: $0) } }
    }

    /// Every name visible from here (for hints and completion).
    public var visibleNames: [String] {
        var names: [String] = []
        var scope: Environment? = self
        while let current = scope {
            names += current.order
            scope = current.parent
        }
        return names
    }

}
