import Testing
@testable import NNEngine

/// The perceptron rule on the logic gates of the notes: the linearly separable gates are
/// learned exactly, XOR never is.
@Suite struct PerceptronRuleTests {
    static let pairs: [[Float]] = [[0, 0], [0, 1], [1, 0], [1, 1]]

    static func gate(_ truth: (Bool, Bool) -> Bool) throws -> Dataset {
        let y = pairs.map { Float(truth($0[0] == 1, $0[1] == 1) ? 1 : 0) }
        return try Dataset(x: Tensor(shape: [4, 2], scalars: pairs.flatMap { $0 }), y: Tensor(y))
    }

    static func perceptron(inputs: Int) throws -> Network {
        try Network([Linear(inputs: inputs, outputs: 1, weight: Tensor(zeros: [1, inputs]), bias: Tensor(zeros: [1])),
                     Activation(.step)])
    }

    /// step(w·x + b) computed here from the trained weights, independently of the engine
    /// (the step layer gives 1 for z ≥ 0).
    static func outputs(_ network: Network, _ inputs: [[Float]]) -> [Float] {
        let linear = network.layers[0] as! Linear
        let w = linear.weight.value.scalars, b = linear.bias.value.scalars[0]
        return inputs.map { x in zip(w, x).map(*).reduce(b, +) >= 0 ? 1 : 0 }
    }

    @Test(arguments: ["and", "or", "nand", "nor"])
    func learnsSeparableGates(name: String) throws {
        let truth: (Bool, Bool) -> Bool
        switch name {
        case "and": truth = { $0 && $1 }
        case "or": truth = { $0 || $1 }
        case "nand": truth = { !($0 && $1) }
        default: truth = { !($0 || $1) }
        }
        let net = try Self.perceptron(inputs: 2)
        let history = try PerceptronRule.train(net, try Self.gate(truth), epochs: 20, seed: 1)
        #expect(history.rows.last?.accuracy == 1)
        let expected = Self.pairs.map { Float(truth($0[0] == 1, $0[1] == 1) ? 1 : 0) }
        #expect(Self.outputs(net, Self.pairs) == expected)
    }

    @Test func learnsNot() throws {
        let net = try Self.perceptron(inputs: 1)
        let data = try Dataset(x: Tensor(shape: [2, 1], scalars: [0, 1]), y: Tensor([1, 0]))
        let history = try PerceptronRule.train(net, data, epochs: 10, seed: 3)
        #expect(history.rows.last?.accuracy == 1)
        #expect(Self.outputs(net, [[0], [1]]) == [1, 0])
    }

    @Test func failsOnXorEveryEpoch() throws {
        let net = try Self.perceptron(inputs: 2)
        let history = try PerceptronRule.train(net, try Self.gate { $0 != $1 }, epochs: 50, seed: 2)
        #expect(history.count == 50)
        #expect(history.rows.allSatisfy { ($0.accuracy ?? 1) < 1 })
        #expect(history.rows.allSatisfy { ($0.accuracy ?? 1) <= 0.75 })  // a line gets at most 3 of 4 right
        #expect(Self.outputs(net, Self.pairs) != [0, 1, 1, 0])
    }

    @Test func firstEpochByHand() throws {
        // AND from w = 0, b = 0, η = 0.5, in order: (0,0) gives z = 0 → ŷ = 1 ≠ 0, so
        // b ← −0.5 (w unchanged, x = 0); (0,1), (1,0) give z = −0.5 → ŷ = 0 = y; (1,1) gives
        // z = −0.5 → ŷ = 0 ≠ 1, so w ← [0.5, 0.5], b ← 0.
        let net = try Self.perceptron(inputs: 2)
        let history = try PerceptronRule.train(net, try Self.gate { $0 && $1 }, epochs: 1, learningRate: 0.5, shuffle: false)
        let linear = net.layers[0] as! Linear
        #expect(linear.weight.value.scalars == [0.5, 0.5])
        #expect(linear.bias.value.scalars == [0])
        // Now every input gives z ≥ 0: ŷ = [1, 1, 1, 1], so 1 of 4 right; loss = ½·3/4.
        #expect(history.rows[0].accuracy == 0.25)
        #expect(history.rows[0].loss == 0.375)
    }

    @Test func rejectsOtherNetworks() throws {
        let net = try Network([Linear(inputs: 2, outputs: 1), Activation(.sigmoid)])
        #expect(throws: EngineError.self) { try PerceptronRule.train(net, try Self.gate { $0 && $1 }, epochs: 1) }
        #expect(throws: EngineError.self) { try PerceptronRule.train(try Self.perceptron(inputs: 3), try Self.gate { $0 && $1 }, epochs: 1) }
    }
}
