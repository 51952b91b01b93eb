// Tests of when work splits between threads (Sources/CKernels/thread_policy.c): the probe
// of the cores' distance, and small work kept on one thread while the cores are far apart.
// In KernelTests' suite, which runs one test at a time: they all set the thread count.

import CKernels
import Foundation
import Testing

extension KernelTests {
    /// The probe measures a round trip when the worker runs on another CPU. Each attempt
    /// first runs a product on two threads, which wakes the worker and lets the scheduler
    /// give it a CPU of its own; other tests may hold the pool or the CPUs for a while, and
    /// a VM's two vCPUs sometimes share one core for seconds (each trip then waits for a
    /// time slice and the probe gives up: measured on the Zen 4 VM, 400 attempts in 0.17 s
    /// found none), so the attempts go on, 20 ms apart, for up to 10 s.
    @Test func coreRoundTripProbeMeasures() {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { return }
        let saved = nns_get_threads()
        defer { nns_set_threads(saved) }
        nns_set_threads(2)
        let n = 256
        let a = [Float](repeating: 0.5, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var measured: [Int] = []
        let deadline = Date().addingTimeInterval(10)
        while measured.count < 3 && Date() < deadline {
            for _ in 0..<40 where measured.count < 3 {
                nns_sgemm(0, 0, n, n, n, 1, a, n, a, n, 0, &c, n)
                let trip = nns_core_round_trip_ns()
                if trip >= 0 { measured.append(trip) }
            }
            if measured.count < 3 { usleep(20_000) }
        }
        #expect(!measured.isEmpty, "no probe measured a round trip in 10 s of attempts")
        // A cache line between two cores of one machine: tens to hundreds of ns; the probe
        // discards trips over 10 us (a thread waiting for a CPU, not distance).
        for trip in measured { #expect(trip > 0 && trip <= 10_000) }
        nns_set_threads(1)
        #expect(nns_core_round_trip_ns() == -1) // no worker to bounce a line with
    }

    /// Far cores (a round trip over the threshold, 200 ns by default, and over 3 times the
    /// shortest trip so far) keep work below 2^24 multiply-adds on one thread and let
    /// larger work split; near cores, a probe that measured nothing, a threshold of 0, or
    /// trips that were never much shorter leave both as they were. The comparisons are
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
        // A machine whose shortest trip is 150 ns (the Xeon's were 150-270): 450 is not far
        // (3 x 150), 451 is.
        nns_set_far_cores_ns(-1)
        nns_set_core_round_trip_ns(150)
        nns_set_core_round_trip_ns(450)
        #expect(nns_threads_for_work(small) == near)
        nns_set_core_round_trip_ns(451)
        #expect(nns_threads_for_work(small) == 1)
        // A process that began with the cores far apart: its first trip is the shortest, so
        // far only once a near one has been seen.
        nns_set_far_cores_ns(-1)
        nns_set_core_round_trip_ns(350)
        #expect(nns_threads_for_work(small) == near)
        nns_set_core_round_trip_ns(70)
        nns_set_core_round_trip_ns(350)
        #expect(nns_threads_for_work(small) == 1)
    }
}

extension KernelTests {
    /// The shortest trip of this boot, recorded under $XDG_CACHE_HOME/nns: written and read
    /// back; a garbage file, a file of another boot, a huge file, and a symlink, a FIFO or a
    /// folder in its place are ignored, and none of them is written.
    @Test func recordedRoundTripSurvivesHostileFiles() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("nns-cores-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? fm.removeItem(at: root) }
        let saved = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        setenv("XDG_CACHE_HOME", root.path, 1)
        defer { if let saved { setenv("XDG_CACHE_HOME", saved, 1) } else { unsetenv("XDG_CACHE_HOME") } }
        let file = root.appendingPathComponent("nns/core-round-trip")

        #expect(nns_recorded_core_round_trip_ns() == 0) // nothing yet: not even the folder
        nns_record_core_round_trip_ns(61)
        #expect(nns_recorded_core_round_trip_ns() == 61)
        let boot = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try String(contentsOf: file, encoding: .utf8) == "\(boot) 61\n")

        try "not a record".write(to: file, atomically: true, encoding: .utf8)
        #expect(nns_recorded_core_round_trip_ns() == 0)
        try "00000000-0000-0000-0000-000000000000 61\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(nns_recorded_core_round_trip_ns() == 0) // another boot's

        let target = root.appendingPathComponent("precious")
        try "keep me".write(to: target, atomically: true, encoding: .utf8)
        try fm.removeItem(at: file)
        try fm.createSymbolicLink(at: file, withDestinationURL: target)
        nns_record_core_round_trip_ns(59)
        #expect(nns_recorded_core_round_trip_ns() == 0)
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
        #expect((try? fm.destinationOfSymbolicLink(atPath: file.path)) == target.path)

        // A FIFO in its place: neither read (which would wait for a writer) nor written.
        try fm.removeItem(at: file)
        #expect(mkfifo(file.path, 0o600) == 0)
        #expect(nns_recorded_core_round_trip_ns() == 0)
        nns_record_core_round_trip_ns(59)
        #expect(nns_recorded_core_round_trip_ns() == 0)
        var info = stat()
        #expect(lstat(file.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)

        // A huge file that starts like a record of this boot: only its head is read, and
        // the number there, too long to be a trip, is refused.
        try fm.removeItem(at: file)
        try Data((boot + " " + String(repeating: "7", count: 1 << 20)).utf8).write(to: file)
        #expect(nns_recorded_core_round_trip_ns() == 0)

        try fm.removeItem(at: file)
        try fm.createDirectory(at: file, withIntermediateDirectories: false)
        nns_record_core_round_trip_ns(59)
        #expect(nns_recorded_core_round_trip_ns() == 0)
        var isFolder: ObjCBool = false
        #expect(fm.fileExists(atPath: file.path, isDirectory: &isFolder) && isFolder.boolValue)
        let leftovers = try fm.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(leftovers == ["core-round-trip"]) // no temporary file left behind
    }
}
