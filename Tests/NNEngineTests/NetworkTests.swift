import Foundation
import Testing
@testable import NNEngine

struct NetworkTests {
    func mnistNet(_ source: RandomSource = RandomSource(seed: 1)) throws -> Network {
        try Network([try Linear(inputs: 784, outputs: 256, source: source), Activation(.relu),
                     try Linear(inputs: 256, outputs: 32, source: source), Activation(.relu),
                     try Linear(inputs: 32, outputs: 10, source: source), Softmax()])
    }

    @Test func compositionMismatchNamesBothLayers() throws {
        let error = #expect(throws: EngineError.self) {
            try Network([try Linear(inputs: 784, outputs: 256), try Linear(inputs: 128, outputs: 10)])
        }
        #expect(error?.message == "layer 2 expects 128 inputs but layer 1 gives 256")
        #expect(error?.hint != nil)
        let through = #expect(throws: EngineError.self) {
            try Network([try Linear(inputs: 4, outputs: 3), Activation(.relu), try Linear(inputs: 5, outputs: 1)])
        }
        #expect(through?.message == "layer 3 expects 5 inputs but layer 1 gives 3")
        #expect(throws: EngineError.self) { try Network([try Linear(inputs: 4, outputs: 3), try BatchNorm(features: 4)]) }
    }

    @Test func stateDictNamesAndParameterCount() throws {
        let net = try mnistNet()
        #expect(net.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
        // 784·256 + 256 + 256·32 + 32 + 32·10 + 10, by hand
        #expect(net.parameterCount == 209_514)
        #expect(net.namedParameters[0].parameter.value.shape == [256, 784])
        #expect(net.description == "linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax")
        let bn = try Network([try Linear(inputs: 3, outputs: 4), try BatchNorm(features: 4)])
        #expect(bn.namedParameters.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                                                    "1.running_var", "1.num_batches_tracked"])
        #expect(bn.parameterCount == 12 + 4 + 8)
    }

    @Test func forwardTakesAVectorOrABatch() throws {
        let net = try Network([try Linear(inputs: 2, outputs: 3, weight: Tensor(rows: [[1, 2], [3, 4], [5, 6]]),
                                          bias: Tensor([0.5, -0.5, 1]))])
        let v = try net.forward(Tensor([1, -1]))
        #expect(v.shape == [3])
        let expected: [Float] = [-0.5, -1.5, 0]   // [1−2+0.5, 3−4−0.5, 5−6+1]
        #expect(v.scalars == expected)
        let b = try net.forward(Tensor(rows: [[1, -1], [0, 2]]))
        #expect(b.shape == [2, 3])
        #expect(b.scalars == [-0.5, -1.5, 0, 4.5, 7.5, 13])
    }

    @Test func forwardWidthMismatchIsAClearError() throws {
        let net = try mnistNet()
        let error = #expect(throws: EngineError.self) { try net.forward(Tensor(zeros: [10])) }
        #expect(error?.message == "network expects 784 inputs per sample but x has 10")
        #expect(error?.hint?.contains("[m, 784]") == true)
        #expect(throws: EngineError.self) { try net.forward(Tensor(zeros: [2, 10])) }
        #expect(throws: EngineError.self) { try net.forward(Tensor(scalar: 1)) }
        #expect(throws: EngineError.self) { try net.forward(Tensor(zeros: [1, 2, 784])) }
    }

    @Test func activationOnlyNetworksTakeAnyShape() throws {
        let relu = try Network([Activation(.relu)])
        #expect(try relu.forward(Tensor(scalar: -3)).scalars == [0])
        #expect(try Network([Activation(.sigmoid)]).forward(Tensor(scalar: 0)).scalars == [0.5])
        let p = try Network([Softmax()]).forward(Tensor([1, 1]))
        #expect(p.shape == [2] && p.scalars == [0.5, 0.5])
    }

    @Test func fusedLinearReLUMatchesTheUnfusedPass() throws {
        let source = RandomSource(seed: 8)
        let net = try mnistNet(source)
        let x = randomTensor([5, 784], source, low: 0, high: 1)
        let y = Tensor((0..<5).map { Float($0) })
        let fusedOut = try net.forward(x)
        let fusedLoss = try net.lossAndGradients(input: x, target: y, loss: .crossEntropy)
        let fusedGrads = net.namedParameters.map(\.parameter.grad)
        net.fusesLinearReLU = false
        #expect(try net.forward(x) == fusedOut)
        #expect(try net.lossAndGradients(input: x, target: y, loss: .crossEntropy) == fusedLoss)
        #expect(net.namedParameters.map(\.parameter.grad) == fusedGrads)
        // and a traced pass (never fused) records z before the relu
        let trace = ForwardTrace()
        net.fusesLinearReLU = true
        _ = try net.forward(x, trace: trace)
        #expect(trace.steps.count == 6)
        #expect(trace.steps[0].output.scalars.contains { $0 < 0 })
        #expect(!trace.steps[1].output.scalars.contains { $0 < 0 })
    }

    @Test func repeatedActivationIsCopiedRepeatedLinearIsAnError() throws {
        let act = Activation(.tanh)
        let net = try Network([try Linear(inputs: 2, outputs: 2), act, try Linear(inputs: 2, outputs: 2), act])
        #expect(net.layers[1] !== net.layers[3])
        let shared = try Linear(inputs: 2, outputs: 2)
        #expect(throws: EngineError.self) { try Network([shared, Activation(.relu), shared]) }
    }

    @Test func backwardMatchesLossAndGradients() throws {
        let source = RandomSource(seed: 9)
        let net = try Network([try Linear(inputs: 3, outputs: 4, source: source), Activation(.tanh),
                               try Linear(inputs: 4, outputs: 2, source: source)])
        let x = randomTensor([5, 3], source), y = randomTensor([5, 2], source)
        _ = try net.lossAndGradients(input: x, target: y, loss: .mse)
        let expected = net.namedParameters.map(\.parameter.grad)
        // by hand: forward, ∂C/∂ŷ = (ŷ − y)/m, backward
        let yhat = try net.forward(x, mode: .training)
        let g = Tensor(shape: [5, 2], scalars: zip(yhat.scalars, y.scalars).map { ($0 - $1) / 5 })
        let trace = BackwardTrace()
        let dx = try net.backward(g, trace: trace, needInputGradient: true)
        for (p, e) in zip(net.namedParameters.map(\.parameter.grad), expected) {
            expectClose(p, e.scalars.map(Double.init), 1e-6)   // (ŷ − y)/m rounded in Float here
        }
        #expect(dx?.shape == [5, 3])
        #expect(trace.steps.map(\.index) == [2, 1, 0])
        #expect(try net.backward(g) == nil)
    }

    @Test func reluBelowALinearLayerAsTheFirstLayer() throws {
        // relu |> linear: the linear layer gates its ∂C/∂A with [a > 0] (the relu's pass is
        // skipped), also when the relu is the network's first layer and ∂C/∂x is asked for.
        // By hand: x = (1, −1, 0.5) → a = (1, 0, 0.5), y = 2·1 − 3·0 + 4·0.5 = 4, and
        // ∂y/∂x = W ⊙ [x > 0] = (2, 0, 4); ∂y/∂W = a.
        let net = try Network([Activation(.relu),
                               try Linear(inputs: 3, outputs: 1, weight: Tensor(rows: [[2, -3, 4]]), bias: Tensor([0]))])
        let y = try net.forward(Tensor(rows: [[1, -1, 0.5]]), mode: .training)
        #expect(y.scalars == [4])
        let dx = try net.backward(Tensor(rows: [[1]]), needInputGradient: true)
        #expect(dx?.scalars == [2, 0, 4])
        #expect((net.layers[1] as! Linear).weight.grad.scalars == [1, 0, 0.5])
    }

    @Test func backwardErrors() throws {
        let net = try Network([try Linear(inputs: 3, outputs: 2)])
        #expect(throws: EngineError.self) { try net.backward(Tensor(zeros: [1, 2])) }   // no forward yet
        _ = try net.forward(Tensor(zeros: [4, 3]))
        #expect(throws: EngineError.self) { try net.backward(Tensor(zeros: [4, 3])) }
    }

    @Test func lossTargetMismatchIsAClearError() throws {
        let net = try Network([try Linear(inputs: 3, outputs: 2), Softmax()])
        let x = Tensor(zeros: [4, 3])
        let error = #expect(throws: EngineError.self) {
            try net.lossAndGradients(input: x, target: Tensor(zeros: [4, 10]), loss: .crossEntropy)
        }
        #expect(error?.message == "targets have 10 columns but the network gives 2 outputs")
        #expect(error?.hint != nil)
        #expect(throws: EngineError.self) { try net.lossAndGradients(input: x, target: Tensor(zeros: [3, 2]), loss: .mse) }
        #expect(throws: EngineError.self) { try net.lossAndGradients(input: x, target: Tensor([0, 1, 2, 1]), loss: .crossEntropy) }
        #expect(throws: EngineError.self) { try net.lossAndGradients(input: x, target: Tensor([0, 1, 0.5, 1]), loss: .crossEntropy) }
        #expect(throws: EngineError.self) { try net.lossAndGradients(input: x, target: Tensor([0, 1, 1, 1]), loss: .mse) }
    }

    @Test func lossOfIsTheLossWithoutChangingGradients() throws {
        let source = RandomSource(seed: 10)
        let net = try Network([try Linear(inputs: 3, outputs: 3, source: source), Softmax()])
        let x = randomTensor([4, 3], source), y = Tensor([0, 2, 1, 0])
        let c = try net.loss(of: x, target: y, loss: .crossEntropy)
        #expect(net.namedParameters.allSatisfy { $0.parameter.grad.scalars.allSatisfy { $0 == 0 } })
        #expect(abs(try net.lossAndGradients(input: x, target: y, loss: .crossEntropy) - c) < 1e-12)
    }

    @Test func copyIsDeep() throws {
        let net = try Network([try Linear(inputs: 2, outputs: 2), Activation(.relu)])
        let c = net.copy()
        (c.layers[0] as! Linear).weight.value = Tensor(zeros: [2, 2])
        #expect((net.layers[0] as! Linear).weight.value != Tensor(zeros: [2, 2]))
        #expect(c.description == net.description)
    }

    /// A training step in its steady state writes into the buffers of the step before:
    /// no layer's output, cached input or gradient moves to new storage.
    @Test func steadyStateStepsReuseTheirBuffers() throws {
        let source = RandomSource(seed: 12)
        let net = try Network([try Linear(inputs: 6, outputs: 5, source: source), Activation(.relu),
                               try Linear(inputs: 5, outputs: 4, source: source), Activation(.tanh),
                               try Linear(inputs: 4, outputs: 3, source: source), Softmax()])
        let x = randomTensor([8, 6], source), y = Tensor((0..<8).map { Float($0 % 3) })
        func addresses() -> [UnsafeRawPointer?] {
            var result: [UnsafeRawPointer?] = []
            func add(_ t: Tensor) { result.append(t.scalars.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }) }
            for layer in net.layers {
                if let l = layer as? Linear { add(l.output); add(l.cachedInput) }
                if let a = layer as? Activation, a.fusedProducer == nil { add(a.output) }
                if let s = layer as? Softmax { add(s.output); add(s.cachedInput) }
            }
            for (_, p) in net.namedParameters { add(p.grad); add(p.value) }
            add(net.lossGradient!)
            return result
        }
        for _ in 0..<2 { try net.lossAndGradients(input: x, target: y, loss: .crossEntropy) }
        let before = addresses()
        for _ in 0..<3 {
            try net.lossAndGradients(input: x, target: y, loss: .crossEntropy)
            for (_, p) in net.namedParameters {   // an optimizer step, written in place
                p.value.scalars.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] -= 0.01 * p.grad.scalars[i] } }
            }
        }
        #expect(addresses() == before)
    }
}
