/// Examples for training or evaluation: m inputs of `inputWidth` features and, for each, a
/// target — a class label or a row of a target matrix.
///
/// Inputs are kept compactly: images as their raw bytes (MNIST's 60,000 × 784 pixels are
/// 47 MB of bytes rather than 188 MB of floats), scaled to [0, 1] only when a batch is
/// gathered; other data as Float32. A `Dataset` is a value: subsets and splits share
/// nothing mutable with the original.
public struct Dataset: Sendable, CustomStringConvertible {
    /// How the inputs are stored.
    public enum Inputs: Sendable {
        /// Bytes, row-major `[count, inputWidth]`; a feature is `Float(byte) * scale`.
        case bytes([UInt8], scale: Float)
        /// Floats, row-major `[count, inputWidth]`.
        case floats([Float])
    }

    /// What each example should produce.
    public enum Targets: Sendable {
        /// One class index per example, in `0..<classCount`.
        case labels([Int32], classCount: Int)
        /// A row of `width` numbers per example, row-major `[count, width]`.
        case matrix([Float], width: Int)
    }

    public let inputs: Inputs
    public let targets: Targets
    /// Number of examples, m.
    public let count: Int
    /// Features per example.
    public let inputWidth: Int
    /// The shape of one example as it was stored, e.g. `[28, 28]` for MNIST images
    /// (`[inputWidth]` for tabular data); plots of weights use it.
    public let exampleShape: [Int]
    /// Names of the classes, label by label, when known (a CSV target column of words).
    public var classNames: [String]? = nil
    /// Names of the input features, when known (a CSV header).
    public var featureNames: [String]? = nil
    /// The files it was read from, when it holds exactly what they hold (see `DataSource`).
    public var source: DataSource? = nil

    /// A data set from already-validated storage. Throws when the sizes disagree.
    public init(inputs: Inputs, inputWidth: Int, targets: Targets, exampleShape: [Int]? = nil) throws {
        guard inputWidth >= 1 else { throw EngineError("a data set needs at least one input feature, got \(inputWidth)") }
        let stored: Int
        switch inputs {
        case .bytes(let b, _): stored = b.count
        case .floats(let f): stored = f.count
        }
        guard stored % inputWidth == 0 else {
            throw EngineError("inputs hold \(stored) numbers, not a whole number of rows of \(inputWidth)")
        }
        let m = stored / inputWidth
        switch targets {
        case .labels(let labels, let k):
            guard labels.count == m else {
                throw EngineError("\(m) inputs but \(labels.count) labels", hint: "x and y need one row per example")
            }
            guard k >= 1, labels.allSatisfy({ $0 >= 0 && Int($0) < k }) else {
                throw EngineError("labels must be class indices in 0..<\(k)")
            }
        case .matrix(let values, let width):
            guard width >= 1, values.count == m * width else {
                throw EngineError("\(m) inputs but \(width >= 1 ? values.count / width : 0) target rows",
                                  hint: "x and y need one row per example")
            }
        }
        let shape = exampleShape ?? [inputWidth]
        guard shape.reduce(1, *) == inputWidth else {
            throw EngineError("example shape \(shape) does not hold \(inputWidth) features")
        }
        self.inputs = inputs
        self.targets = targets
        self.count = m
        self.inputWidth = inputWidth
        self.exampleShape = shape
    }

    /// `dataset(x, y)`: x is `[m, features]` (a 1-d x is m examples of one feature); y is `[m]`
    /// class labels (whole numbers ≥ 0), `[m]` real targets (any other numbers, kept as
    /// `[m, 1]`) or an `[m, k]` target matrix.
    public init(x: Tensor, y: Tensor) throws {
        let m: Int, width: Int
        switch x.rank {
        case 1: (m, width) = (x.shape[0], 1)
        case 2: (m, width) = (x.shape[0], x.shape[1])
        default:
            throw EngineError("dataset: x must be [examples, features], got shape \(x.shape)",
                              hint: "flatten each example into one row first")
        }
        guard m >= 1, width >= 1 else { throw EngineError("dataset: x is empty (shape \(x.shape))") }
        guard x.scalars.allSatisfy({ $0.isFinite }) else {
            throw EngineError("dataset: x contains NaN or infinite values")
        }
        let rows: Int
        let targets: Targets
        switch y.rank {
        case 1:
            rows = y.shape[0]
            if let labels = Dataset.classLabels(y.scalars) {
                targets = .labels(labels, classCount: Int(labels.max() ?? 0) + 1)
            } else {
                targets = .matrix(y.scalars, width: 1)
            }
        case 2:
            rows = y.shape[0]
            targets = .matrix(y.scalars, width: y.shape[1])
            guard y.shape[1] >= 1 else { throw EngineError("dataset: y has no columns (shape \(y.shape))") }
        default:
            throw EngineError("dataset: y must be [m] labels or [m, k] targets, got shape \(y.shape)")
        }
        guard rows == m else {
            throw EngineError("dataset: x has \(m) rows but y has \(rows)", hint: "x and y need one row per example")
        }
        guard y.scalars.allSatisfy({ $0.isFinite }) else {
            throw EngineError("dataset: y contains NaN or infinite values")
        }
        try self.init(inputs: .floats(x.scalars), inputWidth: width, targets: targets)
    }

    /// The values as class indices when all are whole numbers in 0..<65536; else nil.
    static func classLabels(_ values: [Float]) -> [Int32]? {
        var labels = [Int32]()
        labels.reserveCapacity(values.count)
        for v in values {
            guard v >= 0, v < 65536, v == v.rounded() else { return nil }
            labels.append(Int32(v))
        }
        return labels
    }

    /// The number of classes when targets are labels (or one-hot rows of width k); nil for
    /// regression targets.
    public var classCount: Int? {
        switch targets {
        case .labels(_, let k): return k
        case .matrix(_, let w): return w > 1 ? w : nil
        }
    }

    /// Width of a target row: 1 for labels (a class index), k for a matrix.
    public var targetWidth: Int {
        switch targets {
        case .labels: return 1
        case .matrix(_, let w): return w
        }
    }

    /// True when targets are class indices.
    public var hasLabels: Bool {
        if case .labels = targets { return true }
        return false
    }

    /// `dataset(60000 × 784 (28×28) → 10 classes)`, `dataset(150 × 4 → 1 target)`.
    public var description: String {
        var s = "dataset(\(count) × \(inputWidth)"
        if exampleShape.count > 1 { s += " (" + exampleShape.map(String.init).joined(separator: "×") + ")" }
        switch targets {
        case .labels(_, let k): s += " → \(k) class\(k == 1 ? "" : "es")"
        case .matrix(_, let w): s += " → \(w) target\(w == 1 ? "" : "s")"
        }
        return s + ")"
    }
}
