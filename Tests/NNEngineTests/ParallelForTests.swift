import Testing
@testable import NNEngine

/// `parallelFor` (over `nns_parallel_for`): every index is handed out exactly once, in
/// contiguous ranges, whatever the count and grain.
@Suite struct ParallelForTests {
    @Test(arguments: [(0, 1), (1, 1), (17, 1), (1000, 100), (40_000, 16_384), (100_003, 1000)])
    func coversEveryIndexOnce(count: Int, grain: Int) {
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, count))
        defer { hits.deallocate() }
        hits.initialize(repeating: 0, count: max(1, count))
        parallelFor(count, grain: grain) { range in
            for i in range { hits[i] += 1 }
        }
        let wrong = (0..<count).filter { hits[$0] != 1 }
        #expect(wrong.isEmpty, "\(wrong.count) indices not visited exactly once")
    }

    @Test func smallCountsRunAsOneRange() {
        var ranges: [Range<Int>] = []
        parallelFor(1000, grain: 600) { ranges.append($0) }  // 1000 < 2 × 600
        #expect(ranges == [0..<1000])
    }
}
