import Foundation
import Testing
@testable import NNEngine
import TestFixtures

/// SPEC §12, the classroom example: a 2-2-1 sigmoid network, x = [0.5, 0.8], y = 1, mse.
/// Every reference number is computed here in Float64 from the notes' formulas
/// (z = W·a + b, a = σ(z), δᴸ = (ŷ − y)σ'(zᴸ), δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ σ'(zˡ), ∂C/∂W = δ·aᵀ).
struct HandworkedExampleTests {
    let x = [0.5, 0.8]
    let w1 = [[0.2, 0.4], [0.3, 0.1]], b1 = [0.1, 0.2]
    let w2 = [0.6, 0.5], b2 = 0.3
    let y = 1.0

    func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    func network() throws -> Network { try HandworkedExample.network() }

    // Float64 reference pass
    var z1: [Double] { (0..<2).map { i in w1[i][0] * x[0] + w1[i][1] * x[1] + b1[i] } }
    var a1: [Double] { z1.map(sigma) }
    var z2: Double { w2[0] * a1[0] + w2[1] * a1[1] + b2 }
    var yhat: Double { sigma(z2) }
    var cost: Double { 0.5 * (yhat - y) * (yhat - y) }
    var delta2: Double { (yhat - y) * yhat * (1 - yhat) }
    var delta1: [Double] { (0..<2).map { i in w2[i] * delta2 * a1[i] * (1 - a1[i]) } }

    @Test func referenceAgreesWithTheSpecsRoundedNumbers() {
        // The SPEC prints rounded values; the reference must round to them.
        #expect(abs(z1[0] - 0.52) < 1e-12 && abs(z1[1] - 0.43) < 1e-12)
        #expect(abs(a1[0] - 0.627) < 5e-4 && abs(a1[1] - 0.606) < 5e-4)
        #expect(abs(z2 - 0.979) < 5e-4)
        #expect(abs(yhat - 0.727) < 5e-4)
        #expect(abs(cost - 0.0373) < 5e-5)
        #expect(abs(delta2 - -0.0542) < 5e-5)
        #expect(abs(delta2 * a1[0] - -0.0340) < 5e-5 && abs(delta2 * a1[1] - -0.0328) < 5e-5)
        #expect(abs(delta1[0] - -0.00760) < 5e-6 && abs(delta1[1] - -0.00647) < 5e-6)
        #expect(abs(delta1[0] * x[0] - -0.00380) < 5e-6 && abs(delta1[0] * x[1] - -0.00608) < 5e-6)
        #expect(abs(delta1[1] * x[0] - -0.00324) < 5e-6 && abs(delta1[1] * x[1] - -0.00518) < 5e-6)
    }

    @Test func forwardTraceMatches() throws {
        let net = try network()
        let trace = ForwardTrace()
        let out = try net.forward(Tensor([0.5, 0.8]), trace: trace)
        #expect(out.shape == [1])
        #expect(abs(Double(out.scalars[0]) - yhat) < 1e-4)
        #expect(trace.steps.count == 4)
        #expect(trace.steps[0].input.scalars == [0.5, 0.8])
        expectClose(trace.steps[0].output, z1, 1e-4)
        expectClose(trace.steps[1].input, z1, 1e-4)
        expectClose(trace.steps[1].output, a1, 1e-4)
        expectClose(trace.steps[2].output, [z2], 1e-4)
        expectClose(trace.steps[3].output, [yhat], 1e-4)
        #expect(trace.steps[0].output.shape == [2])
    }

    @Test func backwardTraceMatches() throws {
        let net = try network()
        let trace = BackwardTrace()
        let c = try net.lossAndGradients(input: Tensor([0.5, 0.8]), target: Tensor([1]), loss: .mse, trace: trace)
        #expect(abs(c - cost) < 1e-4)
        #expect(abs((trace.loss ?? .nan) - cost) < 1e-4)
        expectClose(trace.lossGradient!, [yhat - y], 1e-4)
        #expect(trace.steps.map(\.index) == [3, 2, 1, 0])
        // the output sigmoid hands δ² down
        expectClose(trace.steps[0].inputGradient!, [delta2], 1e-4)
        // layer 2: δ², ∂C/∂W², ∂C/∂b² = δ², and W²ᵀδ² handed down
        expectClose(trace.steps[1].outputGradient!, [delta2], 1e-4)
        expectClose(trace.steps[1].weightGradient!, [delta2 * a1[0], delta2 * a1[1]], 1e-4)
        expectClose(trace.steps[1].biasGradient!, [delta2], 1e-4)
        expectClose(trace.steps[1].inputGradient!, [w2[0] * delta2, w2[1] * delta2], 1e-4)
        // the hidden sigmoid hands δ¹ down
        expectClose(trace.steps[2].inputGradient!, delta1, 1e-4)
        // layer 0: δ¹, ∂C/∂W¹ = δ¹xᵀ, ∂C/∂b¹ = δ¹; no gradient for x
        expectClose(trace.steps[3].outputGradient!, delta1, 1e-4)
        expectClose(trace.steps[3].weightGradient!,
                    [delta1[0] * x[0], delta1[0] * x[1], delta1[1] * x[0], delta1[1] * x[1]], 1e-4)
        expectClose(trace.steps[3].biasGradient!, delta1, 1e-4)
        #expect(trace.steps[3].inputGradient == nil)
        // and the parameters carry the same gradients
        let w1grad = net.namedParameters.first { $0.name == "0.weight" }!.parameter.grad
        #expect(w1grad.shape == [2, 2])
        expectClose(w1grad, [delta1[0] * x[0], delta1[0] * x[1], delta1[1] * x[0], delta1[1] * x[1]], 1e-4)
    }

    @Test func printsAsThePipeline() throws {
        #expect(try network().description == "linear(2, 2) |> sigmoid |> linear(2, 1) |> sigmoid")
    }
}

/// `t`'s elements equal `expected` within `tolerance` each.
func expectClose(_ t: Tensor, _ expected: [Double], _ tolerance: Double,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(t.count == expected.count, "count \(t.count) vs \(expected.count)", sourceLocation: sourceLocation)
    for (a, b) in zip(t.scalars, expected) {
        #expect(abs(Double(a) - b) <= tolerance, "\(a) vs \(b)", sourceLocation: sourceLocation)
    }
}
