/// The state of one `train` call: reused batch buffers, the parameter lists, the generator.
final class Trainer {
    let network: Network
    let data: Dataset
    let optimizer: Optimizer
    let options: TrainingOptions
    private let trainable: [Parameter]
    /// Linear layers' weights: what l1/l2 penalise.
    private let penalised: [Parameter]
    private let everything: [Parameter]
    private let oneHotWidth: Int?
    private let rule: AccuracyRule
    private let dropsSingletonBatch: Bool
    private var generator: Xoshiro256StarStar
    private var x = Tensor(zeros: [0])
    private var y = Tensor(zeros: [0])
    /// The parameters whose step no layer took in its backward (reused every step).
    private var stepsLeft: [Parameter] = []

    init(network: Network, data: Dataset, optimizer: Optimizer, options: TrainingOptions) throws {
        try options.validate(dataCount: data.count)
        let (oneHot, k) = try checkCompatibility(network, data, loss: options.loss, role: "training")
        if let v = options.validation { _ = try checkCompatibility(network, v, loss: options.loss, role: "validation") }
        self.network = network
        self.data = data
        self.optimizer = optimizer
        self.options = options
        oneHotWidth = oneHot
        rule = AccuracyRule(data: data, outputWidth: k)
        everything = network.namedParameters.map(\.parameter)
        trainable = everything.filter(\.isTrainable)
        penalised = network.layers.flatMap(\.decayedParameters)
        dropsSingletonBatch = network.layers.contains { $0.usesBatchStatistics }
        let seed = options.seed ?? RandomSource.shared.withGenerator { $0.next() }
        generator = Xoshiro256StarStar(seed: seed)
    }

    func run() throws -> History {
        let o = options
        var history = History(hasAccuracy: rule.isDefined, hasValidation: o.validation != nil)
        var order = Array(0..<data.count)
        var batchCount = (data.count + o.batchSize - 1) / o.batchSize
        if dropsSingletonBatch && data.count % o.batchSize == 1 && batchCount > 1 { batchCount -= 1 }
        let schedule = o.schedule ?? optimizer.schedule

        var bestLoss = Double.infinity
        var bestWeights: [[Float]] = []
        var epochsWithoutImprovement = 0

        for epoch in 0..<o.epochs {
            if let schedule { optimizer.learningRate = Float(schedule.learningRate(epoch: o.scheduleStart + epoch)) }
            let rate = Double(optimizer.learningRate)
            if o.shuffle { generator.shuffle(&order) }
            let started = monotonicSeconds()
            var lossSum = 0.0, seen = 0, correct = 0, scored = 0
            var stopped = false

            try order.withUnsafeBufferPointer { all in
                for b in 0..<batchCount {
                    let start = b * o.batchSize
                    let indices = UnsafeBufferPointer(rebasing: all[start..<min(start + o.batchSize, all.count)])
                    let next = b + 1 < batchCount
                        ? UnsafeBufferPointer(rebasing: all[min(start + o.batchSize, all.count)..<min(start + 2 * o.batchSize, all.count)])
                        : nil
                    let (value, stopping) = try step(indices, prefetching: next, keepingGradients: b == batchCount - 1,
                                                     accumulating: &correct, &scored)
                    guard value.isFinite else {
                        throw EngineError("the loss became \(value.isNaN ? "NaN" : "infinite") at epoch \(epoch + 1), step \(b + 1)",
                                          hint: "lower the learning rate (it is \(Float(rate))), e.g. to \(Float(rate / 10)), or limit the gradients with clip: 1")
                    }
                    lossSum += value * Double(indices.count)
                    seen += indices.count
                    if let progress = o.progress {
                        let elapsed = monotonicSeconds() - started
                        progress(TrainingProgress(
                            epoch: epoch + 1, epochs: o.epochs, batch: b + 1, batchesPerEpoch: batchCount,
                            loss: lossSum / Double(seen),
                            accuracy: rule.isDefined ? Double(correct) / Double(max(1, scored)) : nil,
                            samplesPerSecond: elapsed > 0 ? Double(seen) / elapsed : 0,
                            elapsedSeconds: elapsed, learningRate: rate))
                    }
                    if stopping {
                        stopped = true
                        return
                    }
                }
            }

            var row = History.Row(epoch: epoch + 1, loss: lossSum / Double(max(1, seen)),
                                  accuracy: rule.isDefined ? Double(correct) / Double(max(1, scored)) : nil,
                                  validationLoss: nil, validationAccuracy: nil, seconds: 0,
                                  learningRate: rate, examples: seen)
            if let v = o.validation, !stopped {
                let (vl, va) = try evaluate(network, v, loss: o.loss)
                row.validationLoss = vl
                row.validationAccuracy = va
            }
            row.seconds = monotonicSeconds() - started
            history.rows.append(row)
            o.onEpoch?(row)
            if stopped {
                history.interrupted = true
                break
            }

            if let patience = o.earlyStopPatience {
                let monitored = row.validationLoss ?? row.loss
                if monitored < bestLoss {
                    bestLoss = monitored
                    bestWeights = everything.map { $0.value.scalars }
                    history.bestEpoch = epoch + 1
                    epochsWithoutImprovement = 0
                } else {
                    epochsWithoutImprovement += 1
                    if epochsWithoutImprovement >= patience {
                        if epoch + 1 < o.epochs { history.stoppedEarly = true }
                        break
                    }
                }
            }
            if let proceed = o.continueAfterEpoch, !(try proceed(row)) { break }
        }
        if o.earlyStopPatience != nil, !history.interrupted, bestWeights.count == everything.count {
            for (p, w) in zip(everything, bestWeights) where p.value.scalars != w {
                p.value = Tensor(shape: p.value.shape, scalars: w)
            }
        }
        return history
    }

    /// One optimisation step on the examples at `indices`; returns the batch's loss and
    /// whether a stop was requested (polled once the step is done: training stops after it).
    /// `next`, the batch after this one, is prefetched (see `Dataset.gatherInputs`).
    /// Unless `keepingGradients`, a layer that takes the plain SGD step itself may skip
    /// storing the gradients (see `PendingStep`); they are stored after all when training
    /// stops here, so that `grad` is always the last batch's.
    private func step(_ indices: UnsafeBufferPointer<Int>, prefetching next: UnsafeBufferPointer<Int>?,
                      keepingGradients: Bool,
                      accumulating correct: inout Int, _ scored: inout Int) throws -> (loss: Double, stop: Bool) {
        defer { network.endTrainingStep() }
        data.gatherInputs(indices, into: &x, prefetching: next)
        data.gatherTargets(indices, into: &y, oneHotWidth: oneHotWidth)

        // lossAndGradients, unrolled so the output is at hand for accuracy.
        let output = try network.forwardBatch(x, mode: .training, trace: nil)
        var gradient = network.lossGradient
        network.lossGradient = nil  // so `gradient` is uniquely held and written in place
        defer { network.lossGradient = gradient }
        let (value, fused) = try network.evaluate(options.loss, prediction: output, target: y, gradient: &gradient)
        if rule.isDefined {
            let s = rule.score(output: output, target: y)
            correct += s.correct
            scored += s.scored
        }
        guard value.isFinite, let g = gradient else { return (value, false) }
        // A plain SGD step is taken by the layers that can, in their backward (the pass over
        // the weights and their gradient was 4-7% of an MNIST epoch); penalties and clipping
        // change the gradient first, so they need the step after the backward.
        let rate = options.l1 == 0 && options.l2 == 0 && options.clip == nil ? optimizer.plainStepRate : nil
        if let rate { for p in trainable { p.pendingStep = PendingStep(rate: rate, keepsGradient: keepingGradients) } }
        defer { if rate != nil { for p in trainable { p.pendingStep = nil } } } // after the step, or a throw
        _ = try network.backwardBatch(g, from: network.layers.count - 1, trace: nil, fusedTop: fused,
                                      needInputGradient: false)
        if options.l1 > 0 || options.l2 > 0 { addPenaltyGradients() }
        if let c = options.clip { clipGradients(to: c) }
        if rate == nil {
            optimizer.step(trainable)
        } else {
            stepsLeft.removeAll(keepingCapacity: true)
            for p in trainable where p.pendingStep != nil { stepsLeft.append(p) }
            optimizer.step(stepsLeft)
        }
        let stop = options.shouldStop?() ?? false
        if stop && !keepingGradients { try network.storeSkippedGradients() }
        return (value, stop)
    }

    /// ∂/∂w of λ₂/2·Σw² + λ₁·Σ|w| added to each penalised weight's gradient.
    private func addPenaltyGradients() {
        let l1 = Float(options.l1), l2 = Float(options.l2)
        for p in penalised {
            guard p.grad.count == p.value.count else { continue }
            p.value.scalars.withUnsafeBufferPointer { w in
                p.grad.scalars.withUnsafeMutableBufferPointer { g in
                    for i in 0..<w.count {
                        let wi = w[i]
                        let sign: Float = wi > 0 ? 1 : (wi < 0 ? -1 : 0)
                        g[i] += l2 * wi + l1 * sign
                    }
                }
            }
        }
    }

    /// Scales every trainable gradient by c/‖g‖ when the global norm ‖g‖ exceeds c.
    private func clipGradients(to c: Double) {
        var sumSquares = 0.0
        for p in trainable {
            p.grad.scalars.withUnsafeBufferPointer { g in
                var s: Float = 0
                for v in g { s += v * v }
                sumSquares += Double(s)
            }
        }
        let norm = sumSquares.squareRoot()
        guard norm > c, norm.isFinite else { return }
        let scale = Float(c / norm)
        for p in trainable {
            p.grad.scalars.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] *= scale }
            }
        }
    }
}
