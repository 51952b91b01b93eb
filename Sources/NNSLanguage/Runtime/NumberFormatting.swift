import NNEngine

/// How the language prints numbers: the engine's one shortest-text formatter.
enum NumberFormatting {
    /// A language number (Float64).
    static func format(_ x: Double) -> String { ShortestNumber.text(x) }

    /// A tensor element (Float32).
    static func format(_ x: Float) -> String { ShortestNumber.text(x) }
}
