// `nns-bench peak [--seconds S]`: the limit the GFLOP/s figures are compared against.
// Prints one line of key=value pairs: the kernel, the clock measured with a chain of
// dependent register-to-register integer adds (one cycle each), the FLOPs per cycle of
// one core (2 per FMA x lanes x FMA pipes, from a run of independent FMAs, rounded to a
// power of two), the per-core peak (clock x FLOPs per cycle, or the FMA rate that run
// actually reached when that is lower), that FMA rate, and the machine's peak (online
// cores x per-core peak).

import CKernels
#if canImport(Glibc)
import Glibc
#endif

func runPeakBench(_ args: [String]) {
    var seconds = 1.0
    if args.count == 2, args[0] == "--seconds", let s = Double(args[1]), s > 0 {
        seconds = s
    } else if !args.isEmpty {
        print("usage: nns-bench peak [--seconds S]")
        exit(2)
    }
    var ghz = 0.0, flopsPerCycle = 0.0
    let measured = nns_measure_peak(seconds, &ghz, &flopsPerCycle)
    let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    // The integer chain runs at the core's scalar clock; on Intel, sustained AVX-512 FMAs run
    // at a lower one (measured on a Xeon: 2.95 GHz x 64 = 189 GFLOP/s against 155 from the
    // FMA loop), so the peak is the lower of the two: what the FMA pipes can actually do.
    let core = min(ghz * flopsPerCycle, measured)
    func f(_ x: Double) -> String { String((x * 10).rounded() / 10) }
    print("kernel=\(String(cString: nns_kernel_name())) \(kernelBlocking()) clock_ghz=\((ghz * 1000).rounded() / 1000)"
          + " flops_per_cycle=\(Int(flopsPerCycle)) core_peak_gflops=\(f(core))"
          + " fma_loop_gflops=\(f(measured)) cores=\(cores) machine_peak_gflops=\(f(core * Double(cores)))")
}

/// "kc=256 l1d=48K": the k block the products use and the L1d size it was chosen for.
func kernelBlocking() -> String {
    var l1d = 0
    let kc = nns_kernel_k_block(&l1d)
    return "kc=\(kc) l1d=\(l1d > 0 ? "\(l1d / 1024)K" : "unknown")"
}
