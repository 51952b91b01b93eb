// Tests of products over listed rows (nns_gemm_extras.b_rows, .update_rows): B's rows
// gathered as they are packed, and the SGD step written to listed rows of the weights —
// a linear layer's forward and step over a batch's nonzero inputs, with its weights kept
// transposed. Against a Float64 reference, on every kernel this CPU runs, one and two
// threads, k in one block and over several.

import CKernels
import Foundation
import Testing

/// `count` distinct rows of `0..<total`, in a shuffled order (the layer lists them sorted;
/// the product must not care).
private func listedRows(_ count: Int, of total: Int, seed: UInt64) -> [Int32] {
    var generator = TestGenerator(state: seed)
    return Array((0..<Int32(total)).shuffled(using: &generator).prefix(count))
}

/// Values in [-1, 1) from a seed.
private func values(_ count: Int, seed: UInt64) -> [Float] {
    var g = TestGenerator(state: seed)
    return (0..<count).map { _ in Float(g.next() >> 40) / Float(1 << 23) - 1 }
}

/// Runs `body(kernel, kc, threads)` on every kernel this CPU runs, on one and two threads,
/// and with a k block of 7 (k over several blocks); every product may split. Restores the
/// defaults after.
private func onEveryKernel(_ body: (String, Int, Int32) -> Void) {
    let saved = nns_get_threads()
    defer {
        nns_set_threads(saved)
        nns_set_tuning(0, 0, 0, -1, -1)
        _ = nns_set_kernel("best")
    }
    for kernel in ["portable", "avx2", "avx512", "neon"] where nns_set_kernel(kernel) == 0 {
        for (kc, threads) in [(0, Int32(1)), (0, 2), (7, 2)] {
            nns_set_threads(threads)
            nns_set_tuning(kc, 0, 0, -1, 0)
            body(kernel, kc, threads)
        }
    }
}

extension KernelTests {
    /// C = A·B[rows] + bias (then relu), B with more rows than listed and rows wider than n:
    /// every element within Float64 rounding of the sum over the listed rows.
    @Test func productOverGatheredRowsOfB() {
        var variant: UInt64 = 0
        onEveryKernel { kernel, kc, threads in
            for (m, n, k) in [(1, 1, 1), (64, 256, 300), (5, 17, 9), (13, 33, 40), (64, 100, 65)] {
                variant += 1
                let total = k + 11, ldb = n + 3
                let a = values(m * k, seed: variant), b = values(total * ldb, seed: variant + 100)
                let bias = values(n, seed: variant + 200), rows = listedRows(k, of: total, seed: variant)
                let relu = variant % 2 == 0
                var c = [Float](repeating: .nan, count: m * n)
                nns_sgemm_rows_bias(m, n, k, a, k, b, ldb, rows, bias, relu ? NNS_EPILOGUE_RELU : NNS_EPILOGUE_NONE, &c, n)
                var bad = 0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = Double(bias[j]), magnitude = 1.0
                        for p in 0..<k {
                            let t = Double(a[i * k + p]) * Double(b[Int(rows[p]) * ldb + j])
                            s += t
                            magnitude += abs(t)
                        }
                        if relu { s = max(s, 0) }
                        if !(abs(Double(c[i * n + j]) - s) <= 1e-5 * magnitude) { bad += 1 }
                    }
                }
                #expect(bad == 0, "\(kernel) kc=\(kc) threads=\(threads) \(m)x\(n)x\(k) relu=\(relu)")
            }
        }
    }

    /// update[rows[i]] += step·(AᵀB)[i] for the m listed rows of an update with more rows
    /// (and rows wider than n): the listed rows stepped as the product's rows, the others
    /// untouched to the bit; C the product unless discarded. k = 64 is one block (the x86
    /// kernels step the rows from registers); kc 7 and k = 600 take several (partial sums
    /// through C).
    @Test func stepOnListedRowsOfTheUpdate() {
        let step: Float = -0.25
        var variant: UInt64 = 0
        onEveryKernel { kernel, kc, threads in
            for (m, n, k) in [(1, 1, 1), (300, 256, 64), (40, 33, 600), (9, 17, 5)] {
                for discard: Int32 in [0, 1] {
                    variant += 1
                    let total = m + 7, ldu = n + 4
                    let a = values(k * m, seed: variant), b = values(k * n, seed: variant + 100)
                    let u0 = values(total * ldu, seed: variant + 200), rows = listedRows(m, of: total, seed: variant)
                    var u = u0
                    var c = [Float](repeating: .nan, count: m * n)
                    u.withUnsafeMutableBufferPointer { pu in
                        rows.withUnsafeBufferPointer { pr in
                            var extras = nns_gemm_extras(gate: nil, ldg: 0, update: pu.baseAddress, ldu: ldu, step: step,
                                                         discard_c: discard, b_rows: nil, update_rows: pr.baseAddress)
                            nns_sgemm_extras(1, 0, m, n, k, 1, a, m, b, n, 0, &c, n, &extras)
                        }
                    }
                    var bad = 0
                    var listed = [Int: Int]()
                    for (i, r) in rows.enumerated() { listed[Int(r)] = i }
                    for row in 0..<total {
                        for j in 0..<ldu {
                            let got = u[row * ldu + j], before = u0[row * ldu + j]
                            guard let i = listed[row], j < n else {
                                if got.bitPattern != before.bitPattern { bad += 1 }
                                continue
                            }
                            var s = 0.0, magnitude = 0.0
                            for p in 0..<k {
                                let t = Double(a[p * m + i]) * Double(b[p * n + j])
                                s += t
                                magnitude += abs(t)
                            }
                            let tolerance = 1e-5 * (magnitude + 1)
                            if !(abs(Double(got) - (Double(before) + Double(step) * s)) <= abs(Double(step)) * tolerance + 1e-6) { bad += 1 }
                            if discard == 0 && !(abs(Double(c[i * n + j]) - s) <= tolerance) { bad += 1 }
                        }
                    }
                    #expect(bad == 0, "\(kernel) kc=\(kc) threads=\(threads) \(m)x\(n)x\(k) discard=\(discard)")
                }
            }
        }
    }
}
