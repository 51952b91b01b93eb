/// NumPy-style broadcasting: shapes are aligned at their trailing axes, and an axis of
/// extent 1 (or a missing leading axis) stretches to match the other operand.
public enum Broadcasting {
    /// The shape two operands broadcast to, or an error naming both shapes.
    public static func shape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if da == db || db == 1 {
                result[axis] = da
            } else if da == 1 {
                result[axis] = db
            } else {
                throw EngineError(
                    "shapes \(describe(a)) and \(describe(b)) cannot be broadcast together "
                        + "(axis \(axis - rank) has \(da) against \(db))",
                    hint: "trailing axes must match or be 1; reshape one operand, "
                        + "or transpose it if its axes are swapped")
            }
        }
        return result
    }

    /// Whether a tensor of shape `source` can be stretched to `target` without changing `target`.
    public static func canBroadcast(_ source: [Int], to target: [Int]) -> Bool {
        guard let merged = try? shape(source, target) else { return false }
        return merged == target
    }

    /// Element strides of `shape` seen from a result of shape `target` (same rank as `target`):
    /// 0 on axes that are broadcast, so walking the result re-reads the same element.
    static func strides(of shape: [Int], in target: [Int]) -> [Int] {
        let rank = target.count
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let targetAxis = axis + rank - shape.count
            strides[targetAxis] = shape[axis] == 1 ? 0 : step
            step *= shape[axis]
        }
        return strides
    }

    /// `[2, 3]` printed the way users see shapes: `[2×3]`; a scalar is `[]`.
    public static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: "×") + "]"
    }
}

extension Tensor {
    /// This tensor stretched to `target` (which it must broadcast to), as a new tensor.
    public func broadcast(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        guard Broadcasting.canBroadcast(shape, to: target) else {
            throw EngineError(
                "a tensor of shape \(Broadcasting.describe(shape)) cannot be stretched to "
                    + "\(Broadcasting.describe(target))",
                hint: "each axis must equal the target's or be 1")
        }
        var out = Tensor(zeros: target)
        let zero = Tensor(scalar: 0)
        Tensor.combine(self, zero, into: &out, shape: target) { a, _ in a }
        return out
    }

    /// Sums a broadcast result back down to `target` (the reverse of `broadcast(to:)`):
    /// the adjoint of an operand that was stretched is the sum over the stretched axes.
    public func reduced(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        guard Broadcasting.canBroadcast(target, to: shape) else {
            throw EngineError(
                "cannot sum a tensor of shape \(Broadcasting.describe(shape)) down to "
                    + "\(Broadcasting.describe(target))",
                hint: "the target must broadcast to the source shape")
        }
        var out = Tensor(zeros: target)
        let strides = Broadcasting.strides(of: target, in: shape)
        let rank = shape.count
        scalars.withUnsafeBufferPointer { src in
            out.scalars.withUnsafeMutableBufferPointer { dst in
                var index = [Int](repeating: 0, count: rank)
                var offset = 0
                for i in 0..<src.count {
                    dst[offset] += src[i]
                    // Advance the multi-index, odometer style, keeping the target offset in step.
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offset += strides[axis]
                        if index[axis] < shape[axis] { break }
                        offset -= strides[axis] * index[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return out
    }

    /// Applies `op` to every pair of broadcast elements of `a` and `b`, writing into `out`
    /// (resized to `shape`). Same-shape and one-element operands take tight loops; other
    /// shapes walk the result with per-operand strides, with no per-element allocation.
    @inline(__always)
    static func combine(_ a: Tensor, _ b: Tensor, into out: inout Tensor, shape: [Int],
                        _ op: (Float, Float) -> Float) {
        out.resize(to: shape)
        let n = out.count
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.scalars.withUnsafeMutableBufferPointer { po in
                    if pa.count == n && pb.count == n && a.shape == b.shape {
                        for i in 0..<n { po[i] = op(pa[i], pb[i]) }
                    } else if pb.count == 1 && pa.count == n {
                        let s = pb[0]
                        for i in 0..<n { po[i] = op(pa[i], s) }
                    } else if pa.count == 1 && pb.count == n {
                        let s = pa[0]
                        for i in 0..<n { po[i] = op(s, pb[i]) }
                    } else if n > 0 {
                        general(pa, pb, po, shape: shape,
                                stridesA: Broadcasting.strides(of: a.shape, in: shape),
                                stridesB: Broadcasting.strides(of: b.shape, in: shape), op)
                    }
                }
            }
        }
    }

    /// The strided walk for operands of different shapes: the innermost axis runs as a plain
    /// loop, outer axes advance like an odometer.
    @inline(__always)
    private static func general(_ pa: UnsafeBufferPointer<Float>, _ pb: UnsafeBufferPointer<Float>,
                                _ po: UnsafeMutableBufferPointer<Float>, shape: [Int],
                                stridesA: [Int], stridesB: [Int],
                                _ op: (Float, Float) -> Float) {
        let rank = shape.count
        let inner = shape[rank - 1]
        let sa = stridesA[rank - 1], sb = stridesB[rank - 1]
        let outerCount = po.count / inner
        var index = [Int](repeating: 0, count: rank)
        var offA = 0, offB = 0, offO = 0
        for _ in 0..<outerCount {
            var ia = offA, ib = offB
            for j in 0..<inner {
                po[offO + j] = op(pa[ia], pb[ib])
                ia += sa
                ib += sb
            }
            offO += inner
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                offA += stridesA[axis]
                offB += stridesB[axis]
                if index[axis] < shape[axis] { break }
                offA -= stridesA[axis] * index[axis]
                offB -= stridesB[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
