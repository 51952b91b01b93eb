import Testing
@testable import NNEngine

@Suite struct ReductionTests {
    // [[1, 5, 3], [4, 2, 6]]
    let m = Tensor(rows: [[1, 5, 3], [4, 2, 6]])

    @Test func wholeTensorReductions() throws {
        #expect(m.sum() == Tensor(scalar: 21))
        #expect(m.mean() == Tensor(scalar: 3.5))
        #expect(try m.maximum() == Tensor(scalar: 6))
        #expect(try m.minimum() == Tensor(scalar: 1))
        #expect(try m.argmax() == Tensor(scalar: 5))
        #expect(try m.reduced(.sum, keepDims: true) == Tensor(shape: [1, 1], scalars: [21]))
    }

    @Test func alongAxes() throws {
        #expect(try m.sum(axis: 0) == Tensor([5, 7, 9]))
        #expect(try m.sum(axis: 1) == Tensor([9, 12]))
        #expect(try m.sum(axis: -1, keepDims: true) == Tensor(shape: [2, 1], scalars: [9, 12]))
        #expect(try m.mean(axis: 0) == Tensor([2.5, 3.5, 4.5]))
        #expect(try m.maximum(axis: 1) == Tensor([5, 6]))
        #expect(try m.minimum(axis: 0) == Tensor([1, 2, 3]))
        #expect(try m.argmax(axis: 1) == Tensor([1, 2]))
        #expect(try m.argmax(axis: 0, keepDims: true) == Tensor(shape: [1, 3], scalars: [1, 0, 1]))
    }

    @Test func middleAxisOfRankThree() throws {
        // t[i, j, k] = 100i + 10j + k, shape [2, 3, 2]; summing j gives 300i + 30 + 3k.
        var values = [Float]()
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 { values.append(Float(100 * i + 10 * j + k)) } } }
        let t = Tensor(shape: [2, 3, 2], scalars: values)
        #expect(try t.sum(axis: 1) == Tensor(rows: [[30, 33], [330, 333]]))
        #expect(try t.argmax(axis: 1) == Tensor(rows: [[2, 2], [2, 2]]))
    }

    @Test func tiesAndNaN() throws {
        #expect(try Tensor([3, 7, 7, 1]).argmax() == Tensor(scalar: 1))
        #expect(try Tensor([3, .nan, 9]).maximum().scalars[0].isNaN)
        #expect(try Tensor([3, .nan, 9]).argmax() == Tensor(scalar: 1))
    }

    @Test func badAxesAndEmptyTensorsThrow() {
        #expect(throws: EngineError.self) { try m.sum(axis: 2) }
        #expect(throws: EngineError.self) { try m.sum(axis: -3) }
        #expect(throws: EngineError.self) { try Tensor(scalar: 1).sum(axis: 0) }
        #expect(throws: EngineError.self) { try Tensor(zeros: [0]).maximum() }
        #expect(throws: EngineError.self) { try Tensor(zeros: [2, 0]).argmax(axis: 1) }
        #expect(Tensor(zeros: [0]).sum() == Tensor(scalar: 0))
        #expect(Tensor(zeros: [0]).mean().scalars[0].isNaN)
    }

    @Test func largeSumKeepsPrecision() {
        // 10⁶ copies of 0.1: a Float running sum drifts by ~1%; the exact value is 100000.
        let t = Tensor(repeating: 0.1, shape: [1_000_000])
        #expect(Swift.abs(t.sum().scalars[0] - 100_000) < 0.5)
    }
}

@Suite struct ReductionIndexingTests {
    let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])

    @Test func indexingRowsAndElements() throws {
        #expect(try m.at([1]) == Tensor([4, 5, 6]))
        #expect(try m.at([-1, 0]) == Tensor(scalar: 4))
        #expect(try m.element(at: [0, 2]) == 3)
        #expect(try m.element(at: [-2, -1]) == 3)
        #expect(throws: EngineError.self) { try m.at([2]) }
        #expect(throws: EngineError.self) { try m.at([0, 3]) }
        #expect(throws: EngineError.self) { try m.at([0, 0, 0]) }
        #expect(throws: EngineError.self) { try m.element(at: [0]) }
        #expect(throws: EngineError.self) { try Tensor(scalar: 1).at([0]) }
    }

    @Test func assignmentBroadcastsIntoTheSubTensor() throws {
        var t = m
        try t.assign(Tensor(scalar: 9), at: [0])
        try t.assign(Tensor([-1]), at: [1, 1])
        #expect(t == Tensor(rows: [[9, 9, 9], [4, -1, 6]]))
        #expect(throws: EngineError.self) { try t.assign(Tensor([1, 2]), at: [0]) }
    }

    @Test func gatherSliceConcatenate() throws {
        #expect(try m.rows([1, 0, 1]) == Tensor(rows: [[4, 5, 6], [1, 2, 3], [4, 5, 6]]))
        #expect(try m.rows([]) == Tensor(shape: [0, 3], scalars: []))
        #expect(throws: EngineError.self) { try m.rows([0, 5]) }
        #expect(try m.rows(in: 1..<10) == Tensor(rows: [[4, 5, 6]]))
        let c = try Tensor.concatenate([m, Tensor(rows: [[7, 8, 9]])])
        #expect(c == Tensor(rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
        #expect(throws: EngineError.self) { try Tensor.concatenate([m, Tensor([1, 2])]) }
        #expect(throws: EngineError.self) { try Tensor.concatenate([]) }
    }

    @Test func transposeSwapsIndices() throws {
        #expect(try m.transposed() == Tensor(rows: [[1, 4], [2, 5], [3, 6]]))
        // Larger than one tile, so the tiling's edges are exercised.
        let (r, c) = (37, 70)
        let big = Tensor(shape: [r, c], scalars: (0..<(r * c)).map(Float.init))
        let t = try big.transposed()
        #expect(t.shape == [c, r])
        for i in 0..<r { for j in 0..<c { #expect(t[j, i] == Float(i * c + j)) } }
        #expect(throws: EngineError.self) { try Tensor(zeros: [2, 2, 2]).transposed() }
    }
}
