/// Joining tensors along an axis (NumPy's `concatenate` and `stack`) and the inverse,
/// cutting a tensor into consecutive pieces along an axis (what their derivatives need).
extension Tensor {
    /// `parts` end to end along `axis` (negative counts from the end); every other axis must
    /// agree, as in `np.concatenate(parts, axis)`.
    public static func concatenate(_ parts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = parts.first else {
            throw EngineError("cannot concatenate an empty list of tensors", hint: "give at least one tensor")
        }
        guard first.rank >= 1 else {
            throw EngineError("cannot concatenate 0-d tensors (single numbers)",
                              hint: "stack(...) makes a vector of numbers; concat joins tensors with at least one axis")
        }
        let a = try first.normalizedAxis(axis)
        var total = 0
        for (k, part) in parts.enumerated() {
            var expected = first.shape, got = part.shape
            if part.rank == first.rank { expected[a] = 0; got[a] = 0 }
            guard part.rank == first.rank, expected == got else {
                throw EngineError(
                    "tensor \(k + 1) has shape \(Broadcasting.describe(part.shape)) but tensor 1 has "
                        + "shape \(Broadcasting.describe(first.shape)): they cannot be joined along axis \(a)",
                    hint: "every axis but axis \(a) must have the same size")
            }
            total += part.shape[a]
        }
        var shape = first.shape
        shape[a] = total
        try TensorLimits.checkAllocation(elements: shape.reduce(1, *))
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        var out = [Float]()
        out.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for part in parts {
                let width = part.shape[a] * inner
                out.append(contentsOf: part.scalars[o * width..<(o + 1) * width])
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// `parts`, all of one shape, along a new axis at position `axis` (`np.stack`).
    public static func stack(_ parts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = parts.first else {
            throw EngineError("cannot stack an empty list of tensors", hint: "give at least one tensor")
        }
        let a = try stackAxis(axis, rank: first.rank)
        for (k, part) in parts.enumerated() where part.shape != first.shape {
            throw EngineError(
                "tensor \(k + 1) has shape \(Broadcasting.describe(part.shape)) but tensor 1 has "
                    + "shape \(Broadcasting.describe(first.shape))",
                hint: "stack needs tensors of one shape; concat joins tensors of different lengths")
        }
        var shape = first.shape
        shape.insert(1, at: a)
        return try concatenate(parts.map { $0.reshaped(shape) }, axis: a)
    }

    /// The position of the new axis of a stack of rank-`rank` tensors (−1 is the new last axis).
    public static func stackAxis(_ axis: Int, rank: Int) throws -> Int {
        let a = axis < 0 ? axis + rank + 1 : axis
        guard a >= 0, a <= rank else {
            throw EngineError("axis \(axis) is out of range for stacking tensors of rank \(rank)",
                              hint: "the new axis goes at a position from \(-(rank + 1)) to \(rank)")
        }
        return a
    }

    /// Consecutive pieces of `sizes` elements along `axis` (their sum is the axis' length).
    public func split(sizes: [Int], axis: Int) throws -> [Tensor] {
        let a = try normalizedAxis(axis)
        guard sizes.reduce(0, +) == shape[a], sizes.allSatisfy({ $0 >= 0 }) else {
            throw EngineError("cannot cut an axis of length \(shape[a]) into pieces of \(sizes)")
        }
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        let row = shape[a] * inner
        var offset = 0
        return sizes.map { size in
            var pieceShape = shape
            pieceShape[a] = size
            var out = [Float]()
            out.reserveCapacity(outer * size * inner)
            for o in 0..<outer {
                let start = o * row + offset * inner
                out.append(contentsOf: scalars[start..<start + size * inner])
            }
            offset += size
            return Tensor(shape: pieceShape, scalars: out)
        }
    }
}
