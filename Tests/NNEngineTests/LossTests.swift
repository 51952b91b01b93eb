import Foundation
import Testing
@testable import NNEngine

struct LossTests {
    @Test func namesAreTheLanguages() {
        #expect(Loss(rawValue: "mse") == .mse)
        #expect(Loss(rawValue: "bce") == .bce)
        #expect(Loss(rawValue: "cross_entropy") == .crossEntropy)
    }

    @Test func mseIsHalfSquaredNormMeanOverBatch() throws {
        let p = Tensor(rows: [[1, 2], [3, 4]]), y = Tensor(rows: [[0, 2], [3, 6]])
        var g = Tensor(zeros: [0])
        // (½·1 + ½·4) / 2 samples
        #expect(try Loss.mse.valueAndGradient(prediction: p, target: y, gradient: &g) == 1.25)
        #expect(g.shape == [2, 2])
        #expect(g.scalars == [0.5, 0, 0, -1])       // (ŷ − y)/m
        // one output: targets may be a vector of labels
        #expect(try Loss.mse.value(prediction: Tensor(rows: [[1], [0]]), target: Tensor([0, 0])) == 0.25)
    }

    @Test func bceOnProbabilitiesIsClampedAndFinite() throws {
        let c = try Loss.bce.value(prediction: Tensor([0.8]), target: Tensor([1]))
        #expect(abs(c - -log(0.8)) < 1e-7)
        let clamped = try Loss.bce.value(prediction: Tensor(rows: [[0], [1]]), target: Tensor([1, 0]))
        #expect(clamped.isFinite)
        #expect(abs(clamped - -log(1e-7)) < 1e-3)
        var g = Tensor(zeros: [0])
        _ = try Loss.bce.valueAndGradient(prediction: Tensor(rows: [[0], [1]]), target: Tensor([1, 0]), gradient: &g)
        #expect(g.scalars.allSatisfy { $0.isFinite })
        // averaged over every entry: two outputs of one sample
        let two = try Loss.bce.value(prediction: Tensor([0.8, 0.4]), target: Tensor([1, 0]))
        #expect(abs(two - (-log(0.8) - log(0.6)) / 2) < 1e-7)
    }

    @Test func crossEntropyOnLogits() throws {
        #expect(abs(try Loss.crossEntropy.value(prediction: Tensor([0, 0]), target: Tensor(scalar: 0)) - log(2)) < 1e-12)
        let zeros = try Loss.crossEntropy.value(prediction: Tensor(zeros: [3, 10]), target: Tensor([0, 5, 9]))
        #expect(abs(zeros - log(10)) < 1e-12)
        // indices and one-hot rows agree
        let z = Tensor(rows: [[1, 2, 3], [0.5, -1, 2]])
        let byIndex = try Loss.crossEntropy.value(prediction: z, target: Tensor([2, 0]))
        let byOneHot = try Loss.crossEntropy.value(prediction: z, target: Tensor(rows: [[0, 0, 1], [1, 0, 0]]))
        #expect(abs(byIndex - byOneHot) < 1e-12)
        let lse1 = log(exp(1.0) + exp(2.0) + exp(3.0)), lse2 = log(exp(0.5) + exp(-1.0) + exp(2.0))
        #expect(abs(byIndex - ((lse1 - 3) + (lse2 - 0.5)) / 2) < 1e-6)
    }

    /// A batch large enough that its rows are split between the products' threads (at 32
    /// rows a thread): every row's loss and gradient, against log-sum-exp worked in the test.
    @Test func crossEntropyOnABatchSplitBetweenThreads() throws {
        let m = 96, k = 10
        var rows: [[Float]] = []
        var labels: [Float] = []
        for r in 0..<m {
            rows.append((0..<k).map { j in Float(5 * sin(Double(7 * r + 3 * j))) })
            labels.append(Float((r * 3) % k))
        }
        var g = Tensor(zeros: [0])
        let c = try Loss.crossEntropy.valueAndGradient(prediction: Tensor(rows: rows), target: Tensor(labels), gradient: &g)
        var expected = 0.0
        for r in 0..<m {
            let z = rows[r].map(Double.init), label = Int(labels[r])
            let largest = z.max()!
            let lse = largest + log(z.reduce(0) { $0 + exp($1 - largest) })
            expected += lse - z[label]
            for j in 0..<k {
                let want = (exp(z[j] - lse) - (j == label ? 1 : 0)) / Double(m)
                #expect(abs(Double(g.scalars[r * k + j]) - want) < 1e-7, "row \(r) class \(j)")
            }
        }
        #expect(abs(c - expected / Double(m)) < 1e-12 * expected)
    }

    @Test func crossEntropyNeverNaNForHugeLogits() throws {
        var g = Tensor(zeros: [0])
        let huge = Tensor(rows: [[1e30, -1e30], [-1e30, 1e30]])
        let c = try Loss.crossEntropy.valueAndGradient(prediction: huge, target: Tensor([1, 1]), gradient: &g)
        #expect(c.isFinite)
        #expect(abs(c - 1e30) / 1e30 < 1e-6)          // (2e30 + 0)/2
        #expect(g.scalars == [0.5, -0.5, 0, 0])        // (p − y)/m
    }

    @Test func fusedLossesStayFiniteOnHugeLogits() throws {
        // linear(1, 2) with weights ±1e30 gives logits ±1e30 for x = 1
        func net(_ last: Layer) throws -> Network {
            try Network([try Linear(inputs: 1, outputs: 2, weight: Tensor(rows: [[1e30], [-1e30]]), bias: Tensor([0, 0])), last])
        }
        let softmax = try net(Softmax())
        let c = try softmax.lossAndGradients(input: Tensor([1]), target: Tensor(scalar: 1), loss: .crossEntropy)
        #expect(abs(c - 2e30) / 2e30 < 1e-6)           // −log softmax = 1e30 − (−1e30)
        let grads = softmax.namedParameters.flatMap(\.parameter.grad.scalars)
        #expect(grads.allSatisfy { $0.isFinite })
        let zero = try softmax.lossAndGradients(input: Tensor([0]), target: Tensor(scalar: 0), loss: .crossEntropy)
        #expect(abs(zero - log(2)) < 1e-7)

        let sigmoid = try net(Activation(.sigmoid))
        let b = try sigmoid.lossAndGradients(input: Tensor([1]), target: Tensor([0, 1]), loss: .bce)
        #expect(abs(b - 1e30) / 1e30 < 1e-6)           // mean of softplus(1e30) and softplus(1e30)
        #expect(sigmoid.namedParameters.flatMap(\.parameter.grad.scalars).allSatisfy { $0.isFinite })
    }

    @Test func shapeMismatchesThrowWithHints() {
        let p = Tensor(zeros: [4, 2])
        let e = #expect(throws: EngineError.self) { try Loss.mse.value(prediction: p, target: Tensor(zeros: [4, 10])) }
        #expect(e?.message == "targets have 10 columns but the network gives 2 outputs")
        #expect(e?.hint?.isEmpty == false)
        #expect(throws: EngineError.self) { try Loss.mse.value(prediction: p, target: Tensor(zeros: [5, 2])) }
        #expect(throws: EngineError.self) { try Loss.crossEntropy.value(prediction: p, target: Tensor([0, 1, 2, 0])) }
        #expect(throws: EngineError.self) { try Loss.crossEntropy.value(prediction: p, target: Tensor([0, 1, -1, 0])) }
        #expect(throws: EngineError.self) { try Loss.bce.value(prediction: p, target: Tensor([0, 1, 1, 0])) }
        #expect(throws: EngineError.self) { try Loss.mse.value(prediction: Tensor(zeros: [2, 2, 2]), target: Tensor(zeros: [2, 2, 2])) }
    }
}
