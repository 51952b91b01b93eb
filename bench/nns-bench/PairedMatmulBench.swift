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
    let call: (MatmulShape, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    let symbol: String

    init?(path: String) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { return nil }
        // CBLAS enums: row-major 101, no transpose 111, transpose 112.
        func t(_ on: Bool) -> Int32 { on ? 112 : 111 }
        for name in ["scipy_cblas_sgemm64_", "cblas_sgemm64_"] {
            if let p = dlsym(handle, name) {
                let f = unsafeBitCast(p, to: CblasSgemm64.self)
                call = { s, a, b, c in
                    f(101, t(s.transA), t(s.transB), Int64(s.m), Int64(s.n), Int64(s.k), 1,
                      a, Int64(s.transA ? s.m : s.k), b, Int64(s.transB ? s.k : s.n), 0, c, Int64(s.n))
                }
                symbol = name
                return
            }
        }
        guard let p = dlsym(handle, "cblas_sgemm") else { return nil }
        let f = unsafeBitCast(p, to: CblasSgemm32.self)
        call = { s, a, b, c in
            f(101, t(s.transA), t(s.transB), Int32(s.m), Int32(s.n), Int32(s.k), 1,
              a, Int32(s.transA ? s.m : s.k), b, Int32(s.transB ? s.k : s.n), 0, c, Int32(s.n))
        }
        symbol = "cblas_sgemm"
    }
}

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
    guard let lib = path, let blas = LoadedBLAS(path: lib) else {
        print("nns-bench matmul-paired: cannot load a cblas_sgemm from \(path ?? "(no --blas given)")")
        exit(2)
    }
    print("# nns kernel=\(String(cString: nns_kernel_name())) against \(blas.symbol) threads=1 clock=thread-cpu paired")
    for s in matmulShapes where only == nil || s.name.hasPrefix(only!) {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: s.m * s.k)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: s.k * s.n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: s.m * s.n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for j in 0..<(s.m * s.k) { a[j] = Float(j % 17) * 0.01 - 0.08 }
        for j in 0..<(s.k * s.n) { b[j] = Float(j % 13) * 0.01 - 0.06 }
        func nns() {
            nns_sgemm(s.transA ? 1 : 0, s.transB ? 1 : 0, s.m, s.n, s.k, 1, a, s.transA ? s.m : s.k,
                      b, s.transB ? s.k : s.n, 0, c, s.n)
        }
        func peer() { blas.call(s, a, b, c) }
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
