/// `onehot(labels, k)`: an `[m, k]` tensor with a 1 in each row's label column.
/// Throws on a label outside `0..<k`.
public func oneHot(_ labels: [Int], classes k: Int) throws -> Tensor {
    guard k >= 1 else { throw EngineError("onehot: the number of classes must be at least 1, got \(k)") }
    let (cells, overflow) = labels.count.multipliedReportingOverflow(by: k)
    guard !overflow, cells <= 1 << 31 else {
        throw EngineError("onehot: \(labels.count) labels × \(k) classes is too large a tensor",
                          hint: "k is the number of classes, e.g. onehot(labels, 10)")
    }
    var out = [Float](repeating: 0, count: labels.count * k)
    for (row, label) in labels.enumerated() {
        guard label >= 0, label < k else {
            throw EngineError("onehot: label \(label) (row \(row)) is outside 0..<\(k)",
                              hint: "labels must be class indices 0, 1, …, k−1")
        }
        out[row * k + label] = 1
    }
    return Tensor(shape: [labels.count, k], scalars: out)
}

/// `onehot(labels, k)` on a tensor of labels (whole numbers ≥ 0).
public func oneHot(_ labels: Tensor, classes k: Int) throws -> Tensor {
    guard labels.rank <= 1 else {
        throw EngineError("onehot: labels must be a 1-d tensor, got shape \(labels.shape)")
    }
    var ints = [Int]()
    ints.reserveCapacity(labels.count)
    for v in labels.scalars {
        guard v.isFinite, v == v.rounded(), v >= 0, v < Float(k) else {
            throw EngineError("onehot: \(v) is not a class index in 0..<\(k)",
                              hint: "labels must be class indices 0, 1, …, k−1")
        }
        ints.append(Int(v))
    }
    return try oneHot(ints, classes: k)
}

/// Per-feature standardisation statistics: `(x − mean) / std` column by column, with the
/// population standard deviation (divide by m, as scikit-learn's `StandardScaler`). A constant
/// column has std 0 and is only centred (divided by 1), never divided by zero.
public struct Standardization: Sendable, Equatable {
    public let mean: [Float]
    public let std: [Float]

    /// Statistics of the columns of `x` (`[m, n]`, m ≥ 1), accumulated in Float64.
    public init(fitting x: Tensor) throws {
        guard x.rank == 2, x.shape[0] >= 1 else {
            throw EngineError("normalize: expects an [examples, features] tensor with at least one row, got shape \(x.shape)")
        }
        let m = x.shape[0], n = x.shape[1]
        var sum = [Double](repeating: 0, count: n), sumSquares = [Double](repeating: 0, count: n)
        for r in 0..<m {
            for c in 0..<n { let v = Double(x.scalars[r * n + c]); sum[c] += v }
        }
        let means = sum.map { $0 / Double(m) }
        for r in 0..<m {
            for c in 0..<n { let d = Double(x.scalars[r * n + c]) - means[c]; sumSquares[c] += d * d }
        }
        mean = means.map(Float.init)
        std = sumSquares.map { Float(($0 / Double(m)).squareRoot()) }
    }

    /// `x` standardised with these statistics (x may be other data with the same columns).
    public func apply(_ x: Tensor) throws -> Tensor {
        let n = mean.count
        guard x.rank == 2, x.shape[1] == n else {
            throw EngineError("normalize: expects [m, \(n)] data, got shape \(x.shape)")
        }
        var out = x
        out.scalars.withUnsafeMutableBufferPointer { p in
            for r in 0..<x.shape[0] {
                for c in 0..<n {
                    let s = std[c] > 0 ? std[c] : 1
                    p[r * n + c] = (p[r * n + c] - mean[c]) / s
                }
            }
        }
        return out
    }
}

/// `normalize(x)`: each column of `[m, n]` x standardised to mean 0 and standard deviation 1
/// (population std; constant columns only centred).
public func normalize(_ x: Tensor) throws -> Tensor {
    try Standardization(fitting: x).apply(x)
}

extension Dataset {
    /// `normalize(data)`: the inputs standardised per feature (statistics of this data set).
    /// Byte images become floats.
    public func normalized() throws -> Dataset {
        let s = try Standardization(fitting: x)
        let t = try s.apply(x)
        return try Dataset(inputs: .floats(t.scalars), inputWidth: inputWidth, targets: targets, exampleShape: exampleShape)
            .keepingNames(of: self)
    }
}
