import Foundation
import Testing
@testable import NNEngine

/// Central-difference checks of the convolutional layers, with `GradcheckTests`' method and
/// tolerance: the reference below is a direct loop over the definitions in Float64.
struct CNNGradcheckTests {
    static func conv(_ i: Int, _ o: Int, _ k: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                     _ source: RandomSource) throws -> Conv2D {
        let layer = try Conv2D(inChannels: i, outChannels: o,
                               window: Window2D(kernel: Extent2D(k.0, k.1), stride: Extent2D(stride.0, stride.1),
                                                padding: Extent2D(padding.0, padding.1)), source: source)
        layer.bias.value = randomTensor([o], source)
        return layer
    }

    @Test func strideTwoPaddedSeveralChannels() throws {
        let s = RandomSource(seed: 21)
        // 2×5×5 → conv 3@3×3 stride 2 pad 1 → 3×3×3
        let net = try Network([try Reshape([2, 5, 5]), try Self.conv(2, 3, (3, 3), stride: (2, 2), padding: (1, 1), s),
                               Activation(.tanh), Flatten(), try Linear(inputs: 27, outputs: 2, source: s)])
        try GradcheckTests().check(net, loss: .mse, x: randomTensor([3, 50], s), target: randomTensor([3, 2], s), mode: .training)
    }

    @Test func rectangularKernelAndStride() throws {
        let s = RandomSource(seed: 22)
        // 2×6×7 → conv 2@[3, 2] stride [1, 2] pad [1, 0] → 2×6×3
        let net = try Network([try Reshape([2, 6, 7]), try Self.conv(2, 2, (3, 2), stride: (1, 2), padding: (1, 0), s),
                               Activation(.sigmoid), Flatten(), try Linear(inputs: 36, outputs: 3, source: s), Softmax()])
        try GradcheckTests().check(net, loss: .crossEntropy, x: randomTensor([2, 84], s), target: Tensor([0, 2]), mode: .training)
    }

    @Test(arguments: [Pooling.Kind.max, .average])
    func pooling(_ kind: Pooling.Kind) throws {
        let s = RandomSource(seed: 23)
        // 1×7×7 → conv 2@2 → 2×6×6 → pool 2 (stride 2) → 2×3×3 → pool 2 stride 1 → 2×2×2
        let net = try Network([try Reshape([1, 7, 7]), try Self.conv(1, 2, (2, 2), s), Activation(.relu),
                               try Pool2D(kind, kernel: Extent2D(2, 2)),
                               try Pool2D(kind, kernel: Extent2D(2, 2), stride: Extent2D(1, 1)),
                               Flatten(), try Linear(inputs: 8, outputs: 3, source: s)])
        try GradcheckTests().check(net, loss: .crossEntropy, x: randomTensor([3, 49], s), target: Tensor([2, 0, 1]), mode: .training)
        net.fusesLinearReLU = false       // conv2d and relu as two passes too
        try GradcheckTests().check(net, loss: .crossEntropy, x: randomTensor([3, 49], s), target: Tensor([1, 1, 0]), mode: .training)
    }

    /// The trainer's pass (no ∂C/∂x wanted, so the reshape and the first conv's ∂C/∂x are
    /// skipped, and relu |> maxpool runs as one backward pass) sets the gradients that the
    /// traced pass (every layer on its own) sets.
    @Test func trainingPassGivesTheTracedGradients() throws {
        let s = RandomSource(seed: 27)
        let net = try Network([try Reshape([2, 6, 6]), try Self.conv(2, 3, (3, 3), s), Activation(.relu),
                               try Pool2D(.max, kernel: Extent2D(2, 2)), try Self.conv(3, 2, (2, 2), s), Activation(.relu),
                               try Pool2D(.max, kernel: Extent2D(1, 1)), Flatten(), try Linear(inputs: 2, outputs: 3, source: s)])
        let x = randomTensor([4, 72], s), target = Tensor([2, 0, 1, 1])
        func gradients() -> [[Float]] { net.layers.flatMap { $0.parameters.map { $0.grad.scalars } } }
        try net.lossAndGradients(input: x, target: target, loss: .crossEntropy, trace: BackwardTrace())
        let traced = gradients()
        try net.lossAndGradients(input: x, target: target, loss: .crossEntropy)
        for (a, b) in zip(gradients(), traced) {
            #expect(a.count == b.count)
            for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-6 * max(1, abs(v))) }
        }
        #expect(traced.joined().contains { $0 != 0 })
    }

    @Test(arguments: [PassMode.training, .inference])
    func batchnorm2d(_ mode: PassMode) throws {
        let s = RandomSource(seed: 24)
        let bn = try BatchNorm2D(channels: 3)
        bn.weight.value = randomTensor([3], s, low: 0.5, high: 1.5)
        bn.bias.value = randomTensor([3], s)
        bn.runningMean.value = randomTensor([3], s)
        bn.runningVar.value = randomTensor([3], s, low: 0.5, high: 2)
        let net = try Network([try Reshape([2, 4, 4]), try Self.conv(2, 3, (3, 3), s), bn, Activation(.tanh),
                               Flatten(), try Linear(inputs: 12, outputs: 2, source: s)])
        try GradcheckTests().check(net, loss: .mse, x: randomTensor([4, 32], s), target: randomTensor([4, 2], s), mode: mode)
    }

    /// The running statistics move as PyTorch's: momentum 0.1, variance unbiased over m·h·w.
    @Test func batchnorm2dRunningStatistics() throws {
        let bn = try BatchNorm2D(channels: 1)
        // channel values 1, 2, 3, 4 (two images of 1×1×2): mean 2.5, unbiased variance 5/3
        _ = try bn.forward(Tensor(shape: [2, 1, 1, 2], scalars: [1, 2, 3, 4]), mode: .training)
        #expect(abs(bn.runningMean.value.scalars[0] - 0.25) < 1e-6)
        #expect(abs(bn.runningVar.value.scalars[0] - (0.9 + 0.1 * 5 / 3)) < 1e-6)
        #expect(bn.batchesTracked.value.scalars[0] == 1)
    }

    /// The layer's output against the direct loop of the definition.
    @Test func convolutionLayerMatchesDirectLoop() throws {
        let s = RandomSource(seed: 25)
        let layer = try Self.conv(3, 4, (3, 2), stride: (2, 1), padding: (1, 1), s)
        let x = randomTensor([2, 3, 5, 6], s)
        let y = try layer.forward(x, mode: .inference)
        var sample = [3, 5, 6]
        let reference = ReferenceNetwork.convolve(x.scalars.map(Double.init), rows: 2, sample: &sample, layer: layer,
                                                  w: layer.weight.value.scalars.map(Double.init),
                                                  b: layer.bias.value.scalars.map(Double.init))
        #expect(y.shape == [2] + sample)
        #expect(y.shape == [2, 4, 3, 7])
        for (a, r) in zip(y.scalars, reference) { #expect(abs(Double(a) - r) < 1e-5) }
    }
}

extension ReferenceNetwork {
    /// The convolutional layers' forward, in Double from the definitions; nil for other layers.
    func convolutionalForward(_ layer: Layer, index i: Int, _ a: [Double], sample: inout [Int]) -> [Double]? {
        switch layer {
        case let r as Reshape:
            sample = r.shape
            return a
        case is Flatten:
            sample = [sample.reduce(1, *)]
            return a
        case let c as Conv2D:
            return ReferenceNetwork.convolve(a, rows: rows, sample: &sample, layer: c,
                                             w: values["\(i).weight"]!, b: values["\(i).bias"]!)
        case let p as Pool2D:
            let (c, h, w) = (sample[0], sample[1], sample[2])
            let k = p.window.kernel, s = p.window.stride
            let oh = (h - k.height) / s.height + 1, ow = (w - k.width) / s.width + 1
            var out = [Double]()
            for r in 0..<rows {
                for ch in 0..<c {
                    for y in 0..<oh {
                        for x in 0..<ow {
                            var values = [Double]()
                            for u in 0..<k.height {
                                for v in 0..<k.width { values.append(a[((r * c + ch) * h + y * s.height + u) * w + x * s.width + v]) }
                            }
                            out.append(p.kind == "maxpool" ? values.max()! : values.reduce(0, +) / Double(values.count))
                        }
                    }
                }
            }
            sample = [c, oh, ow]
            return out
        case is BatchNorm2D:
            let (c, plane) = (sample[0], sample[1] * sample[2])
            let gamma = values["\(i).weight"]!, beta = values["\(i).bias"]!
            var out = a
            for ch in 0..<c {
                let indices = (0..<rows).flatMap { r in (0..<plane).map { (r * c + ch) * plane + $0 } }
                let mean: Double, variance: Double
                if mode == .training {
                    mean = indices.map { a[$0] }.reduce(0, +) / Double(indices.count)
                    variance = indices.map { (a[$0] - mean) * (a[$0] - mean) }.reduce(0, +) / Double(indices.count)
                } else {
                    mean = values["\(i).running_mean"]![ch]
                    variance = values["\(i).running_var"]![ch]
                }
                for j in indices { out[j] = gamma[ch] * (a[j] - mean) / (variance + 1e-5).squareRoot() + beta[ch] }
            }
            return out
        default:
            return nil
        }
    }

    /// z[o,i,j] = Σ_c Σ_u Σ_v W[o,c,u,v]·a[c, i·s+u−p, j·s+v−p] + b[o], zero outside the image.
    static func convolve(_ a: [Double], rows: Int, sample: inout [Int], layer: Conv2D, w: [Double], b: [Double]) -> [Double] {
        let (c, h, wd) = (sample[0], sample[1], sample[2])
        let k = layer.window.kernel, s = layer.window.stride, p = layer.window.padding
        let oh = (h + 2 * p.height - k.height) / s.height + 1, ow = (wd + 2 * p.width - k.width) / s.width + 1
        let out = layer.outChannels
        var z = [Double]()
        for r in 0..<rows {
            for o in 0..<out {
                for y in 0..<oh {
                    for x in 0..<ow {
                        var sum = b[o]
                        for ch in 0..<c {
                            for u in 0..<k.height {
                                for v in 0..<k.width {
                                    let (iy, ix) = (y * s.height + u - p.height, x * s.width + v - p.width)
                                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                                    sum += w[((o * c + ch) * k.height + u) * k.width + v] * a[((r * c + ch) * h + iy) * wd + ix]
                                }
                            }
                        }
                        z.append(sum)
                    }
                }
            }
        }
        sample = [out, oh, ow]
        return z
    }
}
