import CKernels

/// A linear layer's training products over the nonzero columns of its input only.
///
/// A batch of images leaves whole columns at zero: in MNIST, 37% of the 784 pixels are
/// black in every image of a batch of 64 (31-43% over 2000 random batches). Over those
/// columns `Z = A·Wᵀ + b` adds only zeros and `∂C/∂W = δᵀ·A` is zero, so the forward
/// multiplies the batch's other columns by the same columns of W (both copied compact),
/// and the weight gradient is δᵀ times those columns, zero elsewhere, where a plain SGD
/// step leaves the weights as they are. ∂C/∂W has the same bits as the dense product's
/// (each element sums the same batch rows in the same order); Z differs from the dense
/// sum only in how its terms are grouped (k blocks end elsewhere), within float rounding.
/// Only training uses it; evaluation and step-through run the dense product.
struct ZeroColumns {
    /// The nonzero columns of the latest training forward's input; empty when it ran dense.
    private var columns = [Int32]()
    /// The same columns as bits, a 16-bit mask per 16 columns (for the vector copies).
    private var masks = [UInt16]()
    /// A's nonzero columns, `[m, k']`, in buffers taken in turn: both cores read it whole
    /// (see `RotatingBuffers`).
    private var inputs = RotatingBuffers()
    private var input: Tensor { inputs.current }
    /// W's same columns, `[n, k']`: the forward's operand, then the step's target.
    private var weight = Tensor(zeros: [0, 0])
    /// δᵀ·A over those columns, `[n, k']`.
    private var gradient = Tensor(zeros: [0, 0])
    /// Whether the latest training forward ran compact (until the step ends).
    private(set) var isActive = false
    /// W transposed, for layers whose steps are plain SGD steps taken in the backward: then
    /// the forward reads the kept columns as rows of Wᵀ, the step writes them there, and
    /// W' is neither copied out nor back (see `TransposedWeight`).
    private let transposed = TransposedWeight()
    /// Whether the latest forward read Wᵀ rather than W'.
    private(set) var readsTransposed = false
    /// Whether the latest step was a plain SGD step taken here (the next forward reads Wᵀ),
    /// and whether Wᵀ is given up: W was read in the middle of a step (a hidden layer's
    /// ∂C/∂A = δ·W), which would write Wᵀ back to W every step.
    private var steppedInPlace = false, transposedGivenUp = false
    /// Whether W was behind Wᵀ at the latest forward.
    private var behindAtForward = false
    /// Batches in a row that had too few zero columns, and training forwards left to run
    /// dense without looking: a layer whose inputs are seldom zero (a hidden layer's)
    /// stops paying for the search, and looks again now and then.
    private var misses = 0, unsearched = 0
    private static let missesBeforeResting = 4, restingForwards = 63

    /// Worth the copies when at least this share of the columns is zero: the copies of W
    /// and back cost about a seventh of the two dense products' time (measured, `perf` on
    /// 2-thread MNIST epochs on a Xeon with AVX-512; about a fifth with the AVX2 kernel).
    private static let minimumZeroShare = 0.25

    /// Whether a product of `m` rows, `k` inputs and `n` outputs is large enough to look
    /// for zero columns at all: the search reads A once, which a narrow product (few
    /// outputs) or a small one (the lecture's examples) would not win back.
    private static func isCandidate(m: Int, k: Int, n: Int) -> Bool {
        k >= 64 && n >= 64 && Double(m) * Double(k) * Double(n) >= 0x1p20 && k <= Int(Int32.max) && nns_zero_columns_enabled() != 0
    }

    /// Finds a's zero columns and, when there are enough, copies a's other columns, and w's
    /// unless the forward reads them as rows of Wᵀ; returns whether the forward and the
    /// weight gradient are to run compact.
    mutating func prepare(_ a: Tensor, _ w: Parameter) -> Bool {
        isActive = false
        readsTransposed = false
        let (m, k, n) = (a.shape[0], a.shape[1], w.shape[0])
        guard Self.isCandidate(m: m, k: k, n: n) else { return false }
        if unsearched > 0 {
            unsearched -= 1
            return false
        }
        if columns.count != k {
            columns = [Int32](repeating: 0, count: k)
            masks = [UInt16](repeating: 0, count: (k + 15) / 16)
        }
        let kept = a.scalars.withUnsafeBufferPointer { pa in
            columns.withUnsafeMutableBufferPointer { index in
                masks.withUnsafeMutableBufferPointer { nns_nonzero_columns(pa.baseAddress, m, k, k, index.baseAddress, $0.baseAddress) }
            }
        }
        guard Double(k - kept) >= Self.minimumZeroShare * Double(k) else {
            misses += 1
            if misses >= Self.missesBeforeResting { (misses, unsearched) = (0, Self.restingForwards) }
            return false
        }
        misses = 0
        inputs.advance()
        Self.select(columns, masks, kept, of: a, rows: m, into: &inputs.current)
        if !transposedGivenUp && (steppedInPlace || transposed.isCurrent(for: w)) {
            transposed.take(from: w)
            readsTransposed = true
            behindAtForward = w.ahead === transposed
        } else {
            Self.select(columns, masks, kept, of: w.value, rows: n, into: &weight)
        }
        nns_count_skipped_multiply_adds(Int64(m) * Int64(k - kept) * Int64(n))
        isActive = true
        return true
    }

    /// `Z = A'·W'ᵀ + b` over the columns `prepare` kept (W'ᵀ: those rows of Wᵀ, when read there).
    func forward(bias: Tensor, epilogue: MatMulEpilogue, into output: inout Tensor) throws {
        guard readsTransposed else {
            try Tensor.multiplyAddingBias(input, weight, transposeB: true, bias: bias, epilogue: epilogue, into: &output)
            return
        }
        try Tensor.multiplyAddingBias(input, rows: columns[..<input.shape[1]], of: transposed.tensor, bias: bias,
                                      epilogue: epilogue, into: &output)
    }

    /// Sets w's gradient from δ, as `Linear` does for the dense product, or takes its pending
    /// plain SGD step (W as of the forward, which nothing changes within a training step);
    /// returns false, doing nothing, when the latest forward ran dense, or read Wᵀ and the
    /// step is to keep ∂C/∂W too (then the dense product takes it).
    mutating func weightGradient(_ delta: Tensor, of w: Parameter) throws -> Bool {
        guard isActive else { return false }
        let (n, k) = (w.shape[0], w.shape[1])
        let kept = input.shape[1]
        steppedInPlace = false
        if readsTransposed {
            // W read since the forward (its ∂C/∂A): Wᵀ would be written back every step.
            if behindAtForward && w.ahead !== transposed { transposedGivenUp = true }
            // A step that keeps ∂C/∂W too: the dense product takes it (W' was not copied).
            if let step = w.pendingStep, step.keepsGradient { return false }
        }
        nns_count_skipped_multiply_adds(Int64(n) * Int64(delta.shape[0]) * Int64(k - kept))
        if readsTransposed, let step = w.pendingStep {
            try stepTransposed(delta, of: w, by: -step.rate)
            steppedInPlace = true
            return true
        }
        Self.fit(&gradient, rows: n, columns: kept, capacity: n * k)
        if let step = w.pendingStep {
            steppedInPlace = !step.keepsGradient
            try Tensor.multiply(delta, input, transposeA: true, into: &gradient, stepping: &weight,
                                by: -step.rate, keepingProduct: step.keepsGradient)
            Self.place(weight, at: columns, masks, into: &w.value, rows: n, columns: k, zeroingOthers: false)
            if step.keepsGradient {
                Self.place(gradient, at: columns, masks, into: &w.grad, rows: n, columns: k, zeroingOthers: true)
            }
        } else {
            try Tensor.multiply(delta, input, transposeA: true, into: &gradient)
            Self.place(gradient, at: columns, masks, into: &w.grad, rows: n, columns: k, zeroingOthers: true)
        }
        return true
    }

    /// The step on the kept rows of Wᵀ, `Wᵀ[columns] += step · A'ᵀ·δ`, tile by tile as the
    /// product (`[k', n]`, scratch) finishes them.
    private mutating func stepTransposed(_ delta: Tensor, of w: Parameter, by step: Float) throws {
        let kept = input.shape[1]
        Self.fit(&gradient, rows: kept, columns: delta.shape[1], capacity: w.shape[0] * w.shape[1])
        try transposed.stepping(w) { t in
            try Tensor.multiply(input, delta, transposeA: true, into: &gradient, steppingRows: columns[..<kept], of: &t,
                                by: step)
        }
    }

    /// The layer is done with the step: the next forward decides again.
    mutating func end() { isActive = false }

    /// `source`'s rows restricted to the first `kept` of `columns`. Static, as `place`: a
    /// method would see a copy of self holding the target's storage too, and the write
    /// would copy it (measured: 4.8% of a 2-thread MNIST epoch in memmove).
    private static func select(_ columns: [Int32], _ masks: [UInt16], _ kept: Int, of source: Tensor, rows: Int,
                               into target: inout Tensor) {
        Self.fit(&target, rows: rows, columns: kept, capacity: rows * source.shape[1])
        let k = source.shape[1]
        source.scalars.withUnsafeBufferPointer { s in
            columns.withUnsafeBufferPointer { index in
                masks.withUnsafeBufferPointer { bits in
                    target.scalars.withUnsafeMutableBufferPointer { t in
                        nns_select_columns(s.baseAddress, rows, k, index.baseAddress, kept, bits.baseAddress, t.baseAddress)
                    }
                }
            }
        }
    }

    /// Gives `target` the shape `[rows, columns]` in the storage it has: the number of
    /// columns changes with every batch, and `resize` would allocate (and zero) anew each
    /// time (measured: 5% of a 2-thread MNIST epoch in memset, with page faults on top).
    private static func fit(_ target: inout Tensor, rows: Int, columns: Int, capacity: Int) {
        let n = rows * columns, have = target.scalars.count
        if target.scalars.capacity < capacity { target.scalars.reserveCapacity(capacity) }
        if have > n { target.scalars.removeLast(have - n) }
        if have < n { target.scalars.append(contentsOf: repeatElement(0, count: n - have)) }
        target.resize(to: [rows, columns])
    }

    /// Writes the compact `source` into its columns of `target` (`[rows, columns]`), whose
    /// other columns are kept, or zeroed when `zeroingOthers` (a gradient).
    private static func place(_ source: Tensor, at columns: [Int32], _ masks: [UInt16], into target: inout Tensor,
                              rows: Int, columns k: Int, zeroingOthers: Bool) {
        if zeroingOthers { target.resize(to: [rows, k]) }
        let kept = source.shape[1]
        source.scalars.withUnsafeBufferPointer { s in
            columns.withUnsafeBufferPointer { index in
                masks.withUnsafeBufferPointer { bits in
                    target.scalars.withUnsafeMutableBufferPointer { t in
                        nns_place_columns(s.baseAddress, rows, kept, index.baseAddress, bits.baseAddress, t.baseAddress, k,
                                          zeroingOthers ? 1 : 0)
                    }
                }
            }
        }
    }
}
