import Testing
@testable import NNSLanguage

/// What a layer or network prints, typed back, builds the same network: an equal `summary`
/// (layers, output shapes, parameter counts) for networks of every layer of the language.
@Suite struct PrintedFormTests {
    static let networks = [
        "linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax",
        "linear(2, 2, weight: [[0.15, 0.2], [0.25, 0.3]], bias: [0.35, 0.35]) |> sigmoid |> linear(2, 1) |> sigmoid",
        "linear(3, 4, init: \"he\") |> batchnorm(4) |> leaky_relu(alpha: 0.2) |> dropout(0.25) |> linear(4, 4) |> elu(alpha: 0.5)",
        "linear(4, 5) |> gelu |> silu |> softplus |> tanh |> identity |> linear(5, 1) |> step",
        "leaky_relu |> elu |> dropout(0.5)",
        "linear(6, 3) |> leaky_relu(alpha: 0.013) |> linear(3, 3) |> softmax",
    ]

    @Test(arguments: networks)
    func printedFormBuildsAnEqualNetwork(source: String) throws {
        let printed = try evalText(source)
        #expect(!printed.contains("→"))
        let again = try evalText(printed)
        #expect(again == printed, "the printed form prints the same")
        let table = try runNNS("summary(\(source))").output
        #expect(table.contains("total parameters"))
        #expect(try runNNS("summary(\(printed))").output == table)
    }
}
