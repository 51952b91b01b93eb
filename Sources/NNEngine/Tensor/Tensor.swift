/// A dense, row-major array of `Float` of any rank: the one value type the engine computes on.
///
/// Storage is a Swift array, so copies are cheap until written (copy-on-write). Layers keep
/// their output tensors between steps and write into them in place; the array is only copied
/// when a caller still holds the previous step's result, so a training loop allocates nothing
/// in its steady state.
public struct Tensor: Equatable, Sendable {
    /// Extent of each axis; `[]` is a scalar (0-d) tensor.
    public private(set) var shape: [Int]
    /// Elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// A tensor with the given shape and elements. The caller guarantees the count matches;
    /// code reachable from user input validates first (see `TensorLimits`).
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A 0-d tensor holding one number.
    public init(scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// A 1-d tensor.
    public init(_ vector: [Float]) { self.init(shape: [vector.count], scalars: vector) }

    /// A 2-d tensor from its rows (all of equal length).
    public init(rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Changes the shape in place, reusing storage when the element count is unchanged.
    /// Used by layers to keep one output buffer across batches of different sizes.
    public mutating func resize(to newShape: [Int]) {
        let n = newShape.reduce(1, *)
        if n != scalars.count {
            scalars = [Float](repeating: 0, count: n)
        }
        shape = newShape
    }

    /// Element of a 2-d tensor.
    public subscript(row: Int, column: Int) -> Float {
        get { scalars[row * shape[1] + column] }
        set { scalars[row * shape[1] + column] = newValue }
    }

    /// The only element of a one-element tensor, as a Double.
    public var scalarValue: Double? { count == 1 ? Double(scalars[0]) : nil }
}
