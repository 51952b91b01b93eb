/// An error the engine reports about its input: a message a user can act on, and a hint
/// saying how to fix it. The language layer attaches a source location.
public struct EngineError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
