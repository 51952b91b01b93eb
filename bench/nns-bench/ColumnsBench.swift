// `nns-bench columns [--rounds R]`: the batch's gather and the zero-column path of a linear
// layer in training, per variant of its code (portable, AVX2, AVX-512: those this CPU runs),
// on one thread. Shapes of the MNIST bench's first layer: the gather of 64 rows of 784 bytes
// to scaled floats (from 64 rows in the cache: the conversion, not the memory), the scan of
// the batch, then the select of W's 256 × 784 rows to the kept columns and the place back. 37% of the columns are zero
// (MNIST's mean over batches of 64), chosen at random with a fixed seed. Rounds alternate the
// variants; each round times 200 calls of each in thread CPU time. Prints per variant and
// operation the best and the median round's microseconds per call.

import CKernels
#if canImport(Glibc)
import Glibc
#endif

func runColumnsBench(_ args: [String]) {
    var rounds = 5
    if args.count == 2, args[0] == "--rounds", let r = Int(args[1]), r > 0 {
        rounds = r
    } else if !args.isEmpty {
        print("usage: nns-bench columns [--rounds R]")
        exit(2)
    }
    let (batch, k, n) = (64, 784, 256)
    var state: UInt64 = 0x9e37_79b9_7f4a_7c15
    func uniform() -> Double { // splitmix64
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
    let zero = (0..<k).map { _ in uniform() < 0.37 }
    let input = (0..<(batch * k)).map { zero[$0 % k] ? Float(0) : Float(uniform()) }
    var weight = (0..<(n * k)).map { _ in Float(uniform() - 0.5) }
    var index = [Int32](repeating: 0, count: k), masks = [UInt16](repeating: 0, count: (k + 15) / 16)
    let kept = nns_nonzero_columns(input, batch, k, k, &index, &masks)
    var compact = [Float](repeating: 0, count: n * kept)
    let bytes = (0..<(batch * k)).map { _ in UInt8(uniform() * 256) }
    let rows = (0..<batch).map { ($0 * 37) % batch }
    var gathered = [Float](repeating: 0, count: batch * k)
    let calls = 200

    func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    /// Microseconds per call of `body`, or nil when this CPU cannot run the variant.
    func time(_ body: () -> Bool) -> Double? {
        let start = cpuSeconds()
        for _ in 0..<calls { if !body() { return nil } }
        return (cpuSeconds() - start) / Double(calls) * 1e6
    }
    let variants = ["portable", "avx2+fma", "avx512"]
    let operations = ["gather \(batch)x\(k) bytes", "scan \(batch)x\(k)", "select \(n)x\(k)->\(kept)",
                      "place \(n)x\(kept)->\(k)"]
    var results = [String: [Double]]()
    for _ in 0..<rounds {
        for isa in variants {
            let gather = time { nns_gather_rows_u8_isa(isa, bytes, k, rows, batch, 1 / 255, &gathered) == 0 }
            let scan = time {
                nns_nonzero_columns_isa(isa, 1, input, batch, k, k, &index, &masks) == kept
            }
            let select = time { nns_move_columns_isa(isa, 0, weight, n, k, index, kept, masks, &compact) == 0 }
            let place = time { nns_move_columns_isa(isa, 1, compact, n, k, index, kept, masks, &weight) == 0 }
            for (operation, t) in zip(operations, [gather, scan, select, place]) {
                if let t { results["\(isa) \(operation)", default: []].append(t) }
            }
        }
    }
    print("# nns kernel=\(String(cString: nns_kernel_name())) threads=1 clock=thread-cpu rounds=\(rounds) calls=\(calls)"
          + " (kept \(kept) of \(k) columns)")
    print("variant   operation                      best us     median us")
    for isa in variants {
        for operation in operations {
            guard let times = results["\(isa) \(operation)"]?.sorted() else { continue }
            func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }
            func f(_ x: Double) -> String { pad(String((x * 10).rounded() / 10), 12) }
            print(pad(isa, 10) + pad(operation, 31) + f(times[0]) + f(times[times.count / 2]))
        }
    }
}
