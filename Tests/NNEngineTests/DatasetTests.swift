import Testing
@testable import NNEngine

/// A deterministic generator for the split tests (SplitMix64).
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

@Suite struct DatasetTests {
    private let x = Tensor(rows: [[1, 2], [3, 4], [5, 6], [7, 8]])

    @Test func labelsRegressionAndMatrixTargets() throws {
        let labelled = try Dataset(x: x, y: Tensor([0, 2, 1, 2]))
        #expect(labelled.hasLabels && labelled.classCount == 3 && labelled.count == 4 && labelled.inputWidth == 2)
        let regression = try Dataset(x: x, y: Tensor([0.5, 1, 2, 3]))
        #expect(!regression.hasLabels && regression.targetWidth == 1 && regression.classCount == nil)
        let matrix = try Dataset(x: x, y: Tensor(rows: [[1, 0], [0, 1], [1, 0], [0, 1]]))
        #expect(matrix.targetWidth == 2 && matrix.classCount == 2)
        let column = try Dataset(x: Tensor([1, 2, 3]), y: Tensor([0, 1, 0]))
        #expect(column.inputWidth == 1)
        #expect(labelled.description == "dataset(4 × 2 → 3 classes)")
        #expect(regression.description == "dataset(4 × 2 → 1 target)")
    }

    @Test func badShapesThrow() {
        #expect { try Dataset(x: x, y: Tensor([0, 1, 1])) } throws: {
            ($0 as? EngineError)?.message == "dataset: x has 4 rows but y has 3"
        }
        #expect(throws: EngineError.self) { try Dataset(x: Tensor(zeros: [2, 2, 2]), y: Tensor([0, 1])) }
        #expect(throws: EngineError.self) { try Dataset(x: Tensor(rows: [[1], [.nan]]), y: Tensor([0, 1])) }
    }

    @Test func gatherScalesBytesAndReusesStorage() throws {
        // Bytes 0, 51, 102, 153, 204, 255 in rows of 2, scaled by 1/255 → 0, 0.2, …, 1.
        let data = try Dataset(inputs: .bytes([0, 51, 102, 153, 204, 255], scale: 1 / 255), inputWidth: 2,
                               targets: .labels([1, 0, 1], classCount: 2))
        var bx = Tensor(zeros: [0]), by = Tensor(zeros: [0])
        [2, 0].withUnsafeBufferPointer {
            data.gatherInputs($0, into: &bx)
            data.gatherTargets($0, into: &by)
        }
        #expect(bx.shape == [2, 2])
        #expect(zip(bx.scalars, [0.8, 1, 0, 0.2] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(by.shape == [2] && by.scalars == [1, 1])
        [1, 2].withUnsafeBufferPointer { data.gatherTargets($0, into: &by, oneHotWidth: 2) }
        #expect(by.shape == [2, 2] && by.scalars == [1, 0, 0, 1])
    }

    @Test func subsetSplitAndBatches() throws {
        let data = try Dataset(x: Tensor(shape: [10, 1], scalars: (0..<10).map(Float.init)),
                               y: Tensor((0..<10).map { Float($0 % 3) }))
        let sub = try data.subset([9, 0, 9])
        #expect(sub.x.scalars == [9, 0, 9] && sub.y.scalars == [0, 0, 0] && sub.classCount == 3)
        #expect(throws: EngineError.self) { try data.subset([10]) }

        var g = TestGenerator(state: 1)
        let (a, b) = try data.split(fraction: 0.7, using: &g)
        #expect(a.count == 7 && b.count == 3)
        // Together the parts hold every example exactly once, each with its own label.
        let all = (a.x.scalars + b.x.scalars).sorted()
        #expect(all == (0..<10).map(Float.init))
        for part in [a, b] {
            for i in 0..<part.count { #expect(Float(part.label(at: i)!) == part.x.scalars[i].truncatingRemainder(dividingBy: 3)) }
        }
        var g2 = TestGenerator(state: 1)
        #expect(try data.split(fraction: 0.7, using: &g2).0.x == a.x)  // same seed, same split
        #expect(throws: EngineError.self) { try data.split(fraction: 1, using: &g) }

        let batches = try data.batches(of: 4)
        #expect(batches.map(\.count) == [4, 4, 2])
        #expect(batches[2].x.scalars == [8, 9])
        #expect(throws: EngineError.self) { try data.batches(of: 0) }
    }

    @Test func exampleIndexing() throws {
        let data = try Dataset(x: x, y: Tensor([0, 2, 1, 2]))
        let (xi, yi) = try data.example(at: -1)
        #expect(xi.shape == [2] && xi.scalars == [7, 8])
        #expect(yi.shape == [] && yi.scalars == [2])
        #expect(throws: EngineError.self) { try data.example(at: 4) }
    }

    @Test func oneHotEncoding() throws {
        let t = try oneHot(Tensor([2, 0, 1]), classes: 3)
        #expect(t.shape == [3, 3])
        #expect(t.scalars == [0, 0, 1, 1, 0, 0, 0, 1, 0])
        #expect(throws: EngineError.self) { try oneHot(Tensor([3]), classes: 3) }
        #expect(throws: EngineError.self) { try oneHot(Tensor([0.5]), classes: 3) }
        let data = try Dataset(x: x, y: Tensor([0, 2, 1, 2])).oneHotTargets()
        #expect(data.targetWidth == 3 && data.y.scalars[3..<6] == [0, 0, 1])
    }

    @Test func normalizeStandardisesEachColumn() throws {
        // Column 0: 1, 3, 5, 7 → mean 4, population std √5; column 1 is constant → only centred.
        let t = try normalize(Tensor(rows: [[1, 9], [3, 9], [5, 9], [7, 9]]))
        let s = Float(5).squareRoot()
        let expected: [Float] = [-3 / s, 0, -1 / s, 0, 1 / s, 0, 3 / s, 0]
        #expect(zip(t.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        let data = try Dataset(x: x, y: Tensor([0, 1, 0, 1])).normalized()
        #expect(abs(data.x.scalars[0] + 3 / s) < 1e-6)
        #expect(throws: EngineError.self) { try normalize(Tensor([1, 2, 3])) }
    }
}
