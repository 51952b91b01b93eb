import Testing
@testable import NNEngine

/// Convolution against a direct loop written from the definition (in Double), its gradients
/// against central differences of that loop, and a hand-worked edge detector.
@Suite struct ConvolutionTests {
    struct Case: CustomStringConvertible {
        var m, c, h, w, out, kh, kw, stride, padding: Int
        var description: String { "m\(m) c\(c) \(h)×\(w) → \(out)@\(kh)×\(kw) s\(stride) p\(padding)" }
        var window: Window2D {
            Window2D(kernel: Extent2D(kh, kw), stride: Extent2D(square: stride), padding: Extent2D(square: padding))
        }
        var oh: Int { (h + 2 * padding - kh) / stride + 1 }
        var ow: Int { (w + 2 * padding - kw) / stride + 1 }
    }

    static let cases = [
        Case(m: 1, c: 1, h: 5, w: 5, out: 1, kh: 3, kw: 3, stride: 1, padding: 0),
        Case(m: 2, c: 3, h: 6, w: 5, out: 4, kh: 3, kw: 2, stride: 1, padding: 1),
        Case(m: 3, c: 2, h: 7, w: 7, out: 2, kh: 3, kw: 3, stride: 2, padding: 1),
        Case(m: 2, c: 4, h: 8, w: 6, out: 3, kh: 5, kw: 5, stride: 2, padding: 2),
        Case(m: 1, c: 2, h: 4, w: 4, out: 2, kh: 1, kw: 1, stride: 1, padding: 0),
        // More images than the backward pass's 16 chunks (two per chunk, the last one short),
        // and rows of exactly one vector (ow 8), the second MNIST conv's fast path.
        Case(m: 17, c: 1, h: 3, w: 10, out: 3, kh: 3, kw: 3, stride: 1, padding: 0),
        // Rows of a vector, half a vector and one float (ow 13), padded at both ends.
        Case(m: 17, c: 1, h: 3, w: 13, out: 2, kh: 3, kw: 3, stride: 1, padding: 1),
    ]

    /// Deterministic values in [-1, 1) that are not all alike.
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float((($0 * 7919 + seed * 104_729) % 2001) - 1000) / 1000 }
    }

    /// y[n,o,i,j] = b[o] + Σ_c Σ_u Σ_v W[o,c,u,v]·x[n,c,i·s+u−p, j·s+v−p], straight from the definition.
    static func reference(_ k: Case, x: [Double], w: [Double], b: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: k.m * k.out * k.oh * k.ow)
        for n in 0..<k.m { for o in 0..<k.out { for i in 0..<k.oh { for j in 0..<k.ow {
            var sum = b[o]
            for c in 0..<k.c { for u in 0..<k.kh { for v in 0..<k.kw {
                let row = i * k.stride + u - k.padding, col = j * k.stride + v - k.padding
                guard row >= 0, row < k.h, col >= 0, col < k.w else { continue }
                sum += w[((o * k.c + c) * k.kh + u) * k.kw + v] * x[((n * k.c + c) * k.h + row) * k.w + col]
            } } }
            y[((n * k.out + o) * k.oh + i) * k.ow + j] = sum
        } } } }
        return y
    }

    @Test(arguments: cases) func forwardMatchesTheDefinition(_ k: Case) throws {
        let x = Self.values(k.m * k.c * k.h * k.w, seed: 1), w = Self.values(k.out * k.c * k.kh * k.kw, seed: 2)
        let b = Self.values(k.out, seed: 3)
        var conv = Convolution(window: k.window)
        var y = Tensor(zeros: [0])
        try conv.forward(Tensor(shape: [k.m, k.c, k.h, k.w], scalars: x), weight: Tensor(shape: [k.out, k.c, k.kh, k.kw], scalars: w),
                         bias: Tensor(b), into: &y)
        #expect(y.shape == [k.m, k.out, k.oh, k.ow])
        let expected = Self.reference(k, x: x.map(Double.init), w: w.map(Double.init), b: b.map(Double.init))
        for (got, want) in zip(y.scalars, expected) { #expect(abs(Double(got) - want) < 1e-5) }
    }

    /// C = Σ y ⊙ R for fixed R, so ∂C/∂y = R; every gradient against central differences of
    /// the Double reference (step 1e-6).
    @Test(arguments: cases) func gradientsMatchCentralDifferences(_ k: Case) throws {
        let x = Self.values(k.m * k.c * k.h * k.w, seed: 4), w = Self.values(k.out * k.c * k.kh * k.kw, seed: 5)
        let b = Self.values(k.out, seed: 6), r = Self.values(k.m * k.out * k.oh * k.ow, seed: 7)
        var conv = Convolution(window: k.window)
        var y = Tensor(zeros: [0])
        let weight = Tensor(shape: [k.out, k.c, k.kh, k.kw], scalars: w)
        try conv.forward(Tensor(shape: [k.m, k.c, k.h, k.w], scalars: x), weight: weight, bias: Tensor(b), into: &y)
        var dW = Tensor(zeros: weight.shape), db = Tensor(zeros: [k.out])
        var dx: Tensor? = Tensor(zeros: [0])
        try conv.backward(Tensor(shape: y.shape, scalars: r), weight: weight, weightGradient: &dW, biasGradient: &db, inputGradient: &dx)

        let (xd, wd, bd, rd) = (x.map(Double.init), w.map(Double.init), b.map(Double.init), r.map(Double.init))
        func cost(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double {
            zip(Self.reference(k, x: x, w: w, b: b), rd).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let h = 1e-6
        func check(_ analytic: [Float], _ count: Int, _ perturbed: (Int, Double) -> Double) {
            #expect(analytic.count == count)
            for i in 0..<count {
                let numeric = (perturbed(i, h) - perturbed(i, -h)) / (2 * h)
                #expect(abs(Double(analytic[i]) - numeric) < 1e-4 * max(1, abs(numeric)), "\(k) element \(i)")
            }
        }
        check(dW.scalars, wd.count) { i, e in var v = wd; v[i] += e; return cost(xd, v, bd) }
        check(db.scalars, bd.count) { i, e in var v = bd; v[i] += e; return cost(xd, wd, v) }
        check(dx!.scalars, xd.count) { i, e in var v = xd; v[i] += e; return cost(v, wd, bd) }
        #expect(dx!.shape == [k.m, k.c, k.h, k.w])
    }

    /// A vertical edge (0 0 0 1 in every row) under the kernel [[1, 0, −1]] × 3 rows: the
    /// left window sees no change (0), the right one the step, −1 per row (−3).
    @Test func handWorkedEdgeDetector() throws {
        let image = Tensor(shape: [1, 1, 4, 4], scalars: (0..<4).flatMap { _ in [0, 0, 0, 1] as [Float] })
        let kernel = Tensor(shape: [1, 1, 3, 3], scalars: [1, 0, -1, 1, 0, -1, 1, 0, -1])
        var conv = Convolution(window: Window2D(kernel: Extent2D(square: 3), stride: Extent2D(square: 1)))
        var y = Tensor(zeros: [0])
        try conv.forward(image, weight: kernel, bias: nil, into: &y)
        #expect(y == Tensor(shape: [1, 1, 2, 2], scalars: [0, -3, 0, -3]))
        // The relu epilogue clips the negative responses.
        try conv.forward(image, weight: kernel, bias: Tensor([0.5]), epilogue: .relu, into: &y)
        #expect(y.scalars == [0.5, 0, 0.5, 0])
    }

    @Test func malformedInputsAreErrors() throws {
        var conv = Convolution(window: Window2D(kernel: Extent2D(square: 5), stride: Extent2D(square: 1)))
        var y = Tensor(zeros: [0])
        let weight = Tensor(zeros: [2, 1, 5, 5])
        let flat = #expect(throws: EngineError.self) { try conv.forward(Tensor(zeros: [3, 16]), weight: weight, bias: nil, into: &y) }
        #expect(flat?.hint?.contains("reshape") == true)
        #expect(throws: EngineError.self) { try conv.forward(Tensor(zeros: [1, 1, 4, 4]), weight: weight, bias: nil, into: &y) }
        #expect(throws: EngineError.self) { try conv.forward(Tensor(zeros: [1, 2, 8, 8]), weight: weight, bias: nil, into: &y) }
        var dW = weight, db = Tensor(zeros: [2])
        var dx: Tensor? = nil
        #expect(throws: EngineError.self) {
            try conv.backward(Tensor(zeros: [1, 2, 4, 4]), weight: weight, weightGradient: &dW, biasGradient: &db, inputGradient: &dx)
        }
    }
}

extension ConvolutionTests {
    /// One pixel padded by 100000 on each side would make 4·10¹⁰ outputs: an error before
    /// anything is allocated, not a failed 149 GiB allocation.
    @Test func hugePaddingIsAnErrorNotACrash() {
        var conv = Convolution(window: Window2D(kernel: Extent2D(square: 1), stride: Extent2D(square: 1),
                                                padding: Extent2D(square: 100_000)))
        var y = Tensor(zeros: [0])
        let error = #expect(throws: EngineError.self) {
            try conv.forward(Tensor(zeros: [1, 1, 1, 1]), weight: Tensor(zeros: [1, 1, 1, 1]), bias: nil, into: &y)
        }
        #expect(error?.message.contains("too large") == true)
        #expect(y.count == 0)
    }
}

@Suite struct PoolingTests {
    static let image = Tensor(shape: [1, 1, 4, 4], scalars: [
        1, 3, 2, 0,
        4, 2, 1, 5,
        0, 0, 7, 6,
        1, 9, 8, 2,
    ])

    @Test func maxPoolingKeepsTheWinnersForBackward() throws {
        var pool = Pooling(.max, window: Window2D(kernel: Extent2D(square: 2), stride: Extent2D(square: 2)))
        var y = Tensor(zeros: [0])
        try pool.forward(Self.image, into: &y)
        #expect(y == Tensor(shape: [1, 1, 2, 2], scalars: [4, 5, 9, 8]))
        var dx = Tensor(zeros: [0])
        try pool.backward(Tensor(shape: [1, 1, 2, 2], scalars: [10, 20, 30, 40]), into: &dx)
        #expect(dx.scalars == [0, 0, 0, 0,
                               10, 0, 0, 20,
                               0, 0, 0, 0,
                               0, 30, 40, 0])
    }

    @Test func averagePoolingSharesTheGradient() throws {
        var pool = Pooling(.average, window: Window2D(kernel: Extent2D(square: 2), stride: Extent2D(square: 2)))
        var y = Tensor(zeros: [0])
        try pool.forward(Self.image, into: &y)
        #expect(y.scalars == [2.5, 2, 2.5, 5.75])
        var dx = Tensor(zeros: [0])
        try pool.backward(Tensor(shape: [1, 1, 2, 2], scalars: [4, 8, 12, 16]), into: &dx)
        #expect(dx.scalars == [1, 1, 2, 2,  1, 1, 2, 2,  3, 3, 4, 4,  3, 3, 4, 4])
    }

    /// Overlapping 3×3 windows, stride 1, padding 1: padding never wins a max, and a pixel
    /// that wins several windows collects all their gradients.
    @Test func overlappingPaddedMaxPool() throws {
        var pool = Pooling(.max, window: Window2D(kernel: Extent2D(square: 3), stride: Extent2D(square: 1), padding: Extent2D(square: 1)))
        let negative = Tensor(shape: [1, 1, 2, 2], scalars: [-4, -3, -2, -1])
        var y = Tensor(zeros: [0])
        try pool.forward(negative, into: &y)
        #expect(y.scalars == [-1, -1, -1, -1])
        var dx = Tensor(zeros: [0])
        try pool.backward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), into: &dx)
        #expect(dx.scalars == [0, 0, 0, 10])
    }

    /// The 2×2 fast path: a tie goes to the first input in reading order (as PyTorch), a NaN
    /// wins its window (it is not silently dropped), over two channels of two images.
    @Test func tiesGoToTheFirstAndNaNWins() throws {
        var pool = Pooling(.max, window: Window2D(kernel: Extent2D(square: 2), stride: Extent2D(square: 2)))
        let x = Tensor(shape: [2, 2, 2, 2], scalars: [7, 7, 7, 7,  1, .nan, 9, 2,  -1, -2, -3, -1,  .nan, 5, .nan, 6])
        var y = Tensor(zeros: [0])
        try pool.forward(x, into: &y)
        #expect(y.scalars[0] == 7 && y.scalars[1].isNaN && y.scalars[2] == -1 && y.scalars[3].isNaN)
        var dx = Tensor(zeros: [0])
        try pool.backward(Tensor(shape: [2, 2, 1, 1], scalars: [1, 2, 3, 4]), into: &dx)
        #expect(dx.scalars == [1, 0, 0, 0,  0, 2, 0, 0,  3, 0, 0, 0,  4, 0, 0, 0])
    }

    /// Unpadded 3×3 windows two apart (the general unpadded path): each window's maximum,
    /// worked by hand on a 5×5 image whose values are their own reading-order index.
    @Test func unpaddedThreeByThreeStrideTwo() throws {
        var pool = Pooling(.max, window: Window2D(kernel: Extent2D(square: 3), stride: Extent2D(square: 2)))
        let x = Tensor(shape: [1, 1, 5, 5], scalars: (0..<25).map { Float($0) })
        var y = Tensor(zeros: [0])
        try pool.forward(x, into: &y)
        #expect(y.scalars == [12, 14, 22, 24])
        var dx = Tensor(zeros: [0])
        try pool.backward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), into: &dx)
        #expect(dx.scalars[12] == 1 && dx.scalars[14] == 2 && dx.scalars[22] == 3 && dx.scalars[24] == 4)
        #expect(dx.scalars.reduce(0, +) == 10)
    }

    @Test func windowLargerThanTheInputIsAnError() {
        var pool = Pooling(.max, window: Window2D(kernel: Extent2D(square: 2), stride: Extent2D(square: 2)))
        var y = Tensor(zeros: [0])
        let error = #expect(throws: EngineError.self) { try pool.forward(Tensor(zeros: [1, 3, 1, 1]), into: &y) }
        #expect(error?.message.contains("2×2") == true)
        #expect(throws: EngineError.self) { try pool.forward(Tensor(zeros: [4, 9]), into: &y) }
    }
}
