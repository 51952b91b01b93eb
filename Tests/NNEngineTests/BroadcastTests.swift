import Testing
@testable import NNEngine

@Suite struct BroadcastTests {
    @Test func broadcastShapesAlignTrailingAxes() throws {
        #expect(try Broadcasting.shape([2, 3], [3]) == [2, 3])
        #expect(try Broadcasting.shape([4, 1], [1, 5]) == [4, 5])
        #expect(try Broadcasting.shape([], [2, 2]) == [2, 2])
        #expect(try Broadcasting.shape([2, 1, 3], [4, 1]) == [2, 4, 3])
        #expect(try Broadcasting.shape([0, 3], [1, 3]) == [0, 3])
    }

    @Test func incompatibleShapesNameBothShapes() {
        do {
            _ = try Broadcasting.shape([2, 3], [4])
            Issue.record("expected an error")
        } catch let error as EngineError {
            #expect(error.message.contains("[2×3]"))
            #expect(error.message.contains("[4]"))
            #expect(error.hint != nil)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rowVectorAddsToEveryRow() throws {
        let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        let r = try m + Tensor([10, 20, 30])
        #expect(r == Tensor(rows: [[11, 22, 33], [14, 25, 36]]))
    }

    @Test func columnVectorTimesRowGivesOuterProduct() throws {
        let column = Tensor(shape: [3, 1], scalars: [1, 2, 3])
        let row = Tensor(shape: [1, 2], scalars: [10, 100])
        let r = try column * row
        #expect(r == Tensor(rows: [[10, 100], [20, 200], [30, 300]]))
    }

    @Test func threeDimensionalBroadcastMatchesIndexFormula() throws {
        // a[i,0,k] + b[j,0]: shapes [2,1,3] and [4,1] give [2,4,3].
        let a = Tensor(shape: [2, 1, 3], scalars: (0..<6).map(Float.init))
        let b = Tensor(shape: [4, 1], scalars: [100, 200, 300, 400])
        let r = try a - b
        #expect(r.shape == [2, 4, 3])
        for i in 0..<2 { for j in 0..<4 { for k in 0..<3 {
            let expected = Float(i * 3 + k) - Float((j + 1) * 100)
            #expect(r.scalars[(i * 4 + j) * 3 + k] == expected)
        } } }
    }

    @Test func scalarOperandOnEitherSide() throws {
        let v = Tensor([1, 2, 4])
        #expect(try Tensor(scalar: 8) / v == Tensor([8, 4, 2]))
        #expect(try v - Tensor(scalar: 1) == Tensor([0, 1, 3]))
        // A [1,1] operand against a vector broadcasts up to rank 2.
        #expect(try (v * Tensor(shape: [1, 1], scalars: [2])).shape == [1, 3])
    }

    @Test func broadcastToAndReduceBackAreAdjoint() throws {
        let b = Tensor([1, 2, 3])
        let stretched = try b.broadcast(to: [2, 3])
        #expect(stretched == Tensor(rows: [[1, 2, 3], [1, 2, 3]]))
        let g = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(try g.reduced(toShape: [3]) == Tensor([5, 7, 9]))
        #expect(try g.reduced(toShape: [2, 1]) == Tensor(shape: [2, 1], scalars: [6, 15]))
        #expect(try g.reduced(toShape: []) == Tensor(scalar: 21))
        #expect(throws: EngineError.self) { try g.reduced(toShape: [2]) }
        #expect(throws: EngineError.self) { try b.broadcast(to: [3, 2]) }
    }
}
