// `nns-bench matmul-threads [--calls N]`: where do two threads start to pay?
// For a ladder of batch-64 products it times single calls on one and on two threads and
// prints the 5th-percentile call time of each: on a shared machine the fastest calls are
// the ones that ran undisturbed, which is what a quiet machine would see. The product
// threshold (NNS_PARALLEL_MIN) and the oversubscription back-off are disabled here.

import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Single-call times of `shape` in seconds, `calls` of them, sorted.
func matmulCallTimes(_ s: MatmulShape, calls: Int) -> [Double] {
    let a = UnsafeMutablePointer<Float>.allocate(capacity: s.m * s.k)
    let b = UnsafeMutablePointer<Float>.allocate(capacity: s.k * s.n)
    let c = UnsafeMutablePointer<Float>.allocate(capacity: s.m * s.n)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    a.initialize(repeating: 0.5, count: s.m * s.k)
    b.initialize(repeating: 0.25, count: s.k * s.n)
    let lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n
    var times = [Double]()
    times.reserveCapacity(calls)
    for i in 0..<(calls + 20) {
        let t0 = clockSeconds(CLOCK_MONOTONIC)
        nns_sgemm(s.transA ? 1 : 0, s.transB ? 1 : 0, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n)
        let t = clockSeconds(CLOCK_MONOTONIC) - t0
        if i >= 20 { times.append(t) } // the first calls warm caches and the pool
    }
    return times.sorted()
}

func runMatmulThreadsBench(_ args: [String]) {
    var calls = 2000
    if args.count == 2, args[0] == "--calls", let n = Int(args[1]), n > 0 {
        calls = n
    } else if !args.isEmpty {
        print("usage: nns-bench matmul-threads [--calls N]")
        exit(2)
    }
    // Read once by the library at its first call, so set before any product.
    setenv("NNS_PARALLEL_MIN", "0", 1)
    setenv("NNS_BACKOFF_MS", "0", 1)
    let ladder: [(n: Int, k: Int)] = [(32, 32), (32, 64), (64, 64), (64, 128), (128, 128),
                                      (128, 256), (256, 256), (256, 784)]
    print("# nns kernel=\(String(cString: nns_kernel_name())); 5th-percentile call time")
    print("madds      shape(m x n x k)  1 thread us  2 threads us  speedup")
    for (n, k) in ladder {
        let shape = MatmulShape(name: "", transA: false, transB: true, m: 64, k: k, n: n)
        nns_set_threads(1)
        let one = matmulCallTimes(shape, calls: calls)[calls / 20]
        nns_set_threads(2)
        let two = matmulCallTimes(shape, calls: calls)[calls / 20]
        let madds = 64 * n * k
        let label = "64x\(n)x\(k)"
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(1, w - s.count)) }
        print(pad("\(madds)", 11) + pad(label, 18) + pad("\((one * 1e7).rounded() / 10)", 13)
              + pad("\((two * 1e7).rounded() / 10)", 14) + "\((one / two * 100).rounded() / 100)")
    }
}
