#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that `data` fits `network` and `loss`, and says how targets are fed to the loss:
/// labels as class indices, or — for `mse`/`bce` on a network with several outputs — as
/// one-hot rows (so MNIST labels train a sigmoid output layer with `mse`, as in the notes).
/// Returns the one-hot width to use, if any, and the output width.
func checkCompatibility(_ network: Network, _ data: Dataset, loss: Loss, role: String) throws -> (oneHotWidth: Int?, outputWidth: Int) {
    if let w = network.inputWidth, w != data.inputWidth {
        throw EngineError("the network expects \(w) inputs but the \(role) data has \(data.inputWidth) features per example",
                          hint: "the first layer's input size must match the data's width (\(data.inputWidth))")
    }
    let k = try network.outputWidth(forInput: data.inputWidth)
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
            // Whole-number targets with one output and mse are regression values (y = [3, 5, 7]).
            guard classes <= 2 || loss == .mse else {
                throw EngineError("bce needs targets 0 or 1 but the \(role) data has labels up to \(classes - 1)",
                                  hint: "for \(classes) classes use \(classes) outputs with softmax and loss: cross_entropy")
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
