import Foundation
import NNEngine
import Testing
import NNSLanguage
@testable import NNSREPL

/// Step-through and `:stats` on a convolutional network (SPEC §13), on the 6×6 image of
/// samples/convolution.nns with the vertical-edge kernel [[-1, 0, 1]] × 3 and bias −1.
/// Every expected number below was worked by hand (and checked with NumPy: the correlation
/// z[i,j] = Σ_u Σ_v k[u,v]·x[i+u, j+v] − 1, relu, 2×2 max pooling, and for mse against
/// zeros δ routed back to each window's winner):
///   z  = [[3, 7, 4, −2], [5, 6, 1, −4], [7, 5, −3, −7], [6, 6, −4, −9]]
///   relu(z) pooled = [[7, 4], [7, 0]],  C = ½(49 + 16 + 49) = 57
///   δ  = ∂C/∂z = 7 at (0,1), 4 at (0,2), 7 at (2,0), 0 elsewhere
///   ∂C/∂W = [[4, 26, 47], [4, 26, 54], [15, 33, 54]],  ∂C/∂b = 18
@Suite struct ImageStepTests {
    static let image: [Float] = [0, 0, 1, 3, 3, 3,
                                 0, 0, 1, 3, 3, 3,
                                 0, 1, 2, 3, 3, 2,
                                 0, 1, 3, 3, 2, 1,
                                 0, 1, 3, 3, 1, 0,
                                 0, 0, 1, 3, 1, 0]

    func edgeNetwork() throws -> Network {
        let kernel = Tensor(shape: [1, 1, 3, 3], scalars: [-1, 0, 1, -1, 0, 1, -1, 0, 1])
        return try Network([
            try Reshape([1, 6, 6]),
            try Conv2D(inChannels: 1, outChannels: 1, window: Window2D(kernel: Extent2D(square: 3), stride: Extent2D(square: 1)),
                       weight: kernel, bias: Tensor([-1])),
            Activation(.relu),
            try Pool2D(.max, kernel: Extent2D(square: 2)),
            Flatten(),
        ])
    }

    @Test func convPageWorksOneElementWithItsPatch() throws {
        let pass = try RecordedPass.forward(try edgeNetwork(), input: Tensor(Self.image))
        let pages = ForwardStepView.pages(pass.forward)
        #expect(pages.count == 5)
        #expect(pages[0].contains("[36] → [1×6×6]"))
        let conv = pages[1]
        #expect(conv.contains("z¹[o,i,j] = Σ_c Σ_u Σ_v W¹[o,c,u,v]·a⁰[c, i·s+u, j·s+v] + b¹[o]"))
        // The largest |z − b| is 8, first at (0, 1): the patch rows 0–2, columns 1–3.
        #expect(conv.contains("worked for z¹[0,0,1]"))
        #expect(numbers(in: row("a⁰[0:3, 1:4]", in: conv) ?? "").suffix(9) == [0, 1, 3, 0, 1, 3, 1, 2, 3].map { Double($0) })
        #expect(conv.contains("(-1.00)·0 + 0·1.00 + 1.00·3.00 + (-1.00)·0 + 0·1.00 + 1.00·3.00 + (-1.00)·1.00 + 0·2.00 + 1.00·3.00 = 8.00"))
        #expect(conv.contains("z¹[0,0,1] = 8.00 − 1.00 = 7.00"))
        #expect(numbers(in: row("z¹[0]", in: conv) ?? "").suffix(16) == [3, 7, 4, -2, 5, 6, 1, -4, 7, 5, -3, -7, 6, 6, -4, -9])
        // Pooling: the output 7 at (0, 0) comes from the window [[3, 7], [5, 6]], won at (0, 1).
        let pool = pages[3]
        #expect(pool.contains("max = 7.00, from a¹[0,0,1]"))
        #expect(numbers(in: row("a¹′[0]", in: pool) ?? "").suffix(4) == [7, 4, 7, 0])
        #expect(pages[4].contains("a¹′′ = flatten(a¹′):  [1×2×2] → [4]"))
    }

    @Test func convBackwardPageShowsDeltaAndKernelGradient() throws {
        let pass = try RecordedPass.backward(try edgeNetwork(), input: Tensor(Self.image),
                                             target: Tensor(zeros: [4]), loss: .mse)
        let pages = BackwardStepView.pages(pass)
        #expect(pages[0].contains("= 57.0"))
        let conv = try #require(pages.first { $0.hasPrefix("layer 1") })
        #expect(numbers(in: row("δ¹[0]", in: conv) ?? "").suffix(16) == [0, 7, 4, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0])
        #expect(numbers(in: row("∂C/∂W¹[0]", in: conv) ?? "").suffix(9) == [4, 26, 47, 4, 26, 54, 15, 33, 54])
        #expect(numbers(in: row("∂C/∂b¹", in: conv) ?? "").last == 18)
        // ∂C/∂W[0,0,0,0] = Σ δ[i,j]·x[i,j] = 7·0 + 4·1 + 7·0.
        #expect(conv.contains("= 7.00·0 + 4.00·1.00 + 7.00·0 (the terms with δ ≠ 0) = 4.00   (the pass gave 4.00)"))
        #expect(conv.contains("maxpool: each window's gradient to the input that won it"))
    }

    @Test func gradientReportGivesAConvWeightARowPerOutputChannel() throws {
        let net = try edgeNetwork()
        _ = try RecordedPass.backward(net, input: Tensor(Self.image), target: Tensor(zeros: [4]), loss: .mse)
        let rows = GradientReport.rows(net, learningRate: nil)
        #expect(rows.map(\.name) == ["1.weight", "out 0", "1.bias"])
        // ‖∂C/∂W‖ = √(4² + 26² + 47² + 4² + 26² + 54² + 15² + 33² + 54²) = √10739; one channel, the same.
        #expect(abs(rows[0].norm - 10739.0.squareRoot()) < 1e-3 && abs(rows[1].norm - rows[0].norm) < 1e-9)
        #expect(rows[1].channel == 0 && rows[1].shape == [1, 3, 3])
        #expect(rows[2].norm == 18)
    }

    @Test func statsGiveARowPerChannel() throws {
        // Two channels: the edge kernel and its negative; relu keeps the left edge in channel 0
        // and the right edge in channel 1.
        let kernel = Tensor(shape: [2, 1, 3, 3], scalars: [-1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0, -1, 1, 0, -1])
        let net = try Network([
            try Reshape([1, 6, 6]),
            try Conv2D(inChannels: 1, outChannels: 2, window: Window2D(kernel: Extent2D(square: 3), stride: Extent2D(square: 1)),
                       weight: kernel, bias: Tensor([-1, -1])),
            Activation(.relu),
        ])
        let pass = try RecordedPass.forward(net, input: Tensor(Self.image))
        let rows = ActivationStats.rows(pass.forward)
        let relu = rows.filter { $0.index == 2 }
        #expect(relu.count == 3)   // the layer and its two channels
        // Channel 0: relu(z) = [3,7,4,0, 5,6,1,0, 7,5,0,0, 6,6,0,0], sum 50, mean 3.125, 6 of 16 zero.
        #expect(relu[1].channel == 0 && abs(relu[1].mean - 3.125) < 1e-9 && relu[1].deadShare == 6.0 / 16)
        // Channel 1: relu(−z − 2) = relu(−(z + 1) − 1): for z + 1 = [4,8,5,−1, 6,7,2,−3, 8,6,−2,−6, 7,7,−3,−8]
        // that is [0,0,0,0, 0,0,0,2, 0,0,1,5, 0,0,2,7], sum 17, mean 1.0625, 11 of 16 zero.
        #expect(relu[2].channel == 1 && abs(relu[2].mean - 1.0625) < 1e-9 && relu[2].deadShare == 11.0 / 16)
        #expect(relu[0].deadShare == 17.0 / 32)
        let text = ActivationStats.render(rows)
        #expect(text.contains("  channel 1"))
    }
}
