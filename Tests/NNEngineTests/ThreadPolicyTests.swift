// Tests of when work splits between threads (Sources/CKernels/thread_policy.c): the probe
// of the cores' distance, and small work kept on one thread while the cores are far apart.
// In KernelTests' suite, which runs one test at a time: they all set the thread count.

import CKernels
import Foundation
import Testing

extension KernelTests {
    /// The probe measures a round trip when the worker runs on another CPU. Each attempt
    /// first runs a product on two threads, which wakes the worker and lets the scheduler
    /// give it a CPU of its own; other tests may hold the pool or the CPUs for a while.
    @Test func coreRoundTripProbeMeasures() {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { return }
        let saved = nns_get_threads()
        defer { nns_set_threads(saved) }
        nns_set_threads(2)
        let n = 256
        let a = [Float](repeating: 0.5, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var measured: [Int] = []
        for _ in 0..<400 where measured.count < 3 {
            nns_sgemm(0, 0, n, n, n, 1, a, n, a, n, 0, &c, n)
            let trip = nns_core_round_trip_ns()
            if trip >= 0 { measured.append(trip) }
        }
        #expect(!measured.isEmpty, "no probe measured a round trip in 400 attempts")
        // A cache line between two cores of one machine: tens to hundreds of ns; the probe
        // discards trips over 10 us (a thread waiting for a CPU, not distance).
        for trip in measured { #expect(trip > 0 && trip <= 10_000) }
        nns_set_threads(1)
        #expect(nns_core_round_trip_ns() == -1) // no worker to bounce a line with
    }

    /// Far cores (a round trip over the threshold, 200 ns by default) keep work below 2^24
    /// multiply-adds on one thread and let larger work split; near cores, a probe that
    /// measured nothing, or a threshold of 0 leave both as they were. The comparisons are
    /// with the thread count for near cores, which a back-off after stalls (other tests'
    /// products on this busy machine) can also make 1.
    @Test func farCoresKeepSmallWorkOnOneThread() {
        let saved = nns_get_threads()
        defer {
            nns_set_threads(saved)
            nns_set_far_cores_ns(-1)
        }
        nns_set_threads(2)
        nns_set_far_cores_ns(-1)
        let small = 256.0 * 64 * 784, large = 1024.0 * 1024 * 1024
        nns_set_core_round_trip_ns(70)
        let near = nns_threads_for_work(large)
        #expect(nns_threads_for_work(small) == near)
        nns_set_core_round_trip_ns(350)
        #expect(nns_threads_for_work(small) == 1)
        #expect(nns_threads_for_work(large) == near)
        nns_set_core_round_trip_ns(-1)
        #expect(nns_threads_for_work(small) == near)
        nns_set_far_cores_ns(400)
        nns_set_core_round_trip_ns(350)
        #expect(nns_threads_for_work(small) == near)
        nns_set_far_cores_ns(0)
        nns_set_core_round_trip_ns(5000)
        #expect(nns_threads_for_work(small) == near)
    }
}
