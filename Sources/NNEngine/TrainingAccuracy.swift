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
                    // A loss that needs targets as rows (mse, bce) gets labels gathered as
                    // one-hot rows: then the row's 1 is the label.
                    let labelled = self == .argmaxLabel && t.count == b
                    for r in 0..<b {
                        let row = r * k
                        // Selects, not a branch per class: which class leads is a coin toss
                        // for the predictor (this loop was 0.3% of a 2-thread MNIST epoch).
                        var best = 0
                        var bestValue = k > 0 ? o[row] : 0
                        for j in 1..<max(1, k) {
                            let v = o[row + j]
                            let better = v > bestValue
                            best = better ? j : best
                            bestValue = better ? v : bestValue
                        }
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
