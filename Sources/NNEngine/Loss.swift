import Foundation

/// The cost C(ŷ, y) of a batch of predictions `[m, k]` against targets, and ∂C/∂ŷ.
/// Sums run in Double; the value never is NaN for finite input.
///
/// - `mse`: C = (1/m) Σ_samples ½‖ŷ − y‖², so ∂C/∂ŷ = (ŷ − y)/m (the notes' cost; with one
///   output and one sample it is ½(ŷ − y)²).
/// - `bce`: binary cross-entropy on probabilities, averaged over all m·k entries as PyTorch's
///   `BCELoss` does: C = −mean[y log p + (1 − y) log(1 − p)], with p clamped to [ε, 1 − ε],
///   ε = 1e−7 (Keras's epsilon), so it stays finite at p = 0 or 1.
/// - `cross_entropy`: C = −(1/m) Σ_samples Σⱼ yⱼ log softmax(z)ⱼ on logits z, by log-sum-exp
///   (log softmax(z)ⱼ = zⱼ − max z − log Σ e^{z − max z}); ∂C/∂z = (softmax(z)·Σy − y)/m, which
///   is (p − y)/m for one-hot or probability rows. Targets are class indices (`[m]`) or
///   one-hot / probability rows (`[m, k]`).
///
/// A network ending in `softmax` (with `cross_entropy`) or `sigmoid` (with `bce`) is
/// handled by `Network.lossAndGradients`: the value is computed from the logits the final
/// layer received and the gradient (p − y)/m is handed straight to its input.
public enum Loss: String, CaseIterable, Sendable {
    case mse
    case bce
    case crossEntropy = "cross_entropy"

    /// Probabilities are clamped to [ε, 1 − ε] in `bce`.
    public static let bceEpsilon = 1e-7

    /// C(ŷ, y). `prediction` is `[m, k]` (a vector is one sample); for `cross_entropy` it is
    /// the logits.
    public func value(prediction: Tensor, target: Tensor) throws -> Double {
        var unused: Tensor? = nil
        return try evaluate(prediction: prediction, target: target, gradient: &unused)
    }

    /// C(ŷ, y), writing ∂C/∂ŷ into `gradient` (reshaped to the prediction's shape, its
    /// storage reused when the size is unchanged).
    public func valueAndGradient(prediction: Tensor, target: Tensor, gradient: inout Tensor) throws -> Double {
        var g: Tensor? = gradient
        gradient = Tensor(zeros: [0])      // drop our reference so `g` is written in place
        let c = try evaluate(prediction: prediction, target: target, gradient: &g)
        gradient = g!
        return c
    }

    /// The value and, when `gradient` is non-nil, ∂C/∂ŷ into it.
    func evaluate(prediction: Tensor, target: Tensor, gradient: inout Tensor?) throws -> Double {
        let batch = try Loss.asBatch(prediction)
        let prepared = try prepareTarget(target, rows: batch.shape[0], columns: batch.shape[1])
        let c: Double
        switch self {
        case .mse: c = Loss.meanSquaredError(batch, prepared, gradient: &gradient)
        case .bce: c = Loss.binaryCrossEntropy(probabilities: batch, prepared, gradient: &gradient)
        case .crossEntropy: c = Loss.crossEntropy(logits: batch, probabilities: nil, prepared, gradient: &gradient)
        }
        gradient?.resize(to: prediction.shape)
        return c
    }

    /// A prediction as a batch `[m, k]`: a vector is one sample, a number one output.
    static func asBatch(_ t: Tensor) throws -> Tensor {
        switch t.rank {
        case 0: return t.reshaped([1, 1])
        case 1: return t.reshaped([1, t.shape[0]])
        case 2: return t
        default:
            throw EngineError("a loss needs predictions of shape [m, k], got \(t.shape)",
                              hint: "flatten each sample to a vector first")
        }
    }

    // MARK: targets

    /// Targets checked against predictions `[rows, columns]`.
    enum PreparedTarget {
        /// `[rows, columns]`: values, one-hot rows or probabilities.
        case dense(Tensor)
        /// `[rows]` class indices, validated to be integers in 0..<columns.
        case classIndices([Int])
    }

    /// Checks `target` against `rows` samples of `columns` outputs; see `Loss` for the forms.
    func prepareTarget(_ target: Tensor, rows m: Int, columns k: Int) throws -> PreparedTarget {
        switch target.rank {
        case 2:
            if target.shape == [m, k] { return .dense(target) }
            if target.shape[1] != k {
                var hint = "give one target column per network output (\(k))"
                if target.shape[1] == 1 || k > 1 {
                    hint += self == .crossEntropy
                        ? ", or a vector of \(m) class indices"
                        : "; for class labels use onehot(labels, \(k)), or cross_entropy with class indices"
                }
                throw EngineError("targets have \(target.shape[1]) columns but the network gives \(k) outputs",
                                  hint: hint)
            }
            throw EngineError("targets have \(target.shape[0]) rows but there are \(m) samples",
                              hint: "give one target row per sample")
        case 0, 1:
            let length = target.count
            if m == 1 && length == k && target.rank == 1 && !(self == .crossEntropy && k == 1) {
                return .dense(target.reshaped([1, k]))
            }
            if length == m {
                if self == .crossEntropy { return .classIndices(try classIndices(target, classes: k)) }
                if k == 1 { return .dense(target.reshaped([m, 1])) }
                throw EngineError("targets are \(m) labels but the network gives \(k) outputs per sample",
                                  hint: "one-hot them with onehot(labels, \(k)), or use cross_entropy, which takes class indices")
            }
            throw EngineError("targets have \(length) element\(length == 1 ? "" : "s") but there \(m == 1 ? "is 1 sample" : "are \(m) samples") of \(k) output\(k == 1 ? "" : "s")",
                              hint: "give targets of shape [\(m), \(k)]\(self == .crossEntropy ? " or \(m) class indices" : "")")
        default:
            throw EngineError("targets of shape \(target.shape) cannot be compared with predictions [\(m), \(k)]",
                              hint: "give targets of shape [\(m), \(k)]")
        }
    }

    private func classIndices(_ target: Tensor, classes k: Int) throws -> [Int] {
        var result = [Int](repeating: 0, count: target.count)
        for (i, v) in target.scalars.enumerated() {
            guard v.isFinite, v == v.rounded(), v >= 0, v < Float(k) else {
                throw EngineError("class index \(v) of sample \(i) is not one of 0...\(k - 1)",
                                  hint: "cross_entropy targets are class indices 0...\(k - 1) or one-hot rows of \(k)")
            }
            result[i] = Int(v)
        }
        return result
    }

    // MARK: the losses

    static func meanSquaredError(_ p: Tensor, _ target: PreparedTarget, gradient: inout Tensor?) -> Double {
        guard case .dense(let y) = target else { return .nan }   // mse never prepares indices
        let m = p.shape[0]
        let scale = 1 / Double(max(1, m))
        var total = 0.0
        gradient?.resize(to: p.shape)
        p.scalars.withUnsafeBufferPointer { pp in
            y.scalars.withUnsafeBufferPointer { yy in
                for i in pp.indices {
                    let d = Double(pp[i]) - Double(yy[i])
                    total += 0.5 * d * d
                }
            }
        }
        if gradient != nil {
            for i in 0..<p.count {
                gradient!.scalars[i] = Float((Double(p.scalars[i]) - Double(y.scalars[i])) * scale)
            }
        }
        return total * scale
    }

    static func binaryCrossEntropy(probabilities p: Tensor, _ target: PreparedTarget, gradient: inout Tensor?) -> Double {
        guard case .dense(let y) = target else { return .nan }
        let scale = 1 / Double(max(1, p.count))
        let eps = bceEpsilon
        var total = 0.0
        gradient?.resize(to: p.shape)
        for i in 0..<p.count {
            let q = min(max(Double(p.scalars[i]), eps), 1 - eps)
            let t = Double(y.scalars[i])
            total -= t * Foundation.log(q) + (1 - t) * Foundation.log(1 - q)
            if gradient != nil { gradient!.scalars[i] = Float((q - t) / (q * (1 - q)) * scale) }
        }
        return total * scale
    }

    /// bce on logits z (for a network ending in sigmoid): per entry
    /// max(z, 0) − z·y + log(1 + e^{−|z|}), and ∂C/∂z = (σ(z) − y)/(m·k) with σ(z) = `probabilities`.
    static func binaryCrossEntropy(logits z: Tensor, probabilities p: Tensor, _ target: PreparedTarget,
                                   gradient: inout Tensor?) -> Double {
        guard case .dense(let y) = target else { return .nan }
        let scale = 1 / Double(max(1, z.count))
        var total = 0.0
        gradient?.resize(to: z.shape)
        for i in 0..<z.count {
            let v = Double(z.scalars[i]), t = Double(y.scalars[i])
            total += max(v, 0) - v * t + Foundation.log1p(Foundation.exp(-abs(v)))
            if gradient != nil { gradient!.scalars[i] = Float((Double(p.scalars[i]) - t) * scale) }
        }
        return total * scale
    }

    /// Cross-entropy on logits `[m, k]`. The gradient uses `probabilities` when given (the
    /// final softmax's output, fused case) and softmax(z) otherwise.
    static func crossEntropy(logits z: Tensor, probabilities: Tensor?, _ target: PreparedTarget,
                             gradient: inout Tensor?) -> Double {
        let m = z.shape[0], k = z.shape[1]
        let scale = 1 / Double(max(1, m))
        // Through buffer pointers: it runs every training step, between the products
        // (indexing the tensors was 0.85% of a 2-thread MNIST epoch's profile).
        var g = gradient ?? Tensor(zeros: [0])
        let wantsGradient = gradient != nil
        gradient = nil // so that `g` is uniquely held and written in place
        defer { if wantsGradient { gradient = g } }
        if wantsGradient { g.resize(to: z.shape) }
        let dense: Tensor? = if case .dense(let y) = target { y } else { nil }
        let classes: [Int] = if case .classIndices(let c) = target { c } else { [] }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, m)) { rowLoss in
            z.scalars.withUnsafeBufferPointer { zs in
                (dense?.scalars ?? []).withUnsafeBufferPointer { ys in
                    (probabilities?.scalars ?? []).withUnsafeBufferPointer { ps in
                        g.scalars.withUnsafeMutableBufferPointer { gs in
                            // Rows are independent, so they are split between the products'
                            // threads (on one thread, the other waited through it: 2.3% of the
                            // caller's samples in a 2-thread MNIST epoch, mostly exp and log).
                            let gs = gs
                            parallelFor(m, grain: Softmax.rowsPerThread) { rows in
                                for r in rows {
                                    rowLoss[r] = crossEntropyRow(r * k, k: k, logits: zs,
                                                                 classIndex: dense == nil ? classes[r] : nil,
                                                                 dense: ys, probabilities: probabilities == nil ? nil : ps,
                                                                 gradient: wantsGradient ? gs : nil, scale: scale)
                                }
                            }
                        }
                    }
                }
            }
            // Added in row order, so the total does not depend on how the rows were split.
            var total = 0.0
            for r in 0..<m { total += rowLoss[r] }
            return total * scale
        }
    }

    /// One row of `crossEntropy`, starting at `row`: returns its (unscaled) loss and writes
    /// its gradient when one is wanted. The target is `classIndex`, else the row of
    /// `dense`.
    private static func crossEntropyRow(_ row: Int, k: Int, logits zs: UnsafeBufferPointer<Float>,
                                        classIndex: Int?, dense ys: UnsafeBufferPointer<Float>,
                                        probabilities ps: UnsafeBufferPointer<Float>?,
                                        gradient gs: UnsafeMutableBufferPointer<Float>?,
                                        scale: Double) -> Double {
        var largest = -Double.infinity
        for j in 0..<k { largest = max(largest, Double(zs[row + j])) }
        var sum = 0.0
        for j in 0..<k { sum += Foundation.exp(Double(zs[row + j]) - largest) }
        let logSumExp = largest + Foundation.log(sum)
        var targetMass = 1.0
        var total = 0.0
        if let c = classIndex {
            total += logSumExp - Double(zs[row + c])
        } else {
            targetMass = 0
            for j in 0..<k {
                let t = Double(ys[row + j])
                targetMass += t
                if t != 0 { total += t * (logSumExp - Double(zs[row + j])) }
            }
        }
        guard let gs else { return total }
        for j in 0..<k {
            let p = ps.map { Double($0[row + j]) } ?? Foundation.exp(Double(zs[row + j]) - logSumExp)
            let t = classIndex.map { $0 == j ? 1.0 : 0.0 } ?? Double(ys[row + j])
            gs[row + j] = Float((p * targetMass - t) * scale)
        }
        return total
    }
}
