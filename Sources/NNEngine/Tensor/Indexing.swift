/// Bounds-checked access to parts of a tensor: `t[i]`, `t[i, j]`, row gathers for
/// mini-batches, slices, concatenation and the 2-d transpose. Indices reachable from user
/// code may be negative (counting from the end, as in Python); out-of-range ones throw.
extension Tensor {
    /// `index` along `axis` made non-negative, or an error naming the valid range.
    public func checkedIndex(_ index: Int, axis: Int) throws -> Int {
        let extent = shape[axis]
        let i = index < 0 ? index + extent : index
        guard i >= 0 && i < extent else {
            let valid = extent == 0 ? "the axis is empty" : "valid indices are 0…\(extent - 1) (or -\(extent)…-1)"
            throw EngineError(
                "index \(index) is out of range for axis \(axis) of a tensor of shape "
                    + "\(Broadcasting.describe(shape))",
                hint: valid)
        }
        return i
    }

    /// The sub-tensor at leading indices: `t[i]` of a [3, 4] tensor is its row i (shape [4]);
    /// indexing every axis gives a 0-d tensor.
    public func at(_ indices: [Int]) throws -> Tensor {
        let (offset, rest) = try leadingOffset(indices)
        let n = rest.reduce(1, *)
        return Tensor(shape: rest, scalars: Array(scalars[offset..<offset + n]))
    }

    /// The element at a full index (`t[i, j]` of a matrix).
    public func element(at indices: [Int]) throws -> Float {
        guard indices.count == rank else {
            throw EngineError(
                "a tensor of shape \(Broadcasting.describe(shape)) needs \(rank) indices, got \(indices.count)",
                hint: rank == 0 ? "a scalar tensor has no axes to index" : "give one index per axis")
        }
        let (offset, _) = try leadingOffset(indices)
        return scalars[offset]
    }

    /// Writes `value` into the sub-tensor at leading `indices` (`t[i] = v`, `t[i, j] = 2`);
    /// `value` broadcasts to the sub-tensor's shape.
    public mutating func assign(_ value: Tensor, at indices: [Int]) throws {
        let (offset, rest) = try leadingOffset(indices)
        // One number fills any part (`t[0, 0] = [5]` as well as `t[0] = 5`).
        let filled = value.count == 1 ? Tensor(repeating: value.scalars[0], shape: rest)
                                      : try value.broadcast(to: rest)
        scalars.replaceSubrange(offset..<offset + filled.count, with: filled.scalars)
    }

    /// Flat offset of the leading `indices` and the shape of what remains.
    private func leadingOffset(_ indices: [Int]) throws -> (Int, [Int]) {
        guard indices.count <= rank else {
            throw EngineError(
                "too many indices (\(indices.count)) for a tensor of shape \(Broadcasting.describe(shape))",
                hint: rank == 0 ? "a scalar tensor has no axes to index" : "it has \(rank) axes")
        }
        var offset = 0
        for (axis, index) in indices.enumerated() {
            offset = offset * shape[axis] + (try checkedIndex(index, axis: axis))
        }
        let rest = Array(shape[indices.count...])
        return (offset * rest.reduce(1, *), rest)
    }

    /// The rows (entries along axis 0) at `indices`, in that order, repeats allowed:
    /// how a mini-batch is drawn from a data set.
    public func rows(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else {
            throw EngineError("cannot select rows of a scalar tensor", hint: "index a tensor with at least one axis")
        }
        let rowShape = Array(shape.dropFirst())
        let width = rowShape.reduce(1, *)
        var checked = [Int]()
        checked.reserveCapacity(indices.count)
        for i in indices { checked.append(try checkedIndex(i, axis: 0)) }
        var out = [Float](repeating: 0, count: checked.count * width)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, i) in checked.enumerated() {
                    for j in 0..<width { dst[r * width + j] = src[i * width + j] }
                }
            }
        }
        return Tensor(shape: [checked.count] + rowShape, scalars: out)
    }

    /// The rows in `range` (a contiguous slice along axis 0); the range is clamped like a
    /// Python slice, so `rows(in: 90..<120)` of 100 rows gives the last 10.
    public func rows(in range: Range<Int>) throws -> Tensor {
        guard rank >= 1 else {
            throw EngineError("cannot slice a scalar tensor", hint: "slice a tensor with at least one axis")
        }
        let lower = Swift.min(Swift.max(range.lowerBound, 0), shape[0])
        let upper = Swift.min(Swift.max(range.upperBound, lower), shape[0])
        let width = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [upper - lower] + shape.dropFirst(),
                      scalars: Array(scalars[lower * width..<upper * width]))
    }

    /// `parts` stacked end to end along axis 0; all must agree on the other axes.
    public static func concatenate(_ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else {
            throw EngineError("cannot concatenate an empty list of tensors", hint: "give at least one tensor")
        }
        guard first.rank >= 1 else {
            throw EngineError("cannot concatenate scalar tensors along axis 0",
                              hint: "give tensors with at least one axis (e.g. shape [1])")
        }
        let rowShape = Array(first.shape.dropFirst())
        var total = 0
        for (k, part) in parts.enumerated() {
            guard part.rank == first.rank && Array(part.shape.dropFirst()) == rowShape else {
                throw EngineError(
                    "cannot concatenate shapes \(Broadcasting.describe(first.shape)) and "
                        + "\(Broadcasting.describe(part.shape)) (tensor \(k + 1)) along axis 0",
                    hint: "all axes but the first must match")
            }
            total += part.shape[0]
        }
        var out = [Float]()
        out.reserveCapacity(total * rowShape.reduce(1, *))
        for part in parts { out.append(contentsOf: part.scalars) }
        return Tensor(shape: [total] + rowShape, scalars: out)
    }

    /// The transpose of a matrix (a vector or scalar is returned unchanged, as in NumPy).
    public func transposed() throws -> Tensor {
        if rank < 2 { return self }
        guard rank == 2 else {
            throw EngineError(
                "transpose needs a matrix, got a tensor of shape \(Broadcasting.describe(shape))",
                hint: "reshape it to two axes first")
        }
        return matrixTransposed()
    }

    /// The transpose of a matrix (rank 2, which the caller knows).
    func matrixTransposed() -> Tensor {
        let (m, n) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                // Tiles keep both the reads and the writes within a few cache lines.
                let tile = 32
                for i0 in stride(from: 0, to: m, by: tile) {
                    for j0 in stride(from: 0, to: n, by: tile) {
                        for i in i0..<Swift.min(i0 + tile, m) {
                            for j in j0..<Swift.min(j0 + tile, n) { dst[j * m + i] = src[i * n + j] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, m], scalars: out)
    }
}
