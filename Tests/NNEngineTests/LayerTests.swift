import Foundation
import Testing
@testable import NNEngine

struct LayerTests {
    @Test func descriptionsAreTheSourceThatBuildsThem() throws {
        #expect(try Linear(inputs: 2, outputs: 2).description == "linear(2, 2)")
        #expect(Activation(.leakyRelu(alpha: 0.2)).description == "leaky_relu(alpha: 0.2)")
        #expect(Activation(.leakyRelu(alpha: 0.01)).description == "leaky_relu(alpha: 0.01)")
        #expect(Activation(.elu(alpha: 1)).description == "elu(alpha: 1)")
        #expect(try Dropout(p: 0.5).description == "dropout(0.5)")
        #expect(try BatchNorm(features: 64).description == "batchnorm(64)")
        let bare: [UnaryOp] = [.sigmoid, .tanh, .relu, .gelu, .identity, .step]
        #expect(bare.map { Activation($0).description } == ["sigmoid", "tanh", "relu", "gelu", "identity", "step"])
        #expect(Softmax().description == "softmax")
        #expect(Activation(.leakyRelu(alpha: 0.2)).kind == "leaky_relu")
    }

    @Test func linearChecksGivenShapes() throws {
        let e = #expect(throws: EngineError.self) {
            try Linear(inputs: 3, outputs: 2, weight: Tensor(rows: [[1, 2], [3, 4], [5, 6]]))
        }
        #expect(e?.message == "linear(3, 2) needs a weight of shape [2, 3] but got [3, 2]")
        #expect(e?.hint?.contains("transpose") == true)
        #expect(throws: EngineError.self) { try Linear(inputs: 2, outputs: 2, bias: Tensor([1, 2, 3])) }
        #expect(throws: EngineError.self) { try Linear(inputs: 0, outputs: 2) }
        #expect(throws: EngineError.self) { try Linear(inputs: 1 << 20, outputs: 1 << 20) }
        let l = try Linear(inputs: 2, outputs: 3)
        #expect(l.weight.value.shape == [3, 2] && l.bias.value.shape == [3])
        #expect(l.inputs == 2 && l.outputs == 3 && l.kind == "linear")
        #expect(throws: EngineError.self) { try l.forward(Tensor(zeros: [1, 3]), mode: .inference) }
    }

    @Test func activationValues() throws {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        func run(_ f: UnaryOp) throws -> [Double] {
            try Activation(f).forward(x, mode: .inference).scalars.map(Double.init)
        }
        let xs = [-2.0, -0.5, 0, 0.5, 2]
        func near(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 } }
        #expect(near(try run(.sigmoid), xs.map { 1 / (1 + exp(-$0)) }))
        #expect(near(try run(.tanh), xs.map { tanh($0) }))
        #expect(try run(.relu) == [0, 0, 0, 0.5, 2])
        #expect(near(try run(.leakyRelu(alpha: 0.01)), [-0.02, -0.005, 0, 0.5, 2]))
        #expect(near(try run(.elu(alpha: 1)), xs.map { $0 > 0 ? $0 : exp($0) - 1 }))
        #expect(near(try run(.gelu), xs.map { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }))
        #expect(try run(.identity) == xs)
        #expect(try run(.step) == [0, 0, 1, 1, 1])
        // saturation without overflow
        let s = try Activation(.sigmoid).forward(Tensor([-1000, 1000]), mode: .inference)
        #expect(s.scalars == [0, 1])
    }

    @Test func softmaxRowsSumToOneAndSurviveHugeInputs() throws {
        let p = try Softmax().forward(Tensor(rows: [[1, 2, 3], [1000, 1000, -1e30]]), mode: .inference)
        let e = [exp(1.0), exp(2.0), exp(3.0)]
        for j in 0..<3 { #expect(abs(Double(p[0, j]) - e[j] / e.reduce(0, +)) < 1e-6) }
        #expect(p[1, 0] == 0.5 && p[1, 1] == 0.5 && p[1, 2] == 0)
    }

    /// A batch large enough to be split between the products' threads (32 rows a thread):
    /// every row against e^z / Σe^z worked in double here.
    @Test func softmaxOfABatchSplitBetweenThreads() throws {
        let m = 100, k = 7
        let rows = (0..<m).map { r in (0..<k).map { j in Float(4 * cos(Double(5 * r + 2 * j))) } }
        let p = try Softmax().forward(Tensor(rows: rows), mode: .training)
        for r in 0..<m {
            let e = rows[r].map { exp(Double($0)) }, total = e.reduce(0, +)
            for j in 0..<k { #expect(abs(Double(p[r, j]) - e[j] / total) < 1e-6, "row \(r) column \(j)") }
        }
    }

    @Test func dropoutIsInvertedAndIdentityInInference() throws {
        let d = try Dropout(p: 0.25, source: RandomSource(seed: 3))
        let x = Tensor(repeating: 1, shape: [100, 100])
        let y = try d.forward(x, mode: .training)
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
        #expect(try d.forward(x, mode: .inference) == x)
        // backward uses the same mask
        _ = try d.forward(x, mode: .training)
        let g = try d.backward(x, needInputGradient: true)!
        #expect(g == d.mask)
        #expect(throws: EngineError.self) { try Dropout(p: 1.5) }
        // p = 1 drops everything (and never divides by zero)
        #expect(try Dropout(p: 1).forward(x, mode: .training).scalars.allSatisfy { $0 == 0 })
    }

    @Test func dropoutIsReproducibleFromItsSeed() throws {
        let a = try Dropout(p: 0.5, source: RandomSource(seed: 4)), b = try Dropout(p: 0.5, source: RandomSource(seed: 4))
        let x = Tensor(repeating: 1, shape: [8, 8])
        #expect(try a.forward(x, mode: .training) == b.forward(x, mode: .training))
    }

    @Test func batchnormUpdatesRunningStatisticsAsPyTorch() throws {
        let bn = try BatchNorm(features: 2)
        let x = Tensor(rows: [[1, 10], [2, 20], [6, 30]])
        let y = try bn.forward(x, mode: .training)
        // column 0: mean 3, biased var ((−2)² + (−1)² + 3²)/3 = 14/3, unbiased 7
        #expect(abs(bn.runningMean.value.scalars[0] - 0.3) < 1e-6)          // 0.9·0 + 0.1·3
        #expect(abs(bn.runningVar.value.scalars[0] - (0.9 + 0.7)) < 1e-6)   // 0.9·1 + 0.1·7
        #expect(abs(bn.runningMean.value.scalars[1] - 2) < 1e-6)            // 0.1·20
        #expect(abs(bn.runningVar.value.scalars[1] - (0.9 + 10)) < 1e-5)    // unbiased var 100
        #expect(abs(Double(y[0, 0]) - -2 / (14.0 / 3 + 1e-5).squareRoot()) < 1e-5)
        #expect(bn.batchesTracked.value.scalars == [1])
        // inference uses the running statistics
        let z = try bn.forward(Tensor(rows: [[0.3, 2]]), mode: .inference)
        #expect(abs(z[0, 0]) < 1e-6 && abs(z[0, 1]) < 1e-6)
        #expect(throws: EngineError.self) { try bn.forward(Tensor(rows: [[1, 2]]), mode: .training) }
        #expect(throws: EngineError.self) { try bn.forward(Tensor(rows: [[1, 2, 3]]), mode: .inference) }
        #expect(bn.parameters.map(\.name) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
    }

    @Test func matmulLikeNumPy() throws {
        let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]])          // [2, 3]
        let b = Tensor(rows: [[1, 0], [0, 1], [1, 1]])        // [3, 2]
        #expect(try a.matmul(b) == Tensor(rows: [[4, 5], [10, 11]]))
        #expect(try a.matmul(Tensor([1, 1, 1])) == Tensor([6, 15]))              // matrix·vector
        #expect(try Tensor([1, 1]).matmul(a) == Tensor([5, 7, 9]))               // vector·matrix
        #expect(try Tensor([1, 2, 3]).matmul(Tensor([4, 5, 6])) == Tensor(scalar: 32))
        let e = #expect(throws: EngineError.self) { try a.matmul(a) }
        #expect(e?.hint != nil)
        #expect(throws: EngineError.self) { try Tensor(scalar: 2).matmul(a) }
    }

    @Test func inPlaceProductsReuseTheOutput() throws {
        let a = Tensor(rows: [[1, 2], [3, 4], [5, 6]])        // [3, 2]
        var c = Tensor(zeros: [0, 0])
        try Tensor.multiply(a, a, transposeA: true, into: &c)  // aᵀa
        #expect(c == Tensor(rows: [[35, 44], [44, 56]]))
        try Tensor.multiply(a, a, transposeA: true, alpha: 2, beta: 1, into: &c)
        #expect(c == Tensor(rows: [[105, 132], [132, 168]]))
        try Tensor.multiply(a, a, transposeB: true, into: &c)  // aaᵀ [3, 3]
        #expect(c.shape == [3, 3] && c[2, 2] == 61)
        try Tensor.multiplyAddingBias(a, Tensor(rows: [[1, -1], [-1, 1]]), transposeB: true,
                                      bias: Tensor([0.5, 0]), epilogue: .relu, into: &c)
        #expect(c == Tensor(rows: [[0, 1], [0, 1], [0, 1]]))
        #expect(throws: EngineError.self) { try Tensor.multiply(a, a, into: &c) }
        #expect(throws: EngineError.self) { try Tensor.multiply(a, a, transposeA: true, beta: 1, into: &c) }
        // k = 0: an empty sum
        try Tensor.multiplyAddingBias(Tensor(zeros: [2, 0]), Tensor(zeros: [3, 0]), transposeB: true,
                                      bias: Tensor([1, -2, 3]), epilogue: .relu, into: &c)
        #expect(c == Tensor(rows: [[1, 0, 3], [1, 0, 3]]))
    }
}
