import Testing
@testable import NNEngine

/// The bias gradient's column sums (`nns_column_sums` behind `Tensor.columnSums`): every
/// column summed in Double over its rows in order, however many vector lanes the CPU has.
@Suite struct ColumnSumsTests {
    /// Widths around the vector lengths (8 doubles in AVX-512, 4 in AVX2) and their
    /// remainders, against a plain in-order Double sum.
    @Test(arguments: [1, 3, 4, 8, 9, 17, 32, 256, 1001])
    func sumsEveryColumnInRowOrder(columns: Int) {
        for rows in [0, 1, 5, 64] {
            var generator = Xoshiro256StarStar(seed: UInt64(rows * 7919 + columns))
            let values = (0..<(rows * columns)).map { _ in Float(generator.uniform() * 2 - 1) * 1000 }
            var expected = [Double](repeating: 0, count: columns)
            for i in 0..<rows { for j in 0..<columns { expected[j] += Double(values[i * columns + j]) } }
            var scratch: [Double] = []
            var result = Tensor(zeros: [0])
            Tensor.columnSums(of: Tensor(shape: [rows, columns], scalars: values), rows: rows,
                              columns: columns, scratch: &scratch, into: &result)
            #expect(result.shape == [columns])
            #expect(scratch == expected, "rows \(rows), columns \(columns)")
            #expect(result.scalars == expected.map { Float($0) })
        }
    }

    /// 1e17 + 1 − 1e17 is 0 in Double added in row order (1 is below 1e17's spacing of 16)
    /// and 1 in any other: the rows are not regrouped.
    @Test func addsRowsInOrder() {
        let columns = 11
        var values = [Float]()
        for row: Float in [1e17, 1, -1e17] { values += [Float](repeating: row, count: columns) }
        var scratch: [Double] = []
        var result = Tensor(zeros: [0])
        Tensor.columnSums(of: Tensor(shape: [3, columns], scalars: values), rows: 3, columns: columns,
                          scratch: &scratch, into: &result)
        // Float(1e17) is not 1e17 exactly, but both rows hold the same float, so they cancel.
        #expect(result.scalars == [Float](repeating: 0, count: columns))
    }
}
