import Testing
@testable import NNSLanguage

/// train(..., rule: "perceptron") on the stdlib's gates: the separable ones are learned,
/// XOR is not; a two-layer sigmoid network trained by backpropagation solves XOR.
@Suite struct PerceptronTests {
    func accuracies(_ source: String) throws -> [Double] {
        guard case .list(let l)? = try runNNS(source).value else { return [] }
        return l.items.compactMap(\.asNumber)
    }

    @Test(arguments: ["and_gate", "or_gate", "nand_gate", "nor_gate", "not_gate"])
    func learnsSeparableGates(gate: String) throws {
        let history = try accuracies("""
            net = linear(\(gate).features, 1, init: "zeros") |> step
            train(net, \(gate), rule: "perceptron", epochs: 20, seed: 1).accuracy
            """)
        #expect(history.count == 20)
        #expect(history.last == 1)
        // And the trained unit computes the gate on every row of its truth table.
        let predictions = try accuracies("""
            net = linear(\(gate).features, 1, init: "zeros") |> step
            train(net, \(gate), rule: "perceptron", epochs: 20, seed: 1)
            right = []
            for example in \(gate) { append(right, (example.x |> net)[0] == example.y) }
            [sum(right) / len(\(gate))]
            """)
        #expect(predictions == [1])
    }

    @Test func failsOnXor() throws {
        let history = try accuracies("""
            net = linear(2, 1) |> step
            train(net, xor_gate, rule: "perceptron", epochs: 40, seed: 3).accuracy
            """)
        #expect(history.count == 40)
        #expect(history.allSatisfy { $0 < 1 })
    }

    @Test func twoLayerSigmoidNetworkSolvesXor() throws {
        let outputs = try accuracies("""
            seed(1)
            net = linear(2, 4) |> sigmoid |> linear(4, 1) |> sigmoid
            h = train(net, xor_gate, loss: bce, optimizer: sgd(lr: 2), epochs: 2000, batch: 4)
            list(reshape(xor_gate.x |> net, [4]))
            """)
        #expect(outputs.count == 4)
        let predicted = outputs.map { $0 > 0.5 ? 1.0 : 0.0 }
        #expect(predicted == [0, 1, 1, 0])
    }

    @Test func ruleErrors() {
        #expect(errorHeader("train(linear(2, 1) |> sigmoid, and_gate, rule: \"perceptron\")").contains("linear(n, k) |> step"))
        #expect(errorHeader("train(linear(2, 1) |> step, and_gate, rule: \"hebb\")").contains("rule"))
    }
}
