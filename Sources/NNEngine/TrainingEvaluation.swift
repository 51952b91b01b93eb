/// How predictions are scored as right or wrong, decided once per data set and network:
/// argmax against the label for a classifier with several outputs, a 0.5 threshold for a
/// single (sigmoid) output, and no accuracy at all for regression.
enum AccuracyRule {
    /// Labels, several outputs: argmax(ŷ) == label.
    case argmaxLabel
    /// Labels 0/1, one output: (ŷ ≥ 0.5) == label.
    case thresholdLabel
    /// One-hot target rows: argmax(ŷ) == argmax(y).
    case argmaxRow
    /// Targets all 0 or 1 (one column or several independent ones): each output
    /// thresholded at 0.5 against its target; the share of correct entries.
    case thresholdEntries
    /// Regression: no accuracy.
    case none

    init(data: Dataset, outputWidth k: Int) {
        switch data.targets {
        case .labels(_, let classes):
            self = k > 1 ? .argmaxLabel : (classes <= 2 ? .thresholdLabel : .none)
        case .matrix(let values, let width):
            guard width == k, values.allSatisfy({ $0 == 0 || $0 == 1 }) else { self = .none; return }
            if k > 1 {
                var oneHot = true
                var start = 0
                while start < values.count && oneHot {
                    var ones = 0
                    for j in 0..<k where values[start + j] == 1 { ones += 1 }
                    oneHot = ones == 1
                    start += k
                }
                self = oneHot ? .argmaxRow : .thresholdEntries
            } else {
                self = .thresholdEntries
            }
        }
    }

    var isDefined: Bool { if case .none = self { return false } else { return true } }

    /// Correct predictions in a batch and how many were scored: `output` is `[b, k]`, `target`
    /// is what `gatherTargets` wrote (`[b]` labels or `[b, k]`). No allocation.
    func score(output: Tensor, target: Tensor) -> (correct: Int, scored: Int) {
        let b = output.shape[0]
        let k = output.count / max(1, b)
        return output.scalars.withUnsafeBufferPointer { o in
            target.scalars.withUnsafeBufferPointer { t in
                var correct = 0
                switch self {
                case .none: return (0, 0)
                case .argmaxLabel, .argmaxRow:
                    let labelled = self == .argmaxLabel
                    for r in 0..<b {
                        let row = r * k
                        var best = 0
                        for j in 1..<max(1, k) where o[row + j] > o[row + best] { best = j }
                        let expected: Int
                        if labelled {
                            expected = Int(t[r])
                        } else {
                            var e = 0
                            for j in 0..<k where t[row + j] == 1 { e = j }
                            expected = e
                        }
                        if best == expected { correct += 1 }
                    }
                    return (correct, b)
                case .thresholdLabel:
                    for r in 0..<b where (o[r * k] >= 0.5) == (t[r] == 1) { correct += 1 }
                    return (correct, b)
                case .thresholdEntries:
                    for i in 0..<min(o.count, t.count) where (o[i] >= 0.5) == (t[i] == 1) { correct += 1 }
                    return (correct, min(o.count, t.count))
                }
            }
        }
    }
}

extension AccuracyRule: Equatable {}

/// Checks that `data` fits `network` and `loss`, and says how targets are fed to the loss:
/// labels as class indices, or — for `mse`/`bce` on a network with several outputs — as
/// one-hot rows (so MNIST labels train a sigmoid output layer with `mse`, as in the notes).
/// Returns the one-hot width to use, if any, and the output width.
func checkCompatibility(_ network: Network, _ data: Dataset, loss: Loss, role: String) throws -> (oneHotWidth: Int?, outputWidth: Int) {
    if let w = network.inputWidth, w != data.inputWidth {
        throw EngineError("the network expects \(w) inputs but the \(role) data has \(data.inputWidth) features per example",
                          hint: "the first layer's input size must match the data's width (\(data.inputWidth))")
    }
    let k = network.outputWidth(forInput: data.inputWidth)
    switch data.targets {
    case .labels(_, let classes):
        if loss == .crossEntropy {
            guard k >= 2 else {
                throw EngineError("cross_entropy needs at least 2 outputs but the network gives \(k)",
                                  hint: "for two classes with one sigmoid output use loss: bce")
            }
            guard classes <= k else {
                throw EngineError("the \(role) data has \(classes) classes but the network gives only \(k) outputs",
                                  hint: "make the last layer linear(…, \(classes))")
            }
            return (nil, k)
        }
        if k == 1 {
            guard classes <= 2 else {
                throw EngineError("the \(role) data has \(classes) classes but the network has a single output",
                                  hint: "use \(classes) outputs with softmax and loss: cross_entropy")
            }
            return (nil, k)
        }
        guard classes <= k else {
            throw EngineError("the \(role) data has \(classes) classes but the network gives only \(k) outputs",
                              hint: "make the last layer linear(…, \(classes))")
        }
        return (k, k)
    case .matrix(_, let width):
        guard width == k else {
            throw EngineError("the \(role) data has \(width) target column\(width == 1 ? "" : "s") but the network gives \(k) outputs",
                              hint: "make the last layer produce \(width) output\(width == 1 ? "" : "s")")
        }
        return (nil, k)
    }
}

/// Monotonic seconds, for epoch times and throughput.
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluation and prediction in inference mode, in large batches through reused buffers.
public enum Evaluation {
    /// Rows per batch: large enough to keep the matrix kernels busy, small enough that the
    /// layers' cached activations stay a few MB.
    public static let batchSize = 1000
}

/// `evaluate(net, data, loss:)`: the mean loss over all examples and the accuracy (nil for
/// regression), in inference mode (dropout off, batchnorm on running statistics).
public func evaluate(_ network: Network, _ data: Dataset, loss: Loss) throws -> (loss: Double, accuracy: Double?) {
    let (oneHotWidth, k) = try checkCompatibility(network, data, loss: loss, role: "evaluation")
    let rule = AccuracyRule(data: data, outputWidth: k)
    var x = Tensor(zeros: [0]), y = Tensor(zeros: [0])
    var total = 0.0, correct = 0, scored = 0
    let order = Array(0..<data.count)
    try order.withUnsafeBufferPointer { all in
        var start = 0
        while start < data.count {
            let end = min(start + Evaluation.batchSize, data.count)
            let indices = UnsafeBufferPointer(rebasing: all[start..<end])
            data.gatherInputs(indices, into: &x)
            data.gatherTargets(indices, into: &y, oneHotWidth: oneHotWidth)
            let output = try network.forwardBatch(x, mode: .inference, trace: nil)
            var noGradient: Tensor? = nil
            let value = try network.evaluate(loss, prediction: output, target: y, gradient: &noGradient).value
            total += value * Double(end - start)
            let s = rule.score(output: output, target: y)
            correct += s.correct
            scored += s.scored
            start = end
        }
    }
    return (total / Double(max(1, data.count)), rule.isDefined ? Double(correct) / Double(max(1, scored)) : nil)
}

/// `predict(net, x)`: the class of each row of `x` (`[m, features]`, or one example
/// `[features]`): argmax of the outputs, or output ≥ 0.5 for a single output. Inference mode.
public func predict(_ network: Network, _ x: Tensor) throws -> [Int] {
    let (batch, _) = try network.asBatch(x)
    guard batch.rank == 2 else {
        throw EngineError("predict expects [examples, features], got shape \(x.shape)")
    }
    let m = batch.shape[0], w = batch.shape[1]
    var result = [Int]()
    result.reserveCapacity(m)
    var chunk = Tensor(zeros: [0])
    var start = 0
    while start < m {
        let end = min(start + Evaluation.batchSize, m)
        chunk.resize(to: [end - start, w])
        chunk.scalars.withUnsafeMutableBufferPointer { dst in
            batch.scalars.withUnsafeBufferPointer { src in
                dst.baseAddress!.update(from: src.baseAddress! + start * w, count: (end - start) * w)
            }
        }
        let output = try network.forwardBatch(chunk, mode: .inference, trace: nil)
        let k = output.count / max(1, end - start)
        for r in 0..<(end - start) {
            if k == 1 {
                result.append(output.scalars[r] >= 0.5 ? 1 : 0)
            } else {
                var best = 0
                for j in 1..<k where output.scalars[r * k + j] > output.scalars[r * k + best] { best = j }
                result.append(best)
            }
        }
        start = end
    }
    return result
}

/// `predict(net, data)`: the class of every example of a data set.
public func predict(_ network: Network, _ data: Dataset) throws -> [Int] {
    if let w = network.inputWidth, w != data.inputWidth {
        throw EngineError("the network expects \(w) inputs but the data has \(data.inputWidth) features per example")
    }
    var result = [Int]()
    var x = Tensor(zeros: [0])
    let order = Array(0..<data.count)
    var start = 0
    while start < data.count {
        let end = min(start + Evaluation.batchSize, data.count)
        order.withUnsafeBufferPointer { data.gatherInputs(UnsafeBufferPointer(rebasing: $0[start..<end]), into: &x) }
        result += try predict(network, x)
        start = end
    }
    return result
}
