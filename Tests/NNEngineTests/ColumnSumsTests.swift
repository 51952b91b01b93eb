import CKernels
import Testing
@testable import NNEngine

/// The bias gradient's column sums (`nns_column_sums` behind `Tensor.columnSums`): every
/// column summed in Double over its rows in order, in every variant this CPU can run.
@Suite struct ColumnSumsTests {
    /// Each variant's sums of `rows × columns` values (the ones this CPU cannot run left out).
    private func variants(_ values: [Float], rows: Int, columns: Int) -> [(isa: String, sums: [Double])] {
        ["portable", "avx2", "avx512"].compactMap { isa in
            var sums = [Double](repeating: .nan, count: columns)
            let status = values.withUnsafeBufferPointer { x in
                sums.withUnsafeMutableBufferPointer { nns_column_sums_isa(isa, x.baseAddress, rows, columns, $0.baseAddress) }
            }
            return status == 0 ? (isa, sums) : nil
        }
    }

    /// Widths around the vector lengths (8 doubles in AVX-512, 4 in AVX2) and their
    /// remainders, against a plain in-order Double sum.
    @Test(arguments: [1, 3, 4, 8, 9, 17, 32, 256, 1001])
    func sumsEveryColumnInRowOrder(columns: Int) {
        for rows in [0, 1, 5, 64] {
            var generator = Xoshiro256StarStar(seed: UInt64(rows * 7919 + columns))
            let values = (0..<(rows * columns)).map { _ in Float(generator.uniform() * 2 - 1) * 1000 }
            var expected = [Double](repeating: 0, count: columns)
            for i in 0..<rows { for j in 0..<columns { expected[j] += Double(values[i * columns + j]) } }
            let runs = variants(values, rows: rows, columns: columns)
            #expect(runs.contains { $0.isa == "portable" })
            for run in runs { #expect(run.sums == expected, "\(run.isa), rows \(rows), columns \(columns)") }

            var scratch: [Double] = []
            var result = Tensor(zeros: [0])
            Tensor.columnSums(of: Tensor(shape: [rows, columns], scalars: values), rows: rows,
                              columns: columns, scratch: &scratch, into: &result)
            #expect(result.shape == [columns])
            #expect(result.scalars == expected.map { Float($0) })
        }
    }

    /// 1e17 + 1 − 1e17 is 0 in Double added in row order (1 is below 1e17's spacing of 16)
    /// and 1 in any other: the rows are not regrouped.
    @Test func addsRowsInOrder() {
        let columns = 11
        var values = [Float]()
        // Float(1e17) is not 1e17 exactly, but both rows hold the same float, so they cancel.
        for row: Float in [1e17, 1, -1e17] { values += [Float](repeating: row, count: columns) }
        for run in variants(values, rows: 3, columns: columns) {
            #expect(run.sums == [Double](repeating: 0, count: columns), "\(run.isa)")
        }
    }

    @Test func negativeSizesWriteNothing() {
        var sums: [Double] = [7]
        #expect(nns_column_sums_isa("portable", nil, -1, 1, &sums) == -1)
        #expect(nns_column_sums_isa("portable", nil, 1, -1, &sums) == -1)
        #expect(sums == [7])
    }
}
