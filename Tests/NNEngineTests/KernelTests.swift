// Tests of the C matrix-product kernels (Sources/CKernels) against a naive Float64
// product: every microkernel this CPU can run, all four transpose combinations, sizes that
// are not multiples of any tile, strides wider than the rows, alpha/beta, the fused
// bias + ReLU epilogue, the extras of a linear layer's backward (relu' gate, SGD step), and
// training that gives the same bits whatever the number of threads.

import CKernels
import Foundation
@testable import NNEngine
import Testing

/// Deterministic values in [-1, 1).
private struct LCG {
    var state: UInt32
    mutating func next() -> Float {
        state = state &* 1_664_525 &+ 1_013_904_223
        return Float(state >> 8) / Float(1 << 23) - 1
    }
}

private enum Epilogue {
    case scale(alpha: Float, beta: Float)       // nns_sgemm
    case bias(useBias: Bool, relu: Bool)        // nns_sgemm_bias
    case extras(gate: Bool, update: Bool, discard: Bool = false) // nns_sgemm_extras, alpha 1, beta 0
}

/// The step the extras' update takes: w += step·C.
private let extrasStep: Float = -0.25

/// Runs one product through the C API and compares the elements of every `rowStep`-th
/// row with a Float64 reference; also checks that the padding between rows of C was left
/// alone. Returns the number of mismatching elements.
private func mismatches(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                        _ epilogue: Epilogue, seed: UInt32, rowStep: Int = 1) -> Int {
    var rng = LCG(state: seed)
    let lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 5, ldc = n + 2
    let aRows = transA ? k : m, bRows = transB ? n : k
    let a = (0..<max(aRows * lda, 1)).map { _ in rng.next() }
    let b = (0..<max(bRows * ldb, 1)).map { _ in rng.next() }
    let c0 = (0..<max(m * ldc, 1)).map { _ in rng.next() }
    let bias = (0..<max(n, 1)).map { _ in rng.next() }
    // A gate with negatives, exact zeros and NaN (all closed), and weights to step, both
    // with rows wider than C's so that a wrong stride shows.
    let ldg = n + 1, ldu = n + 4
    let gate: [Float] = (0..<max(m * ldg, 1)).map { e in e % 7 == 3 ? .nan : e % 11 == 5 ? 0 : rng.next() }
    let w0 = (0..<max(m * ldu, 1)).map { _ in rng.next() }
    var w = w0
    var c = c0
    switch epilogue {
    case let .scale(alpha, beta):
        if beta == 0 { // beta == 0 must not read C
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = .nan } }
        }
        nns_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, &c, ldc)
    case let .bias(useBias, relu):
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = .nan } }
        bias.withUnsafeBufferPointer { bp in
            nns_sgemm_bias(transA ? 1 : 0, transB ? 1 : 0, m, n, k, a, lda, b, ldb,
                           useBias ? bp.baseAddress : nil,
                           relu ? NNS_EPILOGUE_RELU : NNS_EPILOGUE_NONE, &c, ldc)
        }
    case let .extras(useGate, useUpdate, discard):
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = .nan } }
        gate.withUnsafeBufferPointer { g in
            w.withUnsafeMutableBufferPointer { pw in
                var x = nns_gemm_extras(gate: useGate ? g.baseAddress : nil, ldg: ldg,
                                        update: useUpdate ? pw.baseAddress : nil, ldu: ldu, step: extrasStep,
                                        discard_c: discard ? 1 : 0, b_rows: nil, update_rows: nil)
                nns_sgemm_extras(transA ? 1 : 0, transB ? 1 : 0, m, n, k, 1, a, lda, b, ldb, 0, &c, ldc, &x)
            }
        }
    }
    var bad = 0
    for i in stride(from: 0, to: m, by: rowStep) {
        for j in 0..<ldc {
            let got = c[i * ldc + j]
            if j >= n {
                if got.bitPattern != c0[i * ldc + j].bitPattern { bad += 1 }
                continue
            }
            var sum = 0.0, magnitude = 0.0
            for p in 0..<k {
                let x = Double(transA ? a[p * lda + i] : a[i * lda + p])
                let y = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                sum += x * y
                magnitude += abs(x * y)
            }
            var expected: Double
            switch epilogue {
            case let .scale(alpha, beta):
                expected = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j]))
                magnitude = abs(Double(alpha)) * magnitude + abs(Double(beta))
            case let .bias(useBias, relu):
                expected = sum + (useBias ? Double(bias[j]) : 0)
                if relu { expected = max(expected, 0) }
                magnitude += 1
            case let .extras(useGate, useUpdate, discard):
                let closed = useGate && !(gate[i * ldg + j] > 0)
                expected = closed ? 0 : sum
                let tolerance = 1e-5 * (Double(k) + 1).squareRoot() * magnitude + 1e-6
                if discard { // C is unspecified: the step must be the product's, within rounding
                    let stepped = Double(w0[i * ldu + j]) + Double(extrasStep) * expected
                    if !(abs(Double(w[i * ldu + j]) - stepped) <= abs(Double(extrasStep)) * tolerance + 1e-6) { bad += 1 }
                    continue
                }
                if closed && got != 0 { bad += 1 } // exactly zero, whatever the product
                let stepped = Double(w0[i * ldu + j]) + (useUpdate ? Double(extrasStep) * Double(got) : 0)
                if !(abs(Double(w[i * ldu + j]) - stepped) <= 1e-6) { bad += 1 }
            }
            let tolerance = 1e-5 * (Double(k) + 1).squareRoot() * magnitude + 1e-6
            if !(abs(Double(got) - expected) <= tolerance) { bad += 1 }
        }
        for j in n..<ldu where w[i * ldu + j].bitPattern != w0[i * ldu + j].bitPattern { bad += 1 }
    }
    return bad
}

/// Kernels to test: all that this CPU can run.
private func runnableKernels() -> [String] {
    ["portable", "avx2", "avx512", "neon"].filter { nns_set_kernel($0) == 0 }
}

/// (m, n, k) triples over 1, 3, 17, 33, 65, 129: every size in every position, none a
/// multiple of a tile, some large enough to run on two threads.
private let oddShapes: [(Int, Int, Int)] = [
    (1, 1, 1), (1, 17, 3), (3, 1, 17), (17, 33, 1), (33, 17, 65), (65, 3, 33),
    (129, 65, 17), (17, 129, 3), (3, 65, 129), (65, 129, 33), (33, 1, 129), (129, 33, 65),
]

private let epilogues: [Epilogue] = [
    .scale(alpha: 1, beta: 0), .scale(alpha: -0.5, beta: 1), .scale(alpha: 2, beta: 0.5),
    .bias(useBias: true, relu: true), .bias(useBias: true, relu: false), .bias(useBias: false, relu: true),
    .extras(gate: true, update: false), .extras(gate: false, update: true), .extras(gate: true, update: true),
    .extras(gate: false, update: true, discard: true),
]

/// Checks each (m, n, k) of `shapes` with every transpose, on one and on two threads,
/// cycling through the epilogues; `variant` carries the cycle (and the seeds) on.
private func expectProductsOnOneAndTwoThreads(_ shapes: [(Int, Int, Int)], variant: inout Int,
                                             seedBase: Int = 0, rowStep: Int = 1, _ context: String) {
    for threads: Int32 in [1, 2] {
        nns_set_threads(threads)
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            for (m, n, k) in shapes {
                let e = epilogues[variant % epilogues.count]
                variant += 1
                let bad = mismatches(transA: transA, transB: transB, m: m, n: n, k: k, e,
                                     seed: UInt32(seedBase + variant), rowStep: rowStep)
                #expect(bad == 0, "\(context) threads=\(threads) transA=\(transA) transB=\(transB) \(m)x\(n)x\(k) \(e)")
            }
        }
    }
}

@Suite(.serialized) struct KernelTests {
    @Test func smallProductByHand() {
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]; Bᵀ stored gives the same product.
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8], bt: [Float] = [5, 7, 6, 8]
        var c = [Float](repeating: .nan, count: 4)
        nns_sgemm(0, 0, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
        nns_sgemm(0, 1, 2, 2, 2, 1, a, 2, bt, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
        // bias (-20, -60) then ReLU: [[0, 0], [23, 0]]
        nns_sgemm_bias(0, 0, 2, 2, 2, a, 2, b, 2, [-20, -60], NNS_EPILOGUE_RELU, &c, 2)
        #expect(c == [0, 0, 23, 0])
    }

    @Test func everyKernelTransposeAndOddSize() {
        defer { _ = nns_set_kernel("best") }
        let kernels = runnableKernels()
        #expect(kernels.contains("portable"))
        for kernel in kernels {
            #expect(nns_set_kernel(kernel) == 0)
            var variant = 0
            for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
                for (m, n, k) in oddShapes {
                    let e = epilogues[variant % epilogues.count]
                    variant += 1
                    let bad = mismatches(transA: transA, transB: transB, m: m, n: n, k: k, e,
                                         seed: UInt32(variant))
                    #expect(bad == 0, "\(kernel) transA=\(transA) transB=\(transB) \(m)x\(n)x\(k) \(e)")
                }
            }
        }
    }

    /// Tile edges (one less, equal, one more than the 6x16, 8x32 and 4x16 tiles; k = 1),
    /// each through both schedules (A packed, A read in place), with cache blocks small
    /// enough that k, m and n span several blocks, on one and on two threads.
    @Test func everyScheduleBlockingAndEdge() {
        let saved = nns_get_threads()
        defer {
            nns_set_threads(saved)
            nns_set_tuning(0, 0, 0, -1, -1)
            _ = nns_set_kernel("best")
        }
        let edges: [(Int, Int, Int)] = [
            (6, 16, 1), (5, 15, 1), (7, 17, 2), (12, 32, 8), (11, 31, 9), (13, 33, 7),
            (8, 32, 16), (9, 48, 17), (4, 64, 23), (25, 1, 5), (1, 40, 6), (30, 47, 29),
            (13, 530, 70), // many strips
        ]
        // (kc, mc, nc, A in place): automatic; several k and m blocks packed; the same with
        // several n blocks (nc rounds up to one tile's width); strips over k blocks
        let tunings: [(Int, Int, Int, Int32)] = [(0, 0, 0, -1), (7, 10, 0, 0), (7, 10, 1, 0), (5, 0, 0, 1)]
        var variant = 0
        for kernel in runnableKernels() {
            #expect(nns_set_kernel(kernel) == 0)
            for (kc, mc, nc, inPlace) in tunings {
                nns_set_tuning(kc, mc, nc, inPlace, 0) // parallel_min 0: every product may split
                expectProductsOnOneAndTwoThreads(edges, variant: &variant,
                                                 "\(kernel) kc=\(kc) mc=\(mc) nc=\(nc) inPlace=\(inPlace)")
            }
        }
    }

    @Test func mnistLayerShapesOnTwoThreads() {
        let saved = nns_get_threads()
        nns_set_threads(2)
        defer { nns_set_threads(saved) }
        #expect(nns_set_kernel("best") == 0)
        // forward x·Wᵀ + b with ReLU, weight gradient δᵀ·x, input gradient δ·W
        // (every 5th row checked: rows 0, 5, ... fall in every tile row and both threads' work)
        #expect(mismatches(transA: false, transB: true, m: 64, n: 256, k: 784, .bias(useBias: true, relu: true), seed: 1, rowStep: 5) == 0)
        #expect(mismatches(transA: true, transB: false, m: 256, n: 784, k: 64, .scale(alpha: 1, beta: 1), seed: 2, rowStep: 5) == 0)
        #expect(mismatches(transA: false, transB: false, m: 64, n: 784, k: 256, .scale(alpha: 1, beta: 0), seed: 3, rowStep: 5) == 0)
        // the same with the training step's extras: dW with the SGD step, dA through relu'
        #expect(mismatches(transA: true, transB: false, m: 256, n: 784, k: 64, .extras(gate: false, update: true), seed: 4, rowStep: 5) == 0)
        #expect(mismatches(transA: false, transB: false, m: 64, n: 784, k: 256, .extras(gate: true, update: false), seed: 5, rowStep: 5) == 0)
        // the step alone, C discarded: k = 64 (one block, C never touched) and k = 1100 (three
        // blocks of 512 at most, partial sums through C)
        #expect(mismatches(transA: true, transB: false, m: 256, n: 784, k: 64, .extras(gate: false, update: true, discard: true), seed: 6, rowStep: 5) == 0)
        #expect(mismatches(transA: true, transB: false, m: 40, n: 70, k: 1100, .extras(gate: false, update: true, discard: true), seed: 7) == 0)
    }

    /// Products whose A spans several cache blocks: the blocked schedule, which the
    /// AVX-512 kernel runs with a tile and an A packer of its own. Every transpose, k long
    /// enough for the packers' whole 16-float steps and a tail, ragged m and n, every
    /// epilogue kind, on one and on two threads (every 7th row checked: all rows of a
    /// 12- or 8-row panel in turn).
    @Test func blockedScheduleOnLargeA() {
        let saved = nns_get_threads()
        defer {
            nns_set_threads(saved)
            _ = nns_set_kernel("best")
        }
        let shapes = [(257, 33, 531), (300, 70, 300)]
        var variant = 0
        for kernel in runnableKernels() {
            #expect(nns_set_kernel(kernel) == 0)
            expectProductsOnOneAndTwoThreads(shapes, variant: &variant, seedBase: 100, rowStep: 7, kernel)
        }
    }

    @Test func trainingGivesTheSameBitsOnAnyThreadCount() {
        // Each element of every product is one thread's sum in one order, whoever claims
        // which strip or row group: training must not depend on the threads, here with
        // every product split (parallel_min 0) and the plain SGD step inside the products.
        let saved = nns_get_threads()
        defer {
            nns_set_threads(saved)
            nns_set_tuning(0, 0, 0, -1, -1)
        }
        nns_set_tuning(0, 0, 0, -1, 0)
        func trainedWeights(threads: Int32) throws -> [[Float]] {
            nns_set_threads(threads)
            let source = RandomSource(seed: 3)
            let net = try Network([Linear(inputs: 30, outputs: 70, source: source), Activation(.relu),
                                   Linear(inputs: 70, outputs: 5, source: source), Softmax()])
            let x = (0..<90).map { i in (0..<30).map { j in Float(cos(Double(i * 30 + j) * 0.21)) } }
            let data = try Dataset(x: Tensor(rows: x), y: Tensor((0..<90).map { Float($0 % 5) }))
            _ = try train(net, data, loss: .crossEntropy, optimizer: SGD(learningRate: 0.05), epochs: 2,
                          batchSize: 40, seed: 2)
            return net.namedParameters.map { $0.parameter.value.scalars + $0.parameter.grad.scalars }
        }
        do {
            let one = try trainedWeights(threads: 1)
            for threads: Int32 in [2, 3] {
                let other = try trainedWeights(threads: threads)
                var differing = 0
                for (p, q) in zip(one, other) {
                    for (a, b) in zip(p, q) where a.bitPattern != b.bitPattern { differing += 1 }
                }
                #expect(other.count == one.count && differing == 0, "\(threads) threads")
            }
        } catch {
            Issue.record(error)
        }
    }

    @Test func emptyDimensions() {
        // k = 0: C = beta*C, and for the bias form C = epilogue(bias)
        var c: [Float] = [1, -2, 3, -4]
        nns_sgemm(0, 0, 2, 2, 0, 1, [], 1, [], 2, 0.5, &c, 2)
        #expect(c == [0.5, -1, 1.5, -2])
        nns_sgemm_bias(0, 0, 2, 2, 0, [], 1, [], 2, [1, -1], NNS_EPILOGUE_RELU, &c, 2)
        #expect(c == [1, 0, 1, 0])
        // m = 0 or n = 0 touch nothing
        c = [7, 7, 7, 7]
        nns_sgemm(0, 0, 0, 2, 3, 1, [], 3, [1, 2, 3, 4, 5, 6], 2, 0, &c, 2)
        nns_sgemm(0, 0, 2, 0, 3, 1, [1, 2, 3, 4, 5, 6], 3, [], 1, 0, &c, 1)
        #expect(c == [7, 7, 7, 7])
    }

    @Test func peakMeasurementIsPlausible() {
        // Any CPU this runs on: 0.3-10 GHz, 2-128 FLOPs per cycle (scalar FMA to 2 x AVX-512),
        // and the FMA loop cannot beat clock x FLOPs per cycle by much (boost between passes).
        var ghz = 0.0, flopsPerCycle = 0.0
        let gflops = nns_measure_peak(0.05, &ghz, &flopsPerCycle)
        #expect(ghz > 0.3 && ghz < 10)
        #expect(flopsPerCycle >= 2 && flopsPerCycle <= 128)
        #expect(gflops > 0 && gflops < 1.5 * ghz * flopsPerCycle)
    }

    @Test func threadCountAndKernelName() {
        let saved = nns_get_threads()
        defer { nns_set_threads(saved) }
        nns_set_threads(0)
        #expect(nns_get_threads() == 1)
        nns_set_threads(2)
        #expect(nns_get_threads() == 2)
        #expect(nns_set_kernel("no-such-kernel") == -1)
        let name = String(cString: nns_kernel_name())
        #expect(["portable", "avx2+fma", "avx512", "neon"].contains(name))
    }
}
