import CKernels

/// What the fused matrix product applies to each element after adding the bias.
public enum MatMulEpilogue: Sendable {
    case none
    /// max(0, ·): a linear layer and the relu after it in one pass over the output.
    case relu
}

extension Tensor {
    /// `c = alpha · op(a) · op(b) + beta · c`, written into the caller's `c`.
    ///
    /// `op(x)` is `xᵀ` when the matching `transpose` flag is set. Both operands are rank 2.
    /// With `beta == 0`, `c` is resized to `[M, N]` and its old contents ignored; storage is
    /// reused when the element count is unchanged, so a layer calling this every step with
    /// the same batch size allocates nothing. With `beta != 0`, `c` must already be `[M, N]`.
    public static func multiply(_ a: Tensor, _ b: Tensor,
                                transposeA: Bool = false, transposeB: Bool = false,
                                alpha: Float = 1, beta: Float = 0,
                                into c: inout Tensor) throws {
        let (m, n, k) = try productShape(a, b, transposeA: transposeA, transposeB: transposeB)
        if beta == 0 {
            c.resize(to: [m, n])
        } else if c.shape != [m, n] {
            throw EngineError("cannot accumulate a [\(m), \(n)] product into a tensor of shape \(c.shape)",
                              hint: "pass beta: 0 to overwrite, or give an output of shape [\(m), \(n)]")
        }
        if m == 0 || n == 0 { return }
        if k == 0 {
            // An empty sum: the kernel contract does not cover k = 0, so do it here.
            c.scalars.withUnsafeMutableBufferPointer { pc in
                for i in pc.indices { pc[i] = beta == 0 ? 0 : beta * pc[i] }
            }
            return
        }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    nns_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k,
                              alpha, pa.baseAddress, a.shape[1], pb.baseAddress, b.shape[1],
                              beta, pc.baseAddress, n)
                }
            }
        }
    }

    /// `c = op(a) · op(b)` (resized as `multiply` does), zeroed wherever `gate` (of c's
    /// shape) is not > 0, each tile as soon as it is computed: a linear layer's ∂C/∂A through
    /// the relu below it, `δ·W ⊙ [a > 0]`, without a pass of its own.
    static func multiply(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                         gatedBy gate: Tensor, into c: inout Tensor) throws {
        try multiplyWithExtras(a, b, transposeA: transposeA, transposeB: transposeB, into: &c) { m, n, gemm in
            guard gate.shape == [m, n] else {
                throw EngineError("a gate of shape \(gate.shape) cannot mask a [\(m), \(n)] product",
                                  hint: "the gate must have the product's shape")
            }
            gate.scalars.withUnsafeBufferPointer { g in
                var extras = nns_gemm_extras(gate: g.baseAddress, ldg: n, update: nil, ldu: 0, step: 0, discard_c: 0,
                                             b_rows: nil, update_rows: nil)
                gemm(&extras)
            }
        }
    }

    /// `c = op(a) · op(b)` (resized as `multiply` does), then `w += step · c` tile by tile
    /// while each is in the cache: a weight gradient and the plain SGD step w ← w − η·∂C/∂w
    /// (step = −η) in one pass. `w` has c's shape and is not `a` or `b`. Unless
    /// `keepingProduct`, only the step is wanted: `c` is scratch and what it holds afterwards
    /// is unspecified (the kernel may skip storing it).
    static func multiply(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                         into c: inout Tensor, stepping w: inout Tensor, by step: Float,
                         keepingProduct: Bool = true) throws {
        try multiplyWithExtras(a, b, transposeA: transposeA, transposeB: transposeB, into: &c) { m, n, gemm in
            guard w.shape == [m, n] else {
                throw EngineError("weights of shape \(w.shape) cannot take a step along a [\(m), \(n)] gradient",
                                  hint: "the weights must have the gradient's shape")
            }
            w.scalars.withUnsafeMutableBufferPointer { pw in
                var extras = nns_gemm_extras(gate: nil, ldg: 0, update: pw.baseAddress, ldu: n, step: step,
                                             discard_c: keepingProduct ? 0 : 1, b_rows: nil, update_rows: nil)
                gemm(&extras)
            }
        }
    }

    /// `c = op(a) · b` (resized as `multiply` does; scratch: its contents afterwards are
    /// unspecified), then `w[rows[i]] += step · c[i]` for each row i, tile by tile: the plain
    /// SGD step on the listed rows of `w`, which has c's width (a linear layer's Wᵀ over the
    /// nonzero columns of its batch, see `TransposedWeight`).
    static func multiply(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, into c: inout Tensor,
                         steppingRows rows: ArraySlice<Int32>, of w: inout Tensor, by step: Float) throws {
        try multiplyWithExtras(a, b, transposeA: transposeA, transposeB: false, into: &c) { m, n, gemm in
            guard w.rank == 2, w.shape[1] == n, rows.count == m, Self.listsRows(rows, below: w.shape[0]) else {
                throw EngineError("\(rows.count) listed rows of weights of shape \(w.shape) cannot take a step along a [\(m), \(n)] gradient",
                                  hint: "list one row of the weights per row of the gradient")
            }
            w.scalars.withUnsafeMutableBufferPointer { pw in
                rows.withUnsafeBufferPointer { pr in
                    var extras = nns_gemm_extras(gate: nil, ldg: 0, update: pw.baseAddress, ldu: n, step: step,
                                                 discard_c: 1, b_rows: nil, update_rows: pr.baseAddress)
                    gemm(&extras)
                }
            }
        }
    }

    /// `c = epilogue(a · b[rows] + bias)`: the rows of `b` that `rows` lists, one per column of
    /// `a`, read where they are (a linear layer's forward over the nonzero columns of its
    /// batch, with Wᵀ as `b`). `c` is resized to `[M, N]`.
    static func multiplyAddingBias(_ a: Tensor, rows: ArraySlice<Int32>, of b: Tensor, bias: Tensor,
                                   epilogue: MatMulEpilogue, into c: inout Tensor) throws {
        guard a.rank == 2, b.rank == 2, rows.count == a.shape[1], bias.count == b.shape[1],
              Self.listsRows(rows, below: b.shape[0]) else {
            throw EngineError("a [\(a.shape.map(String.init).joined(separator: ", "))] batch, \(rows.count) listed rows of a matrix of shape \(b.shape) and a bias of \(bias.count) do not make a product",
                              hint: "list one row of the matrix per column of the batch, and give one bias per column of the matrix")
        }
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        c.resize(to: [m, n])
        if m == 0 || n == 0 { return }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                rows.withUnsafeBufferPointer { pr in
                    bias.scalars.withUnsafeBufferPointer { pbias in
                        c.scalars.withUnsafeMutableBufferPointer { pc in
                            nns_sgemm_rows_bias(m, n, k, pa.baseAddress, k, pb.baseAddress, n, pr.baseAddress, pbias.baseAddress,
                                                epilogue == .relu ? NNS_EPILOGUE_RELU : NNS_EPILOGUE_NONE, pc.baseAddress, n)
                        }
                    }
                }
            }
        }
    }

    /// Whether every listed row is a row of a matrix of `count` rows.
    private static func listsRows(_ rows: ArraySlice<Int32>, below count: Int) -> Bool {
        rows.allSatisfy { $0 >= 0 && Int($0) < count }
    }

    /// The product into `c` through nns_sgemm_extras; `body(m, n, run)` checks its operand
    /// and calls `run` with the extras pointing at it.
    private static func multiplyWithExtras(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, into c: inout Tensor,
        _ body: (Int, Int, (inout nns_gemm_extras) -> Void) throws -> Void
    ) throws {
        let (m, n, k) = try productShape(a, b, transposeA: transposeA, transposeB: transposeB)
        c.resize(to: [m, n])
        try a.scalars.withUnsafeBufferPointer { pa in
            try b.scalars.withUnsafeBufferPointer { pb in
                try c.scalars.withUnsafeMutableBufferPointer { pc in
                    try body(m, n) { extras in
                        nns_sgemm_extras(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k,
                                         1, pa.baseAddress, a.shape[1], pb.baseAddress, b.shape[1],
                                         0, pc.baseAddress, n, &extras)
                    }
                }
            }
        }
    }

    /// `c = epilogue(op(a) · op(b) + bias)` with `bias` (length N, or nil) added to every row:
    /// the whole forward of a linear layer, `Z = A·Wᵀ + b`, in one kernel call.
    /// `c` is resized to `[M, N]`, reusing its storage when the count is unchanged.
    public static func multiplyAddingBias(_ a: Tensor, _ b: Tensor,
                                          transposeA: Bool = false, transposeB: Bool = false,
                                          bias: Tensor?, epilogue: MatMulEpilogue = .none,
                                          into c: inout Tensor) throws {
        let (m, n, k) = try productShape(a, b, transposeA: transposeA, transposeB: transposeB)
        if let bias, bias.count != n {
            throw EngineError("a bias of \(bias.count) elements cannot be added to \(n) columns",
                              hint: "the bias needs one element per output column (\(n))")
        }
        c.resize(to: [m, n])
        if m == 0 || n == 0 { return }
        let kernelEpilogue = epilogue == .relu ? NNS_EPILOGUE_RELU : NNS_EPILOGUE_NONE
        if k == 0 {
            c.scalars.withUnsafeMutableBufferPointer { pc in
                for i in 0..<m {
                    for j in 0..<n {
                        let v = bias?.scalars[j] ?? 0
                        pc[i * n + j] = epilogue == .relu ? max(0, v) : v
                    }
                }
            }
            return
        }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    if let bias {
                        bias.scalars.withUnsafeBufferPointer { pbias in
                            nns_sgemm_bias(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k,
                                           pa.baseAddress, a.shape[1], pb.baseAddress, b.shape[1],
                                           pbias.baseAddress, kernelEpilogue, pc.baseAddress, n)
                        }
                    } else {
                        nns_sgemm_bias(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k,
                                       pa.baseAddress, a.shape[1], pb.baseAddress, b.shape[1],
                                       nil, kernelEpilogue, pc.baseAddress, n)
                    }
                }
            }
        }
    }

    /// The matrix product `self @ other`, as NumPy's `@` does it for rank 1 and 2:
    /// matrix·matrix `[m,k]·[k,n] → [m,n]`, matrix·vector `[m,k]·[k] → [m]`,
    /// vector·matrix `[k]·[k,n] → [n]`, vector·vector `[k]·[k] → []` (the dot product).
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard (1...2).contains(rank), (1...2).contains(other.rank) else {
            throw EngineError("@ needs vectors or matrices, got shapes \(shape) and \(other.shape)",
                              hint: "reshape to rank 1 or 2 first")
        }
        let left = rank == 1 ? reshaped([1, shape[0]]) : self
        let right = other.rank == 1 ? other.reshaped([other.shape[0], 1]) : other
        guard left.shape[1] == right.shape[0] else {
            throw EngineError(
                "@ cannot multiply shapes \(shape) and \(other.shape): \(left.shape[1]) columns on the left, \(right.shape[0]) rows on the right",
                hint: "the left operand's last size must equal the right operand's first size; transpose one of them?")
        }
        var result = Tensor(zeros: [0, 0])
        try Tensor.multiply(left, right, into: &result)
        switch (rank, other.rank) {
        case (1, 1): return result.reshaped([])
        case (1, _): return result.reshaped([right.shape[1]])
        case (_, 1): return result.reshaped([left.shape[0]])
        default: return result
        }
    }

    /// (M, N, K) of `op(a) · op(b)`, or an error naming both shapes.
    private static func productShape(_ a: Tensor, _ b: Tensor,
                                     transposeA: Bool, transposeB: Bool) throws -> (Int, Int, Int) {
        guard a.rank == 2, b.rank == 2 else {
            throw EngineError("matrix product needs two matrices, got shapes \(a.shape) and \(b.shape)",
                              hint: "reshape vectors to [1, n] or [n, 1]")
        }
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else {
            let left = transposeA ? "\(a.shape)ᵀ" : "\(a.shape)"
            let right = transposeB ? "\(b.shape)ᵀ" : "\(b.shape)"
            throw EngineError("matrix product \(left) · \(right): inner sizes \(k) and \(kb) differ",
                              hint: "the left factor's columns must equal the right factor's rows")
        }
        return (m, n, k)
    }
}
