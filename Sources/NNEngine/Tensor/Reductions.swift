/// A reduction of many elements to one: over a whole tensor or along one axis.
public enum Reduction: String, CaseIterable, Sendable {
    case sum, mean, max, min, argmax

    /// Whether reducing nothing is an error (there is no largest element of an empty set).
    var needsElements: Bool { self == .max || self == .min || self == .argmax }
}

extension Tensor {
    /// The sum of all elements, as a 0-d tensor (0 for an empty tensor).
    public func sum() -> Tensor {
        // Accumulate in Double: a Float running sum of a million elements loses digits.
        var total = 0.0
        scalars.withUnsafeBufferPointer { p in for x in p { total += Double(x) } }
        return Tensor(scalar: Float(total))
    }

    /// The mean of all elements, as a 0-d tensor (NaN for an empty tensor, as NumPy gives).
    public func mean() -> Tensor {
        var total = 0.0
        scalars.withUnsafeBufferPointer { p in for x in p { total += Double(x) } }
        return Tensor(scalar: Float(total / Double(count)))
    }

    /// Sum along `axis` (negative counts from the end); `keepDims` leaves it as extent 1.
    public func sum(axis: Int, keepDims: Bool = false) throws -> Tensor {
        try reduced(.sum, axis: axis, keepDims: keepDims)
    }

    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) throws -> Tensor {
        try reduced(.mean, axis: axis, keepDims: keepDims)
    }

    /// Largest element overall (`axis: nil`) or along an axis; NaN if any element is NaN.
    public func maximum(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        try reduced(.max, axis: axis, keepDims: keepDims)
    }

    /// Smallest element overall (`axis: nil`) or along an axis; NaN if any element is NaN.
    public func minimum(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        try reduced(.min, axis: axis, keepDims: keepDims)
    }

    /// Index of the largest element (the first one on ties, the first NaN if any), over the
    /// flattened tensor (`axis: nil`) or along an axis; indices are stored as Float.
    public func argmax(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        try reduced(.argmax, axis: axis, keepDims: keepDims)
    }

    /// `op` over all elements (`axis: nil`) or along one axis.
    public func reduced(_ op: Reduction, axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        guard let axis else {
            let whole = try reducedAlong(op, outer: 1, length: count, inner: 1)
            return whole.reshaped(keepDims ? [Int](repeating: 1, count: rank) : [])
        }
        let a = try normalizedAxis(axis)
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        var result = try reducedAlong(op, outer: outer, length: shape[a], inner: inner)
        var newShape = shape
        if keepDims { newShape[a] = 1 } else { newShape.remove(at: a) }
        result = result.reshaped(newShape)
        return result
    }

    /// `axis` as a non-negative index, or an error that says which axes exist.
    public func normalizedAxis(_ axis: Int) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else {
            let valid = rank == 0 ? "none (it is a scalar)" : "0…\(rank - 1) or -\(rank)…-1"
            throw EngineError(
                "axis \(axis) is out of range for a tensor of shape \(Broadcasting.describe(shape))",
                hint: "valid axes are \(valid)")
        }
        return a
    }

    /// The reduction of a tensor viewed as [outer, length, inner] over its middle axis.
    private func reducedAlong(_ op: Reduction, outer: Int, length: Int, inner: Int) throws -> Tensor {
        if length == 0 && op.needsElements {
            throw EngineError(
                "\(op.rawValue) of an empty tensor (shape \(Broadcasting.describe(shape))) is undefined",
                hint: "check that the tensor has elements before taking its \(op.rawValue)")
        }
        var out = [Float](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                switch op {
                case .sum, .mean:
                    var acc = [Double](repeating: 0, count: inner)
                    let scale = op == .mean ? 1 / Double(length) : 1
                    for o in 0..<outer {
                        for j in 0..<inner { acc[j] = 0 }
                        for k in 0..<length {
                            let base = (o * length + k) * inner
                            for j in 0..<inner { acc[j] += Double(src[base + j]) }
                        }
                        for j in 0..<inner { dst[o * inner + j] = Float(acc[j] * scale) }
                    }
                case .max, .min, .argmax:
                    let wantMax = op != .min
                    for o in 0..<outer {
                        for j in 0..<inner {
                            var best = src[o * length * inner + j]
                            var bestIndex = 0
                            var k = 1
                            while k < length && !best.isNaN {
                                let x = src[(o * length + k) * inner + j]
                                if x.isNaN || (wantMax ? x > best : x < best) {
                                    best = x
                                    bestIndex = k
                                }
                                k += 1
                            }
                            dst[o * inner + j] = op == .argmax ? Float(bestIndex) : best
                        }
                    }
                }
            }
        }
        return Tensor(shape: [outer * inner], scalars: out)
    }
}
