import Testing
@testable import NNEngine

@Suite struct TensorLimitTests {
    static let gib: UInt64 = 1 << 30

    @Test func wholeNonNegativeSizesPass() throws {
        #expect(try TensorLimits.checkedShape([784, 256]) == [784, 256])
        #expect(try TensorLimits.checkedShape([]) == [])
        #expect(try TensorLimits.checkedShape([0, 5]) == [0, 5])
    }

    @Test func badSizesAreRejectedWithAHint() {
        for bad in [1.5, -3, .nan, .infinity, -.infinity] {
            do {
                _ = try TensorLimits.checkedShape([2, bad])
                Issue.record("accepted \(bad)")
            } catch let error as EngineError {
                #expect(error.message.contains("size 2"))
                #expect(error.hint != nil)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func hugeRequestSaysHowMuchMemoryItNeeds() {
        // 1e12 × 1e12 = 1e24 elements × 4 bytes = 4e24 bytes = 4e24 / 2⁸⁰ ≈ 3.3 YiB.
        do {
            _ = try TensorLimits.checkedShape([1e12, 1e12], memory: 24 * Self.gib)
            Issue.record("accepted 1e24 elements")
        } catch let error as EngineError {
            #expect(error.message == "this would need 3.3 YiB (1e24 elements of 4 bytes) but the machine has 24 GiB")
            #expect(error.hint?.contains("half the memory") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func productOverflowingIntIsReportedNotTrapped() {
        // 2³¹ × 2³¹ × 4 overflows Int64 as a product; the check must still throw cleanly.
        #expect(throws: EngineError.self) {
            try TensorLimits.checkedShape([2147483648, 2147483648, 4], memory: 24 * Self.gib)
        }
        #expect(throws: EngineError.self) { try TensorLimits.checkedShape([1e30]) }
        // 20 sizes of 1e17 multiply to 1e340, beyond Double: still a clean error.
        #expect(throws: EngineError.self) { try TensorLimits.checkedShape([Double](repeating: 1e17, count: 20)) }
    }

    @Test func limitIsHalfTheMemory() throws {
        // 1 GiB of memory allows 2²⁹ bytes = 2²⁷ Float elements.
        #expect(TensorLimits.elementLimit(memory: Self.gib) == 1 << 27)
        #expect(try TensorLimits.checkedShape([8192, 16384], memory: Self.gib) == [8192, 16384])
        #expect(throws: EngineError.self) {
            try TensorLimits.checkedShape([8192, 16385], memory: Self.gib)
        }
        #expect(TensorLimits.maximumElements > 0)
        #expect(throws: EngineError.self) { try TensorLimits.checkAllocation(elements: -1) }
        try TensorLimits.checkAllocation(elements: 1000)
        #expect(try TensorLimits.checkedElementCount([3, 4]) == 12)
    }

    @Test func formatting() {
        #expect(TensorLimits.formatBytes(512) == "512 B")
        #expect(TensorLimits.formatBytes(1536) == "1.5 KiB")
        #expect(TensorLimits.formatBytes(24 * 1073741824) == "24 GiB")
        #expect(TensorLimits.formatCount(784) == "784")
        #expect(TensorLimits.formatCount(2.5e13) == "2.5e13")
        #expect(TensorLimits.formatCount(9.999e20) == "1e21")
    }
}
