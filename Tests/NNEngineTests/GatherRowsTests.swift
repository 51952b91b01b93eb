import CKernels
import Testing
@testable import NNEngine

/// The prefetching byte gather (`nns_gather_rows_u8` behind `Dataset.gatherInputs`) on batches
/// longer than its prefetch distance and rows wider than a cache line.
@Suite struct GatherRowsTests {
    @Test func gathersScaledRowsInIndexOrderWithRepeats() throws {
        // 20 rows of 150 bytes; byte (i, j) = (7i + 3j) mod 256, so every row differs.
        let rows = 20, width = 150
        var bytes = [UInt8]()
        for i in 0..<rows { for j in 0..<width { bytes.append(UInt8((7 * i + 3 * j) % 256)) } }
        let data = try Dataset(inputs: .bytes(bytes, scale: 0.5), inputWidth: width,
                               targets: .labels([Int32](repeating: 0, count: rows), classCount: 1))
        let order = [19, 0, 5, 5, 12, 3, 18, 1, 7, 7, 0, 19]
        var x = Tensor(zeros: [0])
        order.withUnsafeBufferPointer { data.gatherInputs($0, into: &x) }
        #expect(x.shape == [order.count, width])
        var mismatches = 0
        for (r, i) in order.enumerated() {
            for j in 0..<width where x.scalars[r * width + j] != Float((7 * i + 3 * j) % 256) / 2 { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// A batch large enough to be split between threads (256 rows of 784 bytes).
    @Test func largeBatchIsGatheredWhole() throws {
        let rows = 300, width = 784
        var bytes = [UInt8]()
        for i in 0..<rows { for j in 0..<width { bytes.append(UInt8((5 * i + j) % 251)) } }
        let data = try Dataset(inputs: .bytes(bytes, scale: 0.25), inputWidth: width,
                               targets: .labels([Int32](repeating: 0, count: rows), classCount: 1))
        let order = (0..<256).map { ($0 * 37 + 11) % rows }
        var x = Tensor(zeros: [0])
        order.withUnsafeBufferPointer { data.gatherInputs($0, into: &x) }
        #expect(x.shape == [order.count, width])
        var mismatches = 0
        for (r, i) in order.enumerated() {
            for j in 0..<width where x.scalars[r * width + j] != Float((5 * i + j) % 251) / 4 { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// Prefetching the next batch (shorter, longer, empty) leaves the batch as it is, on
    /// one thread and split between threads.
    @Test(arguments: [(12, 40), (256, 300)])
    func prefetchingTheNextBatchKeepsTheBatch(batch: Int, rows: Int) throws {
        let width = 784
        var bytes = [UInt8]()
        for i in 0..<rows { for j in 0..<width { bytes.append(UInt8((3 * i + j) % 241)) } }
        let data = try Dataset(inputs: .bytes(bytes, scale: 0.5), inputWidth: width,
                               targets: .labels([Int32](repeating: 0, count: rows), classCount: 1))
        let order = (0..<batch).map { ($0 * 17 + 5) % rows }
        for nextCount in [0, batch / 2, batch, batch + 7] {
            let next = (0..<nextCount).map { ($0 * 29 + 3) % rows }
            var x = Tensor(zeros: [0])
            order.withUnsafeBufferPointer { o in next.withUnsafeBufferPointer { data.gatherInputs(o, into: &x, prefetching: $0) } }
            #expect(x.shape == [batch, width])
            var mismatches = 0
            for (r, i) in order.enumerated() {
                for j in 0..<width where x.scalars[r * width + j] != Float((3 * i + j) % 241) / 2 { mismatches += 1 }
            }
            #expect(mismatches == 0, "next batch of \(nextCount)")
        }
    }

    /// Each variant this CPU runs converts every byte of rows whose widths end inside and
    /// at the ends of its vectors, each to the float times the scale, and nothing past them.
    @Test(arguments: [1, 13, 16, 150, 784, 785])
    func everyVariantConvertsEveryByte(width: Int) {
        let rows = 9, scale: Float = 1 / 255
        let bytes = (0..<(rows * width)).map { UInt8(($0 * 89 + 7) % 256) }
        let order = [8, 0, 3, 3, 7]
        for isa in ["portable", "avx2+fma", "avx512"] {
            var x = [Float](repeating: -1, count: order.count * width + 5)
            guard nns_gather_rows_u8_isa(isa, bytes, width, order, order.count, scale, &x) == 0 else { continue }
            var mismatches = 0
            for (r, i) in order.enumerated() {
                for j in 0..<width where x[r * width + j] != Float(bytes[i * width + j]) * scale { mismatches += 1 }
            }
            #expect(mismatches == 0, "\(isa)")
            #expect(x.suffix(5).allSatisfy { $0 == -1 }, "\(isa) wrote past the batch")
        }
    }

    @Test func singleRowAndEmptyBatch() throws {
        let data = try Dataset(inputs: .bytes([10, 20, 30, 40], scale: 0.1), inputWidth: 2,
                               targets: .labels([0, 1], classCount: 2))
        var x = Tensor(zeros: [0])
        [1].withUnsafeBufferPointer { data.gatherInputs($0, into: &x) }
        #expect(x.shape == [1, 2] && abs(x.scalars[0] - 3) < 1e-6 && abs(x.scalars[1] - 4) < 1e-6)
        [Int]().withUnsafeBufferPointer { data.gatherInputs($0, into: &x) }
        #expect(x.shape == [0, 2])
    }
}
