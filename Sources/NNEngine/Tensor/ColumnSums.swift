import CKernels

extension Tensor {
    /// `sums[j] = Σᵢ matrix[i, j]` over the first `rows · columns` elements read as a
    /// `[rows, columns]` matrix, accumulated in Double row by row (nns_column_sums: the
    /// columns in vector lanes), written into `result` (resized to `[columns]`). `scratch`
    /// keeps the Double sums between calls, so a layer computing ∂C/∂b every step allocates
    /// nothing.
    static func columnSums(of matrix: Tensor, rows: Int, columns: Int,
                           scratch: inout [Double], into result: inout Tensor) {
        if scratch.count != columns { scratch = [Double](repeating: 0, count: columns) }
        result.resize(to: [columns])
        precondition(matrix.scalars.count >= rows * columns, "columnSums: matrix smaller than rows x columns")
        scratch.withUnsafeMutableBufferPointer { sums in
            matrix.scalars.withUnsafeBufferPointer { d in
                nns_column_sums(d.baseAddress, rows, columns, sums.baseAddress)
            }
            result.scalars.withUnsafeMutableBufferPointer { out in
                for j in 0..<columns { out[j] = Float(sums[j]) }
            }
        }
    }
}
