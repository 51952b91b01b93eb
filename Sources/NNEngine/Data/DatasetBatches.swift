import CKernels

/// Gathering examples into batch tensors, and the views a user sees (`data.x`, `data[i]`).
extension Dataset {
    /// Writes the inputs of `indices` (each in `0..<count`) into `x` as `[b, inputWidth]`,
    /// reusing its storage when the size is unchanged, so the training loop allocates nothing
    /// per step. Bytes are scaled to floats as they are copied. `next`, the batch to be
    /// gathered after this one, is asked of the caches without waiting, so that its rows
    /// arrive from memory in the meantime (inputs kept as floats are not prefetched).
    public func gatherInputs(_ indices: UnsafeBufferPointer<Int>, into x: inout Tensor,
                             prefetching next: UnsafeBufferPointer<Int>? = nil) {
        let b = indices.count, w = inputWidth
        x.ensureShape(b, w)
        x.scalars.withUnsafeMutableBufferPointer { out in
            guard let dst = out.baseAddress, b > 0 else { return }
            switch inputs {
            case .bytes(let bytes, let scale):
                // In C with prefetching: rows are scattered over the whole data set, and
                // waiting for each row's first cache lines was most of the gather's time.
                bytes.withUnsafeBufferPointer { src in
                    nns_gather_rows_u8(src.baseAddress!, w, indices.baseAddress, b, scale, dst,
                                       next?.baseAddress, next?.count ?? 0)
                }
            case .floats(let floats):
                floats.withUnsafeBufferPointer { src in
                    for (r, i) in indices.enumerated() {
                        (dst + r * w).update(from: src.baseAddress! + i * w, count: w)
                    }
                }
            }
        }
    }

    /// Writes the targets of `indices` into `y`: `[b]` class indices (as floats) for labels,
    /// `[b, k]` rows for a matrix. With `oneHotWidth`, labels become `[b, k]` one-hot rows
    /// instead (for `mse`/`bce` on a classifier).
    public func gatherTargets(_ indices: UnsafeBufferPointer<Int>, into y: inout Tensor, oneHotWidth: Int? = nil) {
        let b = indices.count
        switch targets {
        case .labels(let labels, _):
            if let k = oneHotWidth {
                y.ensureShape(b, k)
                y.scalars.withUnsafeMutableBufferPointer { out in
                    out.update(repeating: 0)
                    for (r, i) in indices.enumerated() {
                        let label = Int(labels[i])
                        if label < k { out[r * k + label] = 1 }
                    }
                }
            } else {
                y.ensureShape(b)
                y.scalars.withUnsafeMutableBufferPointer { out in
                    for (r, i) in indices.enumerated() { out[r] = Float(labels[i]) }
                }
            }
        case .matrix(let values, let w):
            y.ensureShape(b, w)
            y.scalars.withUnsafeMutableBufferPointer { out in
                values.withUnsafeBufferPointer { src in
                    for (r, i) in indices.enumerated() {
                        (out.baseAddress! + r * w).update(from: src.baseAddress! + i * w, count: w)
                    }
                }
            }
        }
    }

    /// The class label of example `i`, when targets are labels.
    public func label(at i: Int) -> Int? {
        if case .labels(let labels, _) = targets { return Int(labels[i]) }
        return nil
    }

    /// All inputs as a `[count, inputWidth]` tensor (`data.x`).
    public var x: Tensor {
        let all = Array(0..<count)
        var t = Tensor(zeros: [0])
        all.withUnsafeBufferPointer { gatherInputs($0, into: &t) }
        return t
    }

    /// All targets (`data.y`): `[count]` labels or `[count, k]`.
    public var y: Tensor {
        let all = Array(0..<count)
        var t = Tensor(zeros: [0])
        all.withUnsafeBufferPointer { gatherTargets($0, into: &t) }
        return t
    }

    /// Example `i` (`data[i]`): its input `[inputWidth]` and its target (a 0-d label or a
    /// `[k]` row). Throws when `i` is out of range; negative `i` counts from the end.
    public func example(at index: Int) throws -> (x: Tensor, y: Tensor) {
        let i = index < 0 ? count + index : index
        guard i >= 0, i < count else {
            throw EngineError("index \(index) is out of range for a data set of \(count) examples")
        }
        var x = Tensor(zeros: [0]), y = Tensor(zeros: [0])
        [i].withUnsafeBufferPointer { idx in
            gatherInputs(idx, into: &x)
            gatherTargets(idx, into: &y)
        }
        let yShaped = hasLabels ? y.reshaped([]) : y.reshaped([targetWidth])
        return (x.reshaped([inputWidth]), yShaped)
    }

    /// The examples at `indices`, in that order (duplicates allowed). Throws on an index out
    /// of range.
    public func subset(_ indices: [Int]) throws -> Dataset {
        for i in indices where i < 0 || i >= count {
            throw EngineError("index \(i) is out of range for a data set of \(count) examples")
        }
        let w = inputWidth
        let newInputs: Inputs
        switch inputs {
        case .bytes(let b, let scale):
            var out = [UInt8](); out.reserveCapacity(indices.count * w)
            for i in indices { out.append(contentsOf: b[(i * w)..<((i + 1) * w)]) }
            newInputs = .bytes(out, scale: scale)
        case .floats(let f):
            var out = [Float](); out.reserveCapacity(indices.count * w)
            for i in indices { out.append(contentsOf: f[(i * w)..<((i + 1) * w)]) }
            newInputs = .floats(out)
        }
        let newTargets: Targets
        switch targets {
        case .labels(let l, let k): newTargets = .labels(indices.map { l[$0] }, classCount: k)
        case .matrix(let v, let tw):
            var out = [Float](); out.reserveCapacity(indices.count * tw)
            for i in indices { out.append(contentsOf: v[(i * tw)..<((i + 1) * tw)]) }
            newTargets = .matrix(out, width: tw)
        }
        return try Dataset(inputs: newInputs, inputWidth: w, targets: newTargets, exampleShape: exampleShape)
            .keepingNames(of: self)
    }

    /// `split(data, fraction, seed:)`: a random `fraction` of the examples, and the rest,
    /// each keeping the shuffled order. The first part gets ⌊fraction·m⌉ examples.
    public func split(fraction: Double, using generator: inout some RandomNumberGenerator) throws -> (Dataset, Dataset) {
        guard fraction > 0, fraction < 1 else {
            throw EngineError("split: the fraction must be between 0 and 1 (exclusive), got \(formatOption(fraction))",
                              hint: "e.g. split(data, 0.9, seed: 1) keeps 90% for training")
        }
        let first = Int((fraction * Double(count)).rounded())
        guard first >= 1, first < count else {
            throw EngineError("split: \(count) examples cannot be split \(fraction) : \(1 - fraction) with both parts non-empty")
        }
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        return (try subset(Array(order[..<first])), try subset(Array(order[first...])))
    }

    /// `split(data, fraction, seed:)` with the engine's seeded generator (xoshiro256**).
    public func split(fraction: Double, seed: UInt64) throws -> (Dataset, Dataset) {
        var generator = Xoshiro256StarStar(seed: seed)
        return try split(fraction: fraction, using: &generator)
    }

    /// `batch(data, n)`: consecutive batches of `n` examples (the last may be smaller).
    public func batches(of size: Int) throws -> [Dataset] {
        guard size >= 1 else { throw EngineError("batch size must be at least 1, got \(size)") }
        return try stride(from: 0, to: count, by: size).map { start in
            try subset(Array(start..<min(start + size, count)))
        }
    }

    /// The same inputs with labels turned into one-hot rows of width `k` (`k` defaults to the
    /// class count).
    public func oneHotTargets(_ k: Int? = nil) throws -> Dataset {
        guard case .labels(let labels, let classes) = targets else {
            throw EngineError("onehot: the data set's targets are not class labels")
        }
        let width = k ?? classes
        let matrix = try oneHot(labels.map(Int.init), classes: width)
        var result = try Dataset(inputs: inputs, inputWidth: inputWidth, targets: .matrix(matrix.scalars, width: width),
                                 exampleShape: exampleShape)
        result.featureNames = featureNames
        return result
    }
}

extension Dataset {
    /// This data set with `other`'s class and feature names.
    func keepingNames(of other: Dataset) -> Dataset {
        var copy = self
        copy.classNames = other.classNames
        copy.featureNames = other.featureNames
        return copy
    }
}

extension Tensor {
    /// `resize(to: [rows])` without building a shape array when the shape already matches:
    /// the batch buffers keep their shape from step to step, so a step allocates nothing.
    mutating func ensureShape(_ rows: Int) {
        if !(shape.count == 1 && shape[0] == rows) { resize(to: [rows]) }
    }

    /// `resize(to: [rows, columns])`, skipped when the shape already matches.
    mutating func ensureShape(_ rows: Int, _ columns: Int) {
        if !(shape.count == 2 && shape[0] == rows && shape[1] == columns) { resize(to: [rows, columns]) }
    }
}
