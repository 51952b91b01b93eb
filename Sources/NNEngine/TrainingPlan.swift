/// What `train` would decide about a network, a data set and its options before the first
/// step — the target form, the accuracy rule, the batches — for a program that reproduces the
/// run elsewhere (an exported PyTorch script). Computing it checks the options exactly as
/// `train` does, so a recipe `train` refuses is refused here with the same message.
public struct TrainingPlan: Sendable, Equatable {
    /// How `train` scores a prediction.
    public enum Accuracy: String, Sendable {
        /// Labels, several outputs: argmax(ŷ) == label.
        case argmaxLabel = "argmax_label"
        /// Labels 0/1, one output: (ŷ ≥ 0.5) == label.
        case thresholdLabel = "threshold_label"
        /// One-hot target rows: argmax(ŷ) == argmax(y).
        case argmaxRow = "argmax_row"
        /// 0/1 targets: each output thresholded at 0.5 against its target.
        case thresholdEntries = "threshold_entries"
        /// Regression: no accuracy.
        case none
    }

    /// Class labels are fed as one-hot rows of this width (mse or bce with k > 1 outputs).
    public var oneHotWidth: Int?
    /// The network's outputs per example.
    public var outputWidth: Int
    /// The training data's accuracy rule.
    public var accuracy: Accuracy
    /// The validation data's accuracy rule, when there is validation data.
    public var validationAccuracy: Accuracy?
    /// The validation data's one-hot width (the same rule as the training data's).
    public var validationOneHotWidth: Int?
    /// Steps per epoch: ⌈m / batch⌉, less a final single-example batch when the network holds
    /// batchnorm (batch statistics need two examples).
    public var stepsPerEpoch: Int

    /// The plan for `train(network, data, optimizer:, options:)`.
    public init(network: Network, data: Dataset, options: TrainingOptions) throws {
        try options.validate(dataCount: data.count)
        let (oneHot, k) = try checkCompatibility(network, data, loss: options.loss, role: "training")
        oneHotWidth = oneHot
        outputWidth = k
        accuracy = Accuracy(AccuracyRule(data: data, outputWidth: k))
        if let v = options.validation {
            let (vOneHot, vk) = try checkCompatibility(network, v, loss: options.loss, role: "validation")
            validationOneHotWidth = vOneHot
            validationAccuracy = Accuracy(AccuracyRule(data: v, outputWidth: vk))
        }
        let batch = options.batchSize
        var steps = (data.count + batch - 1) / batch
        if network.layers.contains(where: { $0.usesBatchStatistics }) && data.count % batch == 1 && steps > 1 { steps -= 1 }
        stepsPerEpoch = steps
    }
}

extension TrainingPlan.Accuracy {
    init(_ rule: AccuracyRule) {
        switch rule {
        case .argmaxLabel: self = .argmaxLabel
        case .thresholdLabel: self = .thresholdLabel
        case .argmaxRow: self = .argmaxRow
        case .thresholdEntries: self = .thresholdEntries
        case .none: self = .none
        }
    }
}
