import Foundation
import NNEngine
import Testing
import NNSLanguage
@testable import NNSREPL
import TestFixtures

/// The step-through pages must show the notes' hand-worked numbers (cmsc173 module 12):
/// z¹ = [0.52, 0.43], a¹ = [0.627, 0.606], z² = 0.979, ŷ = 0.727; with y = 1 and mse,
/// C = ½(0.727 − 1)² = 0.0373, δ² = −0.0542, ∂C/∂W² = [−0.0340, −0.0328],
/// δ¹ = [−0.00760, −0.00647], ∂C/∂W¹ = [[−0.00380, −0.00608], [−0.00324, −0.00518]].
@Suite struct StepThroughTests {
    @Test func forwardPagesShowTheHandworkedNumbersLayerByLayer() throws {
        let pass = try RecordedPass.forward(try HandworkedExample.network(), input: Tensor([0.5, 0.8]))
        let pages = ForwardStepView.pages(pass.forward)
        #expect(pages.count == 4)
        #expect(pages[0].contains("z¹ = W¹·a⁰ + b¹"))
        #expect(numbers(in: row("z¹", in: pages[0]) ?? "").suffix(2) == [0.520, 0.430])
        #expect(pages[1].contains("a¹ = σ(z¹)"))
        #expect(numbers(in: row("a¹", in: pages[1]) ?? "").suffix(2) == [0.627, 0.606])
        #expect(pages[2].contains("z² = W²·a¹ + b²"))
        #expect(numbers(in: row("z²", in: pages[2]) ?? "").last == 0.979)
        #expect(numbers(in: row("a²", in: pages[3]) ?? "").last == 0.727)
        // Shapes are shown: W¹ is 2×2.
        #expect(row("W¹", in: pages[0])?.contains("[2×2]") == true)
    }

    @Test func backwardPagesFollowTheDeltaMethod() throws {
        let pass = try RecordedPass.backward(try HandworkedExample.network(), input: Tensor([0.5, 0.8]),
                                             target: Tensor([1]), loss: .mse)
        let pages = BackwardStepView.pages(pass)
        #expect(pages.count == 3)   // the loss, layer 2, layer 1
        #expect(pages[0].contains("= 0.0373"))
        let top = pages[1]
        #expect(top.contains("δ² = ∂C/∂a² ⊙ σ'(z²)"))
        #expect(numbers(in: row("δ²", in: top) ?? "").last == -0.0542)
        #expect(top.contains("∂C/∂W² = δ²·(a¹)ᵀ"))
        #expect(numbers(in: row("∂C/∂W²", in: top) ?? "").suffix(2) == [-0.0340, -0.0328])
        #expect(numbers(in: row("∂C/∂b²", in: top) ?? "").last == -0.0542)
        // Handed down: (W²)ᵀδ² = [0.6, 0.5]·(−0.054206) = [−0.0325, −0.0271].
        #expect(numbers(in: row("∂C/∂a¹", in: top) ?? "").suffix(2) == [-0.0325, -0.0271])
        let lower = pages[2]
        #expect(lower.contains("δ¹ = ((W²)ᵀδ²) ⊙ σ'(z¹)"))
        #expect(numbers(in: row("δ¹", in: lower) ?? "").suffix(2) == [-0.00760, -0.00647])
        #expect(numbers(in: row("∂C/∂W¹", in: lower) ?? "").suffix(4) == [-0.00380, -0.00608, -0.00324, -0.00518])
    }

    @Test func reluPagesReportDeadUnits() throws {
        // Unit 2 has weights [−1, 0]: negative for both (positive-x) samples, so it is dead.
        let net = try Network([
            Linear(inputs: 2, outputs: 2, weight: Tensor(rows: [[1, 0], [-1, 0]]), bias: Tensor([0, 0])),
            Activation(.relu),
        ])
        let pass = try RecordedPass.forward(net, input: Tensor(rows: [[1, 0], [2, 0]]))
        let pages = ForwardStepView.pages(pass.forward)
        #expect(pages[1].contains("dead units: 1 of 2 (50%)"))
        let stats = ActivationStats.rows(pass.forward)
        #expect(stats[1].deadShare == 0.5)
        // relu output [[1, 0], [2, 0]]: mean 0.75, population std √((0.0625+0.5625+1.5625+0.5625)/4).
        #expect(abs(stats[1].mean - 0.75) < 1e-9)
        #expect(abs(stats[1].std - (2.75 / 4).squareRoot()) < 1e-6)
    }

    @Test func largeTensorsAreSummarised() throws {
        let t = Tensor(shape: [5, 5], scalars: (0..<25).map { Float($0) })
        let text = NumberFormat.tensor(t)
        // 0…24: mean 12, population std √52 = 7.21, min 0, max 24.
        #expect(text == "mean 12.0  std 7.21  min 0  max 24.0")
    }

    @Test func sigmoidSaturationIsCounted() throws {
        let a = Tensor([0.995, 0.5, 0.004, 0.2])
        #expect(TensorDisplay.saturatedShare(a, kind: "sigmoid") == 0.5)
        #expect(TensorDisplay.saturatedShare(Tensor([-0.999, 0.1]), kind: "tanh") == 0.5)
        #expect(TensorDisplay.saturatedShare(a, kind: "relu") == nil)
    }

    @Test func notationNamesInputsAndRepeatedActivations() throws {
        let relu = try Network([Activation(.relu)])
        let page = ForwardStepView.pages(try RecordedPass.forward(relu, input: Tensor([1, -2])).forward)[0]
        #expect(page.contains("a⁰ = max(0, x)"))
        #expect(numbers(in: row("a⁰", in: page) ?? "").suffix(2) == [1, 0])
        let stacked = try Network([Linear(inputs: 1, outputs: 1, weight: Tensor(rows: [[2]]), bias: Tensor([0])),
                                   Activation(.relu), Activation(.tanh)])
        let pages = ForwardStepView.pages(try RecordedPass.forward(stacked, input: Tensor([0.5])).forward)
        #expect(pages[2].contains("a¹′ = tanh(a¹)"))
        #expect(numbers(in: row("a¹′", in: pages[2]) ?? "").last == 0.762)   // tanh(1) = 0.76159
    }
}
