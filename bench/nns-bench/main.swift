// nns-bench <benchmark> [options]: micro-benchmarks driven by the scripts in bench/.
// Each benchmark lives in its own file and registers itself in `benchmarks` below.

#if canImport(Glibc)
import Glibc
#endif

/// Benchmarks by name: a one-line description and the function that runs it with the
/// remaining command-line arguments.
let benchmarks: [(name: String, summary: String, run: ([String]) -> Void)] = [
    ("matmul", "GFLOP/s of nns_sgemm on the MNIST MLP shapes and 1024^3", runMatmulBench),
    ("peak", "the clock, FLOPs per cycle and peak GFLOP/s of this CPU (measured)", runPeakBench),
    ("matmul-paired", "nns against a BLAS library, call for call (the kernels' ratio without the noise)", runPairedMatmulBench),
    ("matmul-threads", "one vs two threads on growing products (the threading threshold)", runMatmulThreadsBench),
    ("columns", "the batch gather, zero-column scan and copies of a linear layer, per variant (portable, AVX2, AVX-512)", runColumnsBench),
]

func usage() {
    print("usage: nns-bench <benchmark> [options]")
    for b in benchmarks {
        let pad = String(repeating: " ", count: max(1, 16 - b.name.count))
        print("  \(b.name)\(pad)\(b.summary)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if let name = arguments.first, let bench = benchmarks.first(where: { $0.name == name }) {
    bench.run(Array(arguments.dropFirst()))
} else {
    usage()
    exit(arguments.isEmpty ? 0 : 2)
}

