/// The training loop: mini-batch gradient descent over a data set for some epochs.
///
/// Per epoch: set the learning rate from the schedule, shuffle the example order (from the
/// seed), and for each batch gather its rows into reused tensors, run forward (training mode),
/// the loss and backward, add the l1/l2 penalty gradients, clip, and step the optimizer. Then
/// evaluate the validation data (inference mode) and record a `History` row.
///
/// Choices, where frameworks differ:
/// - `l2: λ` adds (λ/2)·Σw² to the cost, so ∂C/∂w gains λ·w (the notes' update with m = 1;
///   equal to SGD's `weight_decay: λ`); `l1: λ` adds λ·Σ|w|, so ∂C/∂w gains λ·sign(w). Both
///   apply to linear layers' weights only, not biases or batchnorm's γ/β (Keras'
///   `kernel_regularizer`). Reported losses are the data loss, without the penalty.
/// - `clip: c` rescales all gradients together when their global L2 norm exceeds c
///   (`torch.nn.utils.clip_grad_norm_`), after the penalties are added.
/// - `earlyStopPatience: p` watches the validation loss (the training loss when there is no
///   validation data); after p epochs without a new lowest value training stops. The weights
///   (and batchnorm statistics) of the best epoch are then restored — also when the epochs
///   run out first — as Keras' `restore_best_weights=True` does. A stop request (Ctrl-C)
///   keeps the current weights instead.
/// - The schedule is evaluated per epoch (epoch 0 first): `train`'s `schedule:` if given,
///   else the optimizer's own.
/// - With `mse` or `bce`, class labels and a network of k > 1 outputs, targets are fed as
///   one-hot rows. A network containing batchnorm skips a final batch of a single example
///   (batch statistics need two), as PyTorch users do with `drop_last`.
/// - A NaN or infinite loss throws, naming the epoch and step; the weights are left as the
///   failing step found them.
///
/// The steady-state step allocates nothing: batch tensors, layer buffers and optimizer state
/// are all reused.
public func train(_ network: Network, _ data: Dataset, loss: Loss, optimizer: Optimizer,
                  epochs: Int, batchSize: Int = 32, shuffle: Bool = true, seed: UInt64? = nil,
                  validation: Dataset? = nil, l1: Double = 0, l2: Double = 0, clip: Double? = nil,
                  earlyStopPatience: Int? = nil, schedule: LearningRateSchedule? = nil,
                  progress: ((TrainingProgress) -> Void)? = nil,
                  onEpoch: ((History.Row) -> Void)? = nil,
                  shouldStop: (() -> Bool)? = nil) throws -> History {
    var options = TrainingOptions(loss: loss, epochs: epochs)
    options.batchSize = batchSize
    options.shuffle = shuffle
    options.seed = seed
    options.validation = validation
    options.l1 = l1
    options.l2 = l2
    options.clip = clip
    options.earlyStopPatience = earlyStopPatience
    options.schedule = schedule
    options.progress = progress
    options.onEpoch = onEpoch
    options.shouldStop = shouldStop
    return try train(network, data, optimizer: optimizer, options: options)
}

/// `train` with its options gathered in one value (what the language builds from keyword
/// arguments).
public func train(_ network: Network, _ data: Dataset, optimizer: Optimizer, options: TrainingOptions) throws -> History {
    try Trainer(network: network, data: data, optimizer: optimizer, options: options).run()
}

/// Everything `train` accepts besides the network, data and optimizer.
public struct TrainingOptions {
    public var loss: Loss
    public var epochs: Int
    public var batchSize = 32
    public var shuffle = true
    /// Seeds the shuffling; nil draws a seed from the shared generator (so `seed(n)` makes a
    /// whole script reproducible).
    public var seed: UInt64? = nil
    public var validation: Dataset? = nil
    public var l1 = 0.0
    public var l2 = 0.0
    public var clip: Double? = nil
    public var earlyStopPatience: Int? = nil
    public var schedule: LearningRateSchedule? = nil
    /// Called after every step.
    public var progress: ((TrainingProgress) -> Void)? = nil
    /// Called after every epoch with its row.
    public var onEpoch: ((History.Row) -> Void)? = nil
    /// Called after every epoch (after `onEpoch` and the early-stopping check) with its row;
    /// returning false ends training there, and the history so far is returned.
    public var continueAfterEpoch: ((History.Row) throws -> Bool)? = nil
    /// Epochs the optimizer's schedule has already run (in earlier `train` calls), so a
    /// schedule goes on from where it was instead of starting again at epoch 0.
    public var scheduleStart = 0
    /// Polled after every step; returning true ends training after that step (Ctrl-C).
    public var shouldStop: (() -> Bool)? = nil

    public init(loss: Loss, epochs: Int) {
        self.loss = loss
        self.epochs = epochs
    }

    func validate(dataCount: Int) throws {
        guard epochs >= 1 else { throw EngineError("epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw EngineError("the batch size must be at least 1, got \(batchSize)") }
        for (name, v) in [("l1", l1), ("l2", l2)] where !(v >= 0 && v.isFinite) {
            throw EngineError("\(name) must be a finite number ≥ 0, got \(v)", hint: "typical values are 1e-5 to 1e-2")
        }
        if let c = clip, !(c > 0 && c.isFinite) {
            throw EngineError("clip must be a positive number, got \(c)", hint: "e.g. clip: 1 limits the gradient norm to 1")
        }
        if let p = earlyStopPatience, p < 1 {
            throw EngineError("early_stop patience must be at least 1 epoch, got \(p)")
        }
        guard dataCount >= 1 else { throw EngineError("the training data is empty") }
    }
}
