// `nns-bench matmul [--seconds S] [--shape NAME] [--cpu-time]`: GFLOP/s of the C GEMM on the shapes of
// the MNIST 784-256-32-10 MLP at batch 64 (each layer's forward x·Wᵀ, weight gradient
// δᵀ·x and input gradient δ·W) and a square 1024^3 product.
// Output: one line per shape, "<name> <GFLOP/s> <GFLOP/s of the 10th-percentile call> <busy>",
// as bench/matmul.py; busy = process CPU time / wall time over the shape's run.
// --cpu-time divides by the calling thread's CPU time instead of wall time: with one
// thread this measures the kernel, not the other load on a shared machine.

import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// One benchmarked product: C (m x n) = op(A) (m x k) · op(B) (k x n).
struct MatmulShape {
    let name: String
    let transA: Bool
    let transB: Bool
    let m: Int, k: Int, n: Int
}

/// The shapes, shared with bench/matmul.py and bench/kernel-ab/ab.c (keep the lists identical).
let matmulShapes: [MatmulShape] = [
    MatmulShape(name: "784x256.fwd.A*Bt(64x784x256)", transA: false, transB: true, m: 64, k: 784, n: 256),
    MatmulShape(name: "784x256.dW.At*B(256x64x784)", transA: true, transB: false, m: 256, k: 64, n: 784),
    MatmulShape(name: "784x256.dA.A*B(64x256x784)", transA: false, transB: false, m: 64, k: 256, n: 784),
    MatmulShape(name: "256x32.fwd.A*Bt(64x256x32)", transA: false, transB: true, m: 64, k: 256, n: 32),
    MatmulShape(name: "256x32.dW.At*B(32x64x256)", transA: true, transB: false, m: 32, k: 64, n: 256),
    MatmulShape(name: "256x32.dA.A*B(64x32x256)", transA: false, transB: false, m: 64, k: 32, n: 256),
    MatmulShape(name: "square.A*B(1024x1024x1024)", transA: false, transB: false, m: 1024, k: 1024, n: 1024),
]

func clockSeconds(_ clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// GFLOP/s of one shape, repeating the product until `seconds` have passed on `clock`:
/// over the whole run, and from the 10th-percentile call (each call timed on `clock`; on
/// a shared machine the fastest calls are the undisturbed ones); and the process's CPU
/// time over the run's wall time (threads busy on average: with 2 threads, near 2 when
/// both work and the pool neither spins nor waits).
/// One shape's operands, filled with the same pseudo-random values every time, and the
/// product through nns. Stored shapes: A is m x k (k x m when transposed), B is k x n
/// (n x k when transposed), C is m x n.
final class MatmulOperands {
    let shape: MatmulShape
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>
    var lda: Int { shape.transA ? shape.m : shape.k }
    var ldb: Int { shape.transB ? shape.k : shape.n }

    init(_ s: MatmulShape) {
        shape = s
        a = .allocate(capacity: s.m * s.k)
        b = .allocate(capacity: s.k * s.n)
        c = .allocate(capacity: s.m * s.n)
        var seed: UInt32 = 12345
        func next() -> Float {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return Float(seed >> 8) / Float(1 << 24) - 0.5
        }
        for i in 0..<(s.m * s.k) { a[i] = next() }
        for i in 0..<(s.k * s.n) { b[i] = next() }
    }

    deinit { a.deallocate(); b.deallocate(); c.deallocate() }

    /// C = op(A)·op(B) through nns_sgemm.
    func runNNS() {
        let s = shape
        nns_sgemm(s.transA ? 1 : 0, s.transB ? 1 : 0, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n)
    }
}

func measureMatmul(_ s: MatmulShape, seconds: Double, clock: clockid_t) -> (gflops: Double, decile: Double, busy: Double) {
    let operands = MatmulOperands(s)
    func run() { operands.runNNS() }
    run() // warm-up: page faults, pool start, packing buffers
    var reps = 0
    let start = clockSeconds(clock)
    let wall0 = clockSeconds(CLOCK_MONOTONIC), cpu0 = clockSeconds(CLOCK_PROCESS_CPUTIME_ID)
    var elapsed = 0.0, previous = start
    var calls = [Double]()
    repeat {
        run()
        reps += 1
        let now = clockSeconds(clock)
        calls.append(now - previous)
        previous = now
        elapsed = now - start
    } while elapsed < seconds
    let busy = (clockSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / (clockSeconds(CLOCK_MONOTONIC) - wall0)
    let flop = 2.0 * Double(s.m) * Double(s.n) * Double(s.k)
    calls.sort()
    return (flop * Double(reps) / elapsed / 1e9, flop / calls[calls.count / 10] / 1e9, busy)
}

func runMatmulBench(_ args: [String]) {
    var seconds = 0.3
    var only: String? = nil
    var clock = CLOCK_MONOTONIC
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--seconds" where i + 1 < args.count: seconds = Double(args[i + 1]) ?? seconds; i += 1
        case "--shape" where i + 1 < args.count: only = args[i + 1]; i += 1
        case "--cpu-time": clock = CLOCK_THREAD_CPUTIME_ID
        default:
            print("usage: nns-bench matmul [--seconds S] [--shape NAME] [--cpu-time]")
            exit(2)
        }
        i += 1
    }
    let clockName = clock == CLOCK_MONOTONIC ? "wall" : "thread-cpu"
    print("# nns kernel=\(String(cString: nns_kernel_name())) \(kernelBlocking()) threads=\(nns_get_threads()) clock=\(clockName)")
    for s in matmulShapes where only == nil || s.name.hasPrefix(only!) {
        let (g, decile, busy) = measureMatmul(s, seconds: seconds, clock: clock)
        print("\(s.name) \((g * 10).rounded() / 10) \((decile * 10).rounded() / 10) \((busy * 100).rounded() / 100)")
    }
}
