extension Tensor {
    /// `sums[j] = Σᵢ matrix[i, j]` over the first `rows · columns` elements read as a
    /// `[rows, columns]` matrix, accumulated in Double row by row (contiguous reads), written
    /// into `result` (resized to `[columns]`). `scratch` keeps the Double sums between calls,
    /// so a layer computing ∂C/∂b every step allocates nothing.
    static func columnSums(of matrix: Tensor, rows: Int, columns: Int,
                           scratch: inout [Double], into result: inout Tensor) {
        if scratch.count != columns { scratch = [Double](repeating: 0, count: columns) }
        result.resize(to: [columns])
        scratch.withUnsafeMutableBufferPointer { sums in
            for j in 0..<columns { sums[j] = 0 }
            matrix.scalars.withUnsafeBufferPointer { d in
                var row = 0
                for _ in 0..<rows {
                    for j in 0..<columns { sums[j] += Double(d[row + j]) }
                    row += columns
                }
            }
            result.scalars.withUnsafeMutableBufferPointer { out in
                for j in 0..<columns { out[j] = Float(sums[j]) }
            }
        }
    }
}
