// `nns-bench matmul-paired --blas LIB [--seconds S] [--shape NAME]`: nns against a BLAS
// library (the OpenBLAS NumPy loads: bench/matmul.sh finds it) on the `matmul` shapes, one
// thread each, call for call: nns, BLAS, nns, BLAS, ... each call timed in thread CPU time.
// This machine has slow phases that last from milliseconds to seconds (another tenant on
// the core's sibling, the clock) and move whole runs by ±30%; two calls made microseconds
// apart see the same phase, so the ratio of each adjacent pair is the kernels' ratio with
// the phase divided out. Output per shape:
// "<name> <nns GFLOP/s median call> <BLAS GFLOP/s median call> <median pair ratio> <p10 ratio> <p90 ratio> <pairs>"
// where a pair ratio is BLAS call time / nns call time (> 1: nns is faster).

import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// cblas_sgemm with 32-bit integers (the system's libopenblas) or 64-bit (NumPy's wheel
/// bundles OpenBLAS built with 64-bit integers and prefixed names).
private typealias CblasSgemm32 = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
    UnsafePointer<Float>, Int32, UnsafePointer<Float>, Int32, Float, UnsafeMutablePointer<Float>, Int32) -> Void
private typealias CblasSgemm64 = @convention(c) (Int32, Int32, Int32, Int64, Int64, Int64, Float,
    UnsafePointer<Float>, Int64, UnsafePointer<Float>, Int64, Float, UnsafeMutablePointer<Float>, Int64) -> Void

/// A loaded BLAS: C = op(A)·op(B), row-major, through whichever cblas_sgemm it exports.
private struct LoadedBLAS {
    let call: (MatmulOperands) -> Void
    let symbol: String

    /// Loads `path`, or says why it cannot.
    static func load(_ path: String) -> Result<LoadedBLAS, BLASLoadError> {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(BLASLoadError(reason: dlerror().map { String(cString: $0) } ?? "dlopen failed"))
        }
        // CBLAS enums: row-major 101, no transpose 111, transpose 112.
        func t(_ on: Bool) -> Int32 { on ? 112 : 111 }
        for name in ["scipy_cblas_sgemm64_", "cblas_sgemm64_"] {
            if let p = dlsym(handle, name) {
                let f = unsafeBitCast(p, to: CblasSgemm64.self)
                return .success(LoadedBLAS(call: { o in
                    let s = o.shape
                    f(101, t(s.transA), t(s.transB), Int64(s.m), Int64(s.n), Int64(s.k), 1,
                      o.a, Int64(o.lda), o.b, Int64(o.ldb), 0, o.c, Int64(s.n))
                }, symbol: name))
            }
        }
        guard let p = dlsym(handle, "cblas_sgemm") else {
            return .failure(BLASLoadError(reason: "\(path) exports no cblas_sgemm (nor a 64-bit-integer one)"))
        }
        let f = unsafeBitCast(p, to: CblasSgemm32.self)
        return .success(LoadedBLAS(call: { o in
            let s = o.shape
            f(101, t(s.transA), t(s.transB), Int32(s.m), Int32(s.n), Int32(s.k), 1,
              o.a, Int32(o.lda), o.b, Int32(o.ldb), 0, o.c, Int32(s.n))
        }, symbol: "cblas_sgemm"))
    }
}

private struct BLASLoadError: Error { let reason: String }

private func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func runPairedMatmulBench(_ args: [String]) {
    var seconds = 0.6
    var only: String? = nil
    var path: String? = nil
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--seconds" where i + 1 < args.count: seconds = Double(args[i + 1]) ?? seconds; i += 1
        case "--shape" where i + 1 < args.count: only = args[i + 1]; i += 1
        case "--blas" where i + 1 < args.count: path = args[i + 1]; i += 1
        default:
            print("usage: nns-bench matmul-paired --blas LIB [--seconds S] [--shape NAME]")
            exit(2)
        }
        i += 1
    }
    // One thread each: both libraries read their thread count when first used.
    setenv("OPENBLAS_NUM_THREADS", "1", 1)
    nns_set_threads(1)
    func fail(_ why: String) -> Never {
        fputs("nns-bench matmul-paired: \(why)\n"
              + "  hint: pass the BLAS NumPy loads (bench/matmul.sh R S paired finds it)\n", stderr)
        exit(2)
    }
    guard let lib = path else { fail("no --blas LIB given") }
    let blas: LoadedBLAS
    switch LoadedBLAS.load(lib) {
    case .success(let loaded): blas = loaded
    case .failure(let error): fail("cannot use \(lib): \(error.reason)")
    }
    print("# nns kernel=\(String(cString: nns_kernel_name())) \(kernelBlocking()) against \(blas.symbol) threads=1 clock=thread-cpu paired")
    for s in matmulShapes where only == nil || s.name.hasPrefix(only!) {
        let operands = MatmulOperands(s)
        func nns() { operands.runNNS() }
        func peer() { blas.call(operands) }
        nns(); peer() // warm-up: page faults, buffers
        var nnsTimes = [Double](), peerTimes = [Double](), ratios = [Double]()
        let start = clockSeconds(CLOCK_THREAD_CPUTIME_ID)
        var t = start
        repeat {
            // Alternate which goes first, so that neither always inherits the other's cache.
            let nnsFirst = ratios.count % 2 == 0
            let t0 = t
            if nnsFirst { nns() } else { peer() }
            let t1 = clockSeconds(CLOCK_THREAD_CPUTIME_ID)
            if nnsFirst { peer() } else { nns() }
            t = clockSeconds(CLOCK_THREAD_CPUTIME_ID)
            let (tn, tp) = nnsFirst ? (t1 - t0, t - t1) : (t - t1, t1 - t0)
            nnsTimes.append(tn); peerTimes.append(tp); ratios.append(tp / tn)
        } while t - start < seconds
        nnsTimes.sort(); peerTimes.sort(); ratios.sort()
        let flop = 2.0 * Double(s.m) * Double(s.n) * Double(s.k)
        func r(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        print("\(s.name) \(r(flop / percentile(nnsTimes, 0.5) / 1e9)) \(r(flop / percentile(peerTimes, 0.5) / 1e9))"
              + " \(r(percentile(ratios, 0.5))) \(r(percentile(ratios, 0.1))) \(r(percentile(ratios, 0.9))) \(ratios.count)")
    }
}
