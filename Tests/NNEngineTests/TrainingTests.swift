import Foundation
import Testing
@testable import NNEngine
import TestFixtures

private func linear(_ w: [[Float]], _ b: [Float]) throws -> Linear {
    try Linear(inputs: w[0].count, outputs: w.count, weight: Tensor(rows: w), bias: Tensor(b))
}

/// ŷ = w·x + b with one input and one output.
private func line(w: Float = 2, b: Float = 0) throws -> Network {
    try Network([linear([[w]], [b])])
}

private func near(_ a: Float, _ b: Double, _ tolerance: Double = 1e-5) -> Bool { abs(Double(a) - b) <= tolerance }

@Suite struct TrainingTests {
    @Test func oneStepOfTheClassroomExample() throws {
        // SPEC §12: x = [0.5, 0.8], y = 1, mse: C = 0.0373, ∂C/∂W² = [−0.0340, −0.0328],
        // ∂C/∂W¹ = [[−0.00380, −0.00608], [−0.00324, −0.00518]]. One SGD step with η = 0.5
        // gives W² = [0.6 + 0.0170, 0.5 + 0.0164] and W¹₀₀ = 0.2 + 0.0019.
        let net = try HandworkedExample.network()
        let data = try Dataset(x: Tensor(rows: [[0.5, 0.8]]), y: Tensor([1]))
        let history = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.5), epochs: 1, batchSize: 1)
        #expect(abs(history.rows[0].loss - 0.0373) < 5e-5)
        #expect(history.rows[0].accuracy == 1)  // 0.727 ≥ 0.5 and the label is 1
        let w2 = (net.layers[2] as! Linear).weight.value.scalars
        #expect(near(w2[0], 0.6170, 1e-4) && near(w2[1], 0.5164, 1e-4))
        let w1 = (net.layers[0] as! Linear).weight.value.scalars
        #expect(near(w1[0], 0.2019, 1e-4) && near(w1[3], 0.1 + 0.00259, 1e-4))
    }

    // The line problem: x = 1, y = 0.5, w = 2, b = 0 → ŷ = 2, C = ½·1.5² = 1.125,
    // ∂C/∂w = ∂C/∂b = 1.5.

    @Test func l2AndL1PenaliseWeightsNotBiases() throws {
        let data = try Dataset(x: Tensor([1]), y: Tensor([0.5]))
        // l2: g_w = 1.5 + 0.1·2 = 1.7 → w = 2 − 0.17; bias unpenalised: b = −0.15.
        let a = try line()
        let h = try train(a, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 1, batchSize: 1, l2: 0.1)
        #expect(abs(h.rows[0].loss - 1.125) < 1e-6)  // data loss, without the penalty
        #expect(near((a.layers[0] as! Linear).weight.value.scalars[0], 1.83))
        #expect(near((a.layers[0] as! Linear).bias.value.scalars[0], -0.15))
        // l1: g_w = 1.5 + 0.1·sign(2) = 1.6 → w = 1.84.
        let b = try line()
        _ = try train(b, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 1, batchSize: 1, l1: 0.1)
        #expect(near((b.layers[0] as! Linear).weight.value.scalars[0], 1.84))
    }

    @Test func weightDecayOnTheOptimizerDecaysBiasesToo() throws {
        // SGD weight_decay 0.1: g_w = 1.5 + 0.2 = 1.7, g_b = 1.5 + 0.1·0 = 1.5.
        let net = try line()
        let data = try Dataset(x: Tensor([1]), y: Tensor([0.5]))
        _ = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.1, weightDecay: 0.1), epochs: 1, batchSize: 1)
        #expect(near((net.layers[0] as! Linear).weight.value.scalars[0], 1.83))
    }

    @Test func clippingRescalesTheGlobalNorm() throws {
        // ‖(1.5, 1.5)‖ = 2.1213 > 0.5 → both scaled to 0.5/√2 = 0.353553; η = 0.1.
        let net = try line()
        let data = try Dataset(x: Tensor([1]), y: Tensor([0.5]))
        _ = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 1, batchSize: 1, clip: 0.5)
        #expect(near((net.layers[0] as! Linear).weight.value.scalars[0], 2 - 0.0353553))
        #expect(near((net.layers[0] as! Linear).bias.value.scalars[0], -0.0353553))
        // A norm under the limit is left alone: ‖g‖ = 2.1213 < 5 → w = 2 − 0.15.
        let free = try line()
        _ = try train(free, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 1, batchSize: 1, clip: 5)
        #expect(near((free.layers[0] as! Linear).weight.value.scalars[0], 1.85))
    }

    @Test func earlyStoppingRestoresTheBestEpoch() throws {
        // Training pulls ŷ towards 1.5, validation wants −0.5: the validation loss rises every
        // epoch after the first, so with patience 2 training stops after epoch 3 and restores
        // epoch 1's weights: from w = b = 0, g = (0 − 1.5)·1 → w = b = 0.15.
        let net = try line(w: 0)
        let data = try Dataset(x: Tensor([1]), y: Tensor([1.5]))
        let validation = try Dataset(x: Tensor([1]), y: Tensor([-0.5]))
        let h = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 10, batchSize: 1,
                          validation: validation, earlyStopPatience: 2)
        #expect(h.count == 3 && h.stoppedEarly && h.bestEpoch == 1)
        let losses = h.column("val_loss")!
        #expect(losses[0] < losses[1] && losses[1] < losses[2])
        #expect(near((net.layers[0] as! Linear).weight.value.scalars[0], 0.15))
        #expect(near((net.layers[0] as! Linear).bias.value.scalars[0], 0.15))
    }

    @Test func dropoutIsActiveInTrainingAndOffInEvaluation() throws {
        // ŷ = dropout(x) with x = 1, p = 0.5: in training each output is 0 or 2, so each
        // example's loss is ½(0 − 0.25)² = 0.03125 or ½(2 − 0.25)² = 1.53125 and the mean of 8 is
        // 0.03125 + k·0.1875; in evaluation ŷ = 1 and C = ½·0.75² = 0.28125.
        let net = try Network([linear([[1]], [0]), Dropout(p: 0.5, source: RandomSource(seed: 3))])
        let data = try Dataset(x: Tensor([Float](repeating: 1, count: 8)), y: Tensor([Float](repeating: 0.25, count: 8)))
        let h = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0), epochs: 3, batchSize: 8)
        for row in h.rows {
            let k = (row.loss - 0.03125) / 0.1875
            #expect(abs(k - k.rounded()) < 1e-6 && k >= 0 && k <= 8)
        }
        let (loss, accuracy) = try evaluate(net, data, loss: .mse)
        #expect(abs(loss - 0.28125) < 1e-7 && accuracy == nil)
    }

    @Test func batchnormUsesBatchStatisticsInTrainingAndRunningOnesInEvaluation() throws {
        // x = [1, 3]: in training x̂ = (x − 2)/√(1 + 1e−5) ≈ ∓1, C = ½((−1 − 0.5)² + (1 − 0.5)²)/2 = 0.625.
        // Running stats after one batch: mean 0.1·2 = 0.2, var 0.9 + 0.1·2 = 1.1 (unbiased 2);
        // evaluation: ŷ = (x − 0.2)/√1.1 → C = 1.194143.
        let net = try Network([BatchNorm(features: 1)])
        let data = try Dataset(x: Tensor([1, 3]), y: Tensor([0.5, 0.5]))
        let h = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0), epochs: 1, batchSize: 2, shuffle: false)
        #expect(abs(h.rows[0].loss - 0.624995) < 1e-5)
        #expect(abs(try evaluate(net, data, loss: .mse).loss - 1.194143) < 1e-5)
    }

    @Test func batchnormSkipsAFinalSingleExampleBatch() throws {
        let net = try Network([BatchNorm(features: 1)])
        let data = try Dataset(x: Tensor([1, 3, 5]), y: Tensor([0.5, 0.5, 0.5]))
        let h = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 1, batchSize: 2)
        #expect(h.rows[0].examples == 2)
    }

    @Test func nonFiniteLossNamesEpochAndStep() throws {
        // ŷ = 1e30·1e30 overflows Float to +∞.
        let net = try line(w: 1e30)
        let data = try Dataset(x: Tensor([1, 1e30]), y: Tensor([0.5, 0.5]))
        #expect {
            try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.1), epochs: 2, batchSize: 1, shuffle: false)
        } throws: { e in
            guard let e = e as? EngineError else { return false }
            return e.message == "the loss became infinite at epoch 1, step 2" && e.hint?.contains("learning rate") == true
        }
    }

    @Test func stopRequestEndsAfterTheCurrentStep() throws {
        let net = try line()
        let data = try Dataset(x: Tensor((0..<10).map { Float($0) / 10 }), y: Tensor([Float](repeating: 0.5, count: 10)))
        var polls = 0
        let h = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.01), epochs: 5, batchSize: 2,
                          shouldStop: { polls += 1; return polls == 3 })
        #expect(h.interrupted && h.count == 1 && h.rows[0].examples == 6 && polls == 3)
    }

    @Test func progressReportsEveryStep() throws {
        let net = try Network([linear([[1, 0], [0, 1]], [0, 0])])
        let data = try Dataset(x: Tensor(rows: (0..<10).map { [Float]($0 % 2 == 0 ? [1, 0] : [0, 1]) }),
                               y: Tensor((0..<10).map { Float($0 % 2) }))
        var reports: [TrainingProgress] = []
        let h = try train(net, data, loss: .crossEntropy, optimizer: SGD(learningRate: 0.1), epochs: 2, batchSize: 4,
                          progress: { reports.append($0) })
        #expect(reports.count == 6)
        #expect(reports.map(\.batch) == [1, 2, 3, 1, 2, 3] && reports.allSatisfy { $0.batchesPerEpoch == 3 && $0.epochs == 2 })
        #expect(abs(reports[2].loss - h.rows[0].loss) < 1e-12)
        #expect(reports[2].accuracy == h.rows[0].accuracy && h.rows[0].accuracy == 1)  // argmax of x is the label
    }

    @Test func seedMakesShufflingReproducible() throws {
        func run(seed: UInt64, shuffle: Bool = true) throws -> [Float] {
            let net = try Network([linear([[0.1, -0.2]], [0])])
            let data = try Dataset(x: Tensor(rows: (0..<12).map { [Float($0), Float(12 - $0)] }),
                                   y: Tensor((0..<12).map { Float($0) / 24 + 0.01 }))
            _ = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 0.001), epochs: 2, batchSize: 5,
                          shuffle: shuffle, seed: seed)
            return (net.layers[0] as! Linear).weight.value.scalars
        }
        #expect(try run(seed: 7) == run(seed: 7))
        #expect(try run(seed: 7) != run(seed: 8))
        #expect(try run(seed: 7, shuffle: false) == run(seed: 8, shuffle: false))
    }

    @Test func scheduleSetsTheRatePerEpoch() throws {
        let net = try line()
        let data = try Dataset(x: Tensor([1]), y: Tensor([0.5]))
        let h = try train(net, data, loss: .mse, optimizer: SGD(learningRate: 1), epochs: 3, batchSize: 1,
                          schedule: .stepDecay(initial: 0.1, gamma: 0.5, every: 1))
        let rates = h.column("lr")!
        #expect(zip(rates, [0.1, 0.05, 0.025]).allSatisfy { abs($0 - $1) < 1e-7 })
    }

    @Test func evaluateAndPredictAClassifier() throws {
        // Identity logits: rows [1,0], [0,1], [1,0] with labels 0, 1, 1 → predictions 0, 1, 0.
        // Cross-entropy: ln(1 + e⁻¹) = 0.313262 for the two right rows, 1 + 0.313262 for the
        // wrong one → mean 0.646595.
        let net = try Network([linear([[1, 0], [0, 1]], [0, 0])])
        let data = try Dataset(x: Tensor(rows: [[1, 0], [0, 1], [1, 0]]), y: Tensor([0, 1, 1]))
        let (loss, accuracy) = try evaluate(net, data, loss: .crossEntropy)
        #expect(abs(loss - 0.646595) < 1e-6)
        #expect(abs(accuracy! - 2.0 / 3) < 1e-12)
        #expect(try predict(net, Tensor(rows: [[1, 0], [0, 1], [1, 0]])) == [0, 1, 0])
        #expect(try predict(net, data) == [0, 1, 0])
        #expect(try predict(net, Tensor([0.2, 0.9])) == [1])
        // mse on labels with several outputs compares against one-hot rows: [1,0] vs label 0 → 0.
        let first = try data.subset([0])
        #expect(try evaluate(net, first, loss: .mse).loss == 0)
        // ...and its accuracy scores the one-hot rows by their 1: the same 2 of 3 as above.
        #expect(abs(try evaluate(net, data, loss: .mse).accuracy! - 2.0 / 3) < 1e-12)
    }

    @Test func singleSigmoidOutputIsThresholdedAtOneHalf() throws {
        let net = try Network([linear([[1]], [0]), Activation(.sigmoid)])
        let data = try Dataset(x: Tensor([2, -1, 3, -2]), y: Tensor([1, 0, 0, 0]))
        #expect(try evaluate(net, data, loss: .bce).accuracy == 0.75)
        #expect(try predict(net, Tensor(rows: [[2], [-1]])) == [1, 0])
    }

    @Test func wholeNumberTargetsWithOneOutputAndMSEAreRegression() throws {
        // y = 3 for x = 1 with w = 2, b = 0: C = ½·1² = 0.5, no accuracy; bce refuses label 3.
        let data = try Dataset(x: Tensor([1, 1]), y: Tensor([3, 3]))
        let (loss, accuracy) = try evaluate(try line(), data, loss: .mse)
        #expect(loss == 0.5 && accuracy == nil)
        #expect(throws: EngineError.self) { try evaluate(try line(), data, loss: .bce) }
    }

    @Test func mismatchedDataIsReported() throws {
        let net = try Network([linear([[1, 0], [0, 1]], [0, 0])])
        let wide = try Dataset(x: Tensor(rows: [[1, 2, 3]]), y: Tensor([0]))
        #expect { try train(net, wide, loss: .crossEntropy, optimizer: SGD(learningRate: 0.1), epochs: 1) } throws: {
            ($0 as? EngineError)?.message == "the network expects 2 inputs but the training data has 3 features per example"
        }
        let threeClasses = try Dataset(x: Tensor(rows: [[1, 2]]), y: Tensor([2]))
        #expect(throws: EngineError.self) { try evaluate(net, threeClasses, loss: .crossEntropy) }
        let ok = try Dataset(x: Tensor(rows: [[1, 2]]), y: Tensor([1]))
        #expect(throws: EngineError.self) { try train(net, ok, loss: .crossEntropy, optimizer: SGD(learningRate: 0.1), epochs: 0) }
        #expect(throws: EngineError.self) { try train(net, ok, loss: .crossEntropy, optimizer: SGD(learningRate: 0.1), epochs: 1, clip: -1) }
    }

    /// A 20-40-24-3 relu classifier trained by plain SGD on 150 examples (a ragged last batch:
    /// 150 = 4·32 + 22), optionally with a clip and a stop request.
    private func trainedClassifier(clip: Double?, stopAtPoll: Int? = nil) throws -> Network {
        let source = RandomSource(seed: 5)
        let net = try Network([Linear(inputs: 20, outputs: 40, source: source), Activation(.relu),
                               Linear(inputs: 40, outputs: 24, source: source), Activation(.relu),
                               Linear(inputs: 24, outputs: 3, source: source), Softmax()])
        let x = (0..<150).map { i in (0..<20).map { j in Float(sin(Double(i * 20 + j) * 0.37)) } }
        let data = try Dataset(x: Tensor(rows: x), y: Tensor((0..<150).map { Float($0 % 3) }))
        var polls = 0
        _ = try train(net, data, loss: .crossEntropy, optimizer: SGD(learningRate: 0.05), epochs: 2,
                      batchSize: 32, seed: 1, clip: clip,
                      shouldStop: { polls += 1; return polls == stopAtPoll })
        return net
    }

    /// The parameters (values, then gradients) of `a` and `b` that differ in any bit.
    private func differingParameters(_ a: Network, _ b: Network) -> [String] {
        func same(_ x: Tensor, _ y: Tensor) -> Bool {
            x.count == y.count && zip(x.scalars, y.scalars).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
        return zip(a.namedParameters, b.namedParameters).flatMap { p, q in
            (same(p.parameter.value, q.parameter.value) ? [] : [p.name])
                + (same(p.parameter.grad, q.parameter.grad) ? [] : [p.name + ".grad"])
        }
    }

    @Test func theStepTakenInsideTheBackwardIsTheOptimizersStep() throws {
        // Plain SGD is taken by the linear layers in their weight-gradient product; a clip
        // (one that never bites) makes the optimizer take it after the backward instead.
        // The two must agree bit for bit, weights and gradients, through relu |> linear
        // (whose ∂C/∂A is gated in the same product) and a ragged last batch.
        let initial = try Network([Linear(inputs: 20, outputs: 40, source: RandomSource(seed: 5))])
        let fused = try trainedClassifier(clip: nil), separate = try trainedClassifier(clip: 1e30)
        #expect(fused.namedParameters[0].parameter.value.scalars != initial.namedParameters[0].parameter.value.scalars)
        #expect(differingParameters(fused, separate) == [])
    }

    @Test func aStopMidEpochLeavesTheLastBatchsGradients() throws {
        // Inside an epoch the fused step does not store ∂C/∂W (nothing reads it before the
        // next batch overwrites it); when training stops after such a step, the trainer stores
        // it after all: stops after the second batch of the first epoch, and of the second
        // (5 batches an epoch).
        for poll in [2, 7] {
            let fused = try trainedClassifier(clip: nil, stopAtPoll: poll)
            let separate = try trainedClassifier(clip: 1e30, stopAtPoll: poll)
            #expect(differingParameters(fused, separate) == [], "stop at poll \(poll)")
        }
    }

    @Test func adamTrainsAClassifierOnXOR() throws {
        // A real learning check: 2-8-2 with Adam reaches 100% on XOR.
        let source = RandomSource(seed: 11)
        let net = try Network([Linear(inputs: 2, outputs: 8, source: source), Activation(.tanh),
                               Linear(inputs: 8, outputs: 2, source: source), Softmax()])
        let data = try Dataset(x: Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]]), y: Tensor([0, 1, 1, 0]))
        let h = try train(net, data, loss: .crossEntropy, optimizer: Adam(learningRate: 0.05), epochs: 300,
                          batchSize: 4, seed: 1)
        #expect(h.rows.last!.loss < 0.05)
        #expect(try predict(net, data) == [0, 1, 1, 0])
    }
}
