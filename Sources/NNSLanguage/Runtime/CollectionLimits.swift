import NNEngine

/// How long strings and lists built by `+` and `append` may grow: the bound
/// `list(range(...))` uses (an eighth of the elements one tensor may hold), so a doubling
/// loop such as `for i in range(40) { s = s + s }` stops with an error instead of
/// exhausting the machine's memory.
enum CollectionLimits {
    static var maximumLength: Int { TensorLimits.maximumElements / 8 }

    /// Throws when a string of `length` UTF-8 bytes or a list of `length` items is too long.
    static func check(_ length: Int, _ kind: String) throws {
        guard length > maximumLength else { return }
        throw BuiltinError("this \(kind) would have \(TensorLimits.formatCount(Double(length))) \(kind == "string" ? "bytes" : "items"), more than one may hold (\(TensorLimits.formatCount(Double(maximumLength))))",
                           hint: "a loop that doubles a \(kind) grows it exponentially; build it from fewer pieces")
    }
}
