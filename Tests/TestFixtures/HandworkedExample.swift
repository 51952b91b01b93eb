import NNEngine

/// The one hand-worked network every test target uses: the lecture notes' 2-2-1 sigmoid
/// example (docs/language.md, "The classroom example"), x = [0.5, 0.8], y = 1 and `mse`.
/// The numbers are written once, here; `network()` builds it in the engine and `source` is
/// the same network as nns code. The numbers the notes derive from it (ŷ = 0.727,
/// C = 0.0373, ...) stay in the tests that check them, computed there by hand.
public enum HandworkedExample {
    public static let weight1: [[Float]] = [[0.2, 0.4], [0.3, 0.1]]
    public static let bias1: [Float] = [0.1, 0.2]
    public static let weight2: [[Float]] = [[0.6, 0.5]]
    public static let bias2: [Float] = [0.3]
    /// The input and the target of the notes' worked pass.
    public static let input: [Float] = [0.5, 0.8]
    public static let target: Float = 1

    /// linear(2→2) → sigmoid → linear(2→1) → sigmoid with the notes' weights.
    public static func network() throws -> Network {
        try Network([
            Linear(inputs: 2, outputs: 2, weight: Tensor(rows: weight1), bias: Tensor(bias1)),
            Activation(.sigmoid),
            Linear(inputs: 2, outputs: 1, weight: Tensor(rows: weight2), bias: Tensor(bias2)),
            Activation(.sigmoid),
        ])
    }

    /// `net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2]) |> sigmoid |> ...`
    public static let source = "net = linear(2, 2, weight: \(list(weight1)), bias: \(list(bias1))) |> sigmoid"
        + " |> linear(2, 1, weight: \(list(weight2)), bias: \(list(bias2))) |> sigmoid"

    private static func list(_ xs: [Float]) -> String { "[" + xs.map(ShortestNumber.text).joined(separator: ", ") + "]" }
    private static func list(_ rows: [[Float]]) -> String { "[" + rows.map(list).joined(separator: ", ") + "]" }
}
