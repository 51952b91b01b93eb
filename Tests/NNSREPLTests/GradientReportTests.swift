import Foundation
import NNEngine
import Testing
import NNSLanguage
@testable import NNSREPL
import TestFixtures

@Suite struct GradientReportTests {
    @Test func rowsHoldNormMeanAndMaximumOfEachGradient() throws {
        let net = try HandworkedExample.network()
        _ = try RecordedPass.backward(net, input: Tensor([0.5, 0.8]), target: Tensor([1]), loss: .mse)
        let rows = GradientReport.rows(net, learningRate: 0.5)
        #expect(rows.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        // ∂C/∂W² = δ²·a¹ with δ² = (σ(z²) − 1)σ'(z²), computed here in Double from the notes' inputs.
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let a1 = [sigmoid(0.52), sigmoid(0.43)]
        let y = sigmoid(0.6 * a1[0] + 0.5 * a1[1] + 0.3)
        let delta2 = (y - 1) * y * (1 - y)
        let g = [delta2 * a1[0], delta2 * a1[1]]
        let w2 = rows[2]
        #expect(w2.shape == [1, 2])
        #expect(abs(w2.norm - (g[0] * g[0] + g[1] * g[1]).squareRoot()) < 1e-6)
        #expect(abs(w2.mean - (g[0] + g[1]) / 2) < 1e-6)
        #expect(abs(w2.maxAbs - abs(g[0])) < 1e-6)
        // ‖lr·g‖/‖W‖ with ‖W²‖ = √(0.36 + 0.25).
        #expect(abs(w2.relativeUpdate! - 0.5 * w2.norm / 0.61.squareRoot()) < 1e-6)
        #expect(rows.allSatisfy { $0.flag == nil })
    }

    @Test func flagsVanishingAndExplodingGradients() throws {
        let net = try HandworkedExample.network()
        let params = net.namedParameters.map(\.parameter)
        params[0].grad = Tensor(rows: [[1e-9, 0], [0, 0]])
        params[1].grad = Tensor([2000, 0])
        params[2].grad = Tensor(rows: [[0.1, 0.1]])
        params[3].grad = Tensor([.nan])
        let flags = GradientReport.rows(net, learningRate: nil).map(\.flag)
        #expect(flags == ["vanishing", "exploding", nil, "not finite"])
        let text = GradientReport.render(GradientReport.rows(net, learningRate: nil), learningRate: nil)
        #expect(text.contains("⚠ vanishing") && text.contains("⚠ exploding"))
        #expect(!text.contains("lr·g"))
    }
}
