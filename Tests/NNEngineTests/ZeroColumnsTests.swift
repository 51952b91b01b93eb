import CKernels
import Testing
@testable import NNEngine

/// A linear layer's training products over the nonzero columns of its input
/// (`ZeroColumns`, `nns_nonzero_columns`, `nns_select_columns`, `nns_place_columns`).
@Suite struct ZeroColumnsTests {
    /// Columns across the scan's 64-column groups and AVX2's 32-column ones, with a row
    /// stride wider than the row, in each variant this CPU runs, whole, in 3 parts with masks
    /// of their own (as threads take them; 17000 columns: more than the stack holds) and as
    /// without memory for them, and on the products' threads: +0 and -0 are zero; NaN, the
    /// infinities and the smallest subnormal are not. The masks hold the same columns as bits.
    @Test(arguments: [(5, 1), (5, 15), (5, 31), (5, 63), (5, 64), (5, 65), (5, 130), (300, 784), (41, 1000), (3, 17000)])
    func findsTheNonzeroColumns(rows: Int, columns: Int) {
        let ld = columns + 3
        var x = [Float](repeating: 0, count: rows * ld)
        let specials: [Float] = [-0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, 1, -2.5]
        var generator = Xoshiro256StarStar(seed: UInt64(rows * 7 + columns))
        for j in 0..<columns where generator.uniform() < 0.5 {
            let row = Int(generator.uniform() * Double(rows)) % rows
            x[row * ld + j] = specials[j % specials.count]
        }
        for i in 0..<rows { for j in columns..<ld { x[i * ld + j] = 9 } } // beyond the row: not read
        let expected = (0..<columns).filter { j in (0..<rows).contains { x[$0 * ld + j] != 0 || x[$0 * ld + j].isNaN } }
        var expectedMasks = [UInt16](repeating: 0, count: (columns + 15) / 16)
        for j in expected { expectedMasks[j / 16] |= 1 << (j % 16) }
        for isa in ["portable", "avx2+fma", "avx512", "threads"] {
            for parts in isa == "threads" ? [1] : [1, 3, 0] {
                var index = [Int32](repeating: -1, count: columns)
                var masks = [UInt16](repeating: 0xabcd, count: (columns + 15) / 16)
                let count = x.withUnsafeBufferPointer { px in
                    isa == "threads" ? nns_nonzero_columns(px.baseAddress, rows, columns, ld, &index, &masks)
                        : nns_nonzero_columns_isa(isa, Int32(parts), px.baseAddress, rows, columns, ld, &index, &masks)
                }
                if count < 0 { continue } // this CPU cannot run it
                // Booleans, not arrays: a failure's report stays short on 17000 columns.
                let sameColumns = index.prefix(count).map(Int.init) == expected, sameMasks = masks == expectedMasks
                #expect(sameColumns, "\(isa) in \(parts) parts, \(rows) × \(columns)")
                #expect(sameMasks, "\(isa) in \(parts) parts, \(rows) × \(columns)")
                #expect(count < columns || expected.count == columns)
            }
        }
    }

    /// Select and place (keeping or zeroing the other columns), in each variant this CPU runs
    /// and on the products' threads, against plain loops: chunk edges of 16 columns, the
    /// first and last column, all and none.
    @Test(arguments: [(3, 40), (7, 16), (2, 17), (4, 23), (300, 700)])
    func selectsAndPlacesTheListedColumns(rows: Int, ld: Int) {
        var generator = Xoshiro256StarStar(seed: UInt64(rows * 1000 + ld))
        let source = (0..<(rows * ld)).map { _ in Float(generator.uniform() * 2 - 1) }
        let subsets: [[Int]] = [
            Array(0..<ld), [0], [ld - 1], [15, 16].filter { $0 < ld }, Array(stride(from: 1, to: ld, by: 3)),
            (0..<ld).filter { _ in generator.uniform() < 0.6 },
        ]
        for columns in subsets where !columns.isEmpty {
            let index = columns.map(Int32.init), count = columns.count
            let expected = (0..<rows).flatMap { i in columns.map { source[i * ld + $0] } }
            var sentinel = [Float](repeating: 7, count: rows * ld), zeroed = [Float](repeating: 0, count: rows * ld)
            for i in 0..<rows {
                for (q, j) in columns.enumerated() { (sentinel[i * ld + j], zeroed[i * ld + j]) = (expected[i * count + q], expected[i * count + q]) }
            }
            for isa in ["portable", "avx2+fma", "avx512", "threads"] {
                // 16 floats past the end of each: nothing is written there.
                var compact = [Float](repeating: .nan, count: rows * count) + [Float](repeating: -3, count: 16)
                var placed = [Float](repeating: 7, count: rows * ld + 16), placedZeroing = placed
                var status: Int32 = 0
                if isa == "threads" { // with masks as the scan writes them
                    var masks = [UInt16](repeating: 0, count: (ld + 15) / 16)
                    for j in columns { masks[j / 16] |= 1 << (j % 16) }
                    nns_select_columns(source, rows, ld, index, count, masks, &compact)
                    nns_place_columns(compact, rows, count, index, masks, &placed, ld, 0)
                    nns_place_columns(compact, rows, count, index, masks, &placedZeroing, ld, 1)
                } else {
                    status = nns_move_columns_isa(isa, 0, source, rows, ld, index, count, nil, &compact)
                    if status == 0 { status = nns_move_columns_isa(isa, 1, compact, rows, ld, index, count, nil, &placed) }
                    if status == 0 {
                        status = nns_move_columns_isa(isa, 2, compact, rows, ld, index, count, nil, &placedZeroing)
                    }
                }
                if status != 0 { continue } // this CPU cannot run it
                // Counts, not arrays: a failure's report stays short on 300 × 700.
                let wrongSelect = zip(compact, expected + [Float](repeating: -3, count: 16)).filter { $0 != $1 }.count
                let wrongPlace = zip(placed, sentinel + [Float](repeating: 7, count: 16)).filter { $0 != $1 }.count
                #expect(wrongSelect == 0, "\(isa): select \(count) of \(ld) columns, \(rows) rows")
                #expect(wrongPlace == 0, "\(isa): place \(count) of \(ld) columns, \(rows) rows")
                let wrongZeroing = zip(placedZeroing, zeroed + [Float](repeating: 7, count: 16)).filter { $0 != $1 }.count
                #expect(wrongZeroing == 0, "\(isa): place \(count) of \(ld) columns zeroing the others, \(rows) rows")
            }
        }
    }

    /// No listed column (a batch whose inputs are all zero): select writes nothing, place
    /// leaves the rows as they are, and place zeroing the others zeroes every row, in each
    /// variant and on the products' threads.
    @Test func noListedColumn() {
        let (rows, ld) = (5, 37)
        for isa in ["portable", "avx2+fma", "avx512", "threads"] {
            var compact: [Float] = [-3], placed = [Float](repeating: 7, count: rows * ld + 1)
            var zeroed = placed
            if isa == "threads" {
                nns_select_columns([Float](repeating: 1, count: rows * ld), rows, ld, nil, 0, nil, &compact)
                nns_place_columns([], rows, 0, nil, nil, &placed, ld, 0)
                nns_place_columns([], rows, 0, nil, nil, &zeroed, ld, 1)
            } else {
                guard nns_move_columns_isa(isa, 0, [Float](repeating: 1, count: rows * ld), rows, ld, nil, 0, nil, &compact) == 0
                else { continue } // this CPU cannot run it
                #expect(nns_move_columns_isa(isa, 1, [], rows, ld, nil, 0, nil, &placed) == 0)
                #expect(nns_move_columns_isa(isa, 2, [], rows, ld, nil, 0, nil, &zeroed) == 0)
            }
            #expect(compact == [-3], "\(isa)")
            #expect(placed == [Float](repeating: 7, count: rows * ld + 1), "\(isa)")
            #expect(zeroed == [Float](repeating: 0, count: rows * ld) + [7], "\(isa)")
        }
    }

    /// A batch of 64 with 40% of its 200 columns zero through linear(200, 96): the forward
    /// agrees with a Double sum; ∂C/∂W, and the plain SGD step taken in the backward, have
    /// the dense product's bits, zero (untouched) in the zero columns.
    @Test func trainingStepMatchesTheDenseProducts() throws {
        let (m, k, n) = (64, 200, 96)
        var generator = Xoshiro256StarStar(seed: 19)
        let zero = Set((0..<k).filter { _ in generator.uniform() < 0.4 })
        #expect(zero.count >= k / 4)
        let x = Tensor(shape: [m, k], scalars: (0..<(m * k)).map { zero.contains($0 % k) ? 0 : Float(generator.uniform()) })
        let delta = Tensor(shape: [m, n], scalars: (0..<(m * n)).map { _ in Float(generator.uniform() - 0.5) })

        for stepping in [false, true] {
            let layer = try Linear(inputs: k, outputs: n, initializer: .he, source: RandomSource(seed: 3))
            let w0 = layer.weight.value, b = layer.bias.value
            let z = try layer.forward(x, mode: .training)
            for i in 0..<m {
                for j in 0..<n {
                    var s = Double(b.scalars[j])
                    for p in 0..<k { s += Double(x.scalars[i * k + p]) * Double(w0.scalars[j * k + p]) }
                    #expect(abs(Double(z.scalars[i * n + j]) - s) <= 1e-5 * max(1, abs(s)), "Z[\(i), \(j)]")
                }
            }
            var dense = Tensor(zeros: [0, 0])
            try Tensor.multiply(delta, x, transposeA: true, into: &dense)
            if stepping {
                layer.weight.pendingStep = PendingStep(rate: 0.1, keepsGradient: true)
                _ = try layer.backward(delta, needInputGradient: false)
                var w = w0, g = Tensor(zeros: [0, 0])
                try Tensor.multiply(delta, x, transposeA: true, into: &g, stepping: &w, by: -0.1)
                #expect(layer.weight.value.scalars == w.scalars)
                #expect(layer.weight.pendingStep == nil)
                for j in 0..<n { for p in zero { #expect(layer.weight.value.scalars[j * k + p] == w0.scalars[j * k + p]) } }
            } else {
                _ = try layer.backward(delta, needInputGradient: false)
                #expect(layer.weight.value.scalars == w0.scalars)
            }
            #expect(layer.weight.grad.shape == [n, k])
            #expect(layer.weight.grad.scalars == dense.scalars, "stepping \(stepping)")
            layer.endTrainingStep()
        }
    }

    /// Plain SGD steps taken in the backward, step after step, each batch with zero columns
    /// of its own: from the second step on the layer reads and steps W transposed, and W is
    /// written back when read. Every step's weights have the bits of dense steps taken on a
    /// copy; a read of W between steps keeps the transposed copy, a write replaces it; a
    /// step that keeps ∂C/∂W, or one without a pending step, still gives the dense gradient;
    /// W read in the middle of a step (a hidden layer's ∂C/∂A) makes the layer give it up.
    @Test func stepsWeightsKeptTransposed() throws {
        let (m, k, n) = (64, 200, 96)
        var generator = Xoshiro256StarStar(seed: 23)
        func batch() -> Tensor {
            let zero = Set((0..<k).filter { _ in generator.uniform() < 0.45 })
            return Tensor(shape: [m, k], scalars: (0..<(m * k)).map { zero.contains($0 % k) ? 0 : Float(generator.uniform()) })
        }
        let layer = try Linear(inputs: k, outputs: n, initializer: .he, source: RandomSource(seed: 3))
        var reference = layer.weight.value
        /// One training step of the layer and the same dense step of `reference`: the
        /// layer's forward against a Float64 sum with the reference weights.
        func step(keepingGradient: Bool? = false, inputGradient: Bool = false) throws -> Bool {
            let x = batch()
            let delta = Tensor(shape: [m, n], scalars: (0..<(m * n)).map { _ in Float(generator.uniform() - 0.5) })
            let z = try layer.forward(x, mode: .training)
            let transposed = layer.zeroColumns.readsTransposed
            #expect(layer.zeroColumns.isActive)
            let b = layer.bias.value
            var worst = 0.0
            for i in stride(from: 0, to: m, by: 7) {
                for j in 0..<n {
                    var s = Double(b.scalars[j])
                    for p in 0..<k { s += Double(x.scalars[i * k + p]) * Double(reference.scalars[j * k + p]) }
                    worst = max(worst, abs(Double(z.scalars[i * n + j]) - s) / max(1, abs(s)))
                }
            }
            #expect(worst <= 1e-5)
            if let keepingGradient { layer.weight.pendingStep = PendingStep(rate: 0.1, keepsGradient: keepingGradient) }
            let dx = try layer.backward(delta, needInputGradient: inputGradient)
            var g = Tensor(zeros: [0, 0])
            if inputGradient {
                var expected = Tensor(zeros: [0, 0])
                try Tensor.multiply(delta, reference, into: &expected)
                #expect(dx?.scalars.elementsEqual(expected.scalars) == true)
            }
            if keepingGradient != nil {
                try Tensor.multiply(delta, x, transposeA: true, into: &g, stepping: &reference, by: -0.1)
            } else {
                try Tensor.multiply(delta, x, transposeA: true, into: &g)
            }
            if keepingGradient != false { #expect(layer.weight.grad.scalars.elementsEqual(g.scalars)) }
            layer.weight.pendingStep = nil
            layer.endTrainingStep()
            return transposed
        }
        #expect(try !step()) // W' copied out and back, as before: the next forward reads Wᵀ
        for _ in 0..<3 { #expect(try step()) }
        #expect(layer.weight.value.scalars.elementsEqual(reference.scalars)) // written back when read
        #expect(try step()) // still transposed after a read
        #expect(layer.weight.value.scalars.elementsEqual(reference.scalars))
        reference = Tensor(shape: [n, k], scalars: (0..<(n * k)).map { _ in Float(generator.uniform() - 0.5) })
        try layer.setWeight(reference) // replaced: the next forward reads the new W
        #expect(try step())
        #expect(try step(keepingGradient: true)) // the dense product takes the step
        #expect(try !step()) // W stepped by the dense product: W' again, then Wᵀ
        #expect(try step())
        #expect(try step(keepingGradient: nil)) // no pending step: the gradient alone, W as it was
        #expect(try step())
        #expect(try step(inputGradient: true)) // W read in the middle of the step
        #expect(try !step())
        #expect(try !step()) // given up
        #expect(layer.weight.value.scalars.elementsEqual(reference.scalars))
    }

    /// Evaluation, a batch with too few zero columns, and a narrow layer run dense: the
    /// forward then has the dense product's bits.
    @Test func otherProductsRunDense() throws {
        let (m, k, n) = (64, 200, 96)
        var generator = Xoshiro256StarStar(seed: 5)
        let x = Tensor(shape: [m, k], scalars: (0..<(m * k)).map { $0 % k < 10 ? 0 : Float(generator.uniform()) })
        let layer = try Linear(inputs: k, outputs: n, initializer: .he, source: RandomSource(seed: 3))
        var dense = Tensor(zeros: [0, 0])
        try Tensor.multiplyAddingBias(x, layer.weight.value, transposeB: true, bias: layer.bias.value, into: &dense)
        #expect(try layer.forward(x, mode: .training).scalars == dense.scalars) // 5% zero: dense
        var sparse = x
        for i in 0..<m { for p in 0..<(k / 2) { sparse.scalars[i * k + p] = 0 } }
        try Tensor.multiplyAddingBias(sparse, layer.weight.value, transposeB: true, bias: layer.bias.value, into: &dense)
        #expect(try layer.forward(sparse, mode: .inference).scalars == dense.scalars)
    }

    /// After 4 batches in a row with too few zero columns a layer stops looking for 63
    /// training forwards (they run dense), then looks again.
    @Test func restsAfterBatchesWithFewZeros() throws { // 64·128·128 = 2²⁰: just large enough
        let (m, k, n) = (64, 128, 128)
        var generator = Xoshiro256StarStar(seed: 8)
        let full = Tensor(shape: [m, k], scalars: (0..<(m * k)).map { _ in Float(generator.uniform()) + 0.5 })
        var half = full
        for i in 0..<m { for p in 0..<(k / 2) { half.scalars[i * k + p] = 0 } }
        let layer = try Linear(inputs: k, outputs: n, initializer: .he, source: RandomSource(seed: 4))
        func runsCompact(_ x: Tensor) throws -> Bool {
            _ = try layer.forward(x, mode: .training)
            defer { layer.endTrainingStep() }
            return layer.zeroColumns.isActive
        }
        #expect(try runsCompact(half))
        #expect(!layer.zeroColumns.isActive) // the step's end resets it
        for _ in 0..<4 { #expect(try !runsCompact(full)) }
        for _ in 0..<63 { #expect(try !runsCompact(half)) }
        #expect(try runsCompact(half))
        _ = try layer.forward(half, mode: .inference)
        #expect(!layer.zeroColumns.isActive)
    }
}
