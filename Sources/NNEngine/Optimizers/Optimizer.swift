import CKernels
/// Something that moves parameters against their gradients: one `step` per mini-batch, after a
/// backward pass has set every `Parameter.grad`.
///
/// Every optimizer accepts `weightDecay` (λ), added to the gradient PyTorch-style before the
/// update: g ← g + λ·w (coupled L2, the way `torch.optim.*(weight_decay=)` does it, Adam
/// included — not AdamW's decoupled form). It applies to every trainable parameter, biases too,
/// as PyTorch's default parameter group does.
///
/// Non-trainable parameters (batchnorm's running statistics) are skipped. Per-parameter state
/// (velocities, moment estimates) is allocated on the first step that sees a parameter and
/// reused on every later step.
public protocol Optimizer: AnyObject, CustomStringConvertible {
    /// η for the next step. A schedule sets it at the start of each epoch.
    var learningRate: Float { get set }
    /// λ of the coupled L2 penalty added to each gradient (0 = none).
    var weightDecay: Float { get set }
    /// When set (`sgd(lr: step_decay(0.1, 0.5, 10))`), training sets `learningRate` from it at
    /// the start of every epoch.
    var schedule: LearningRateSchedule? { get set }
    /// Updates every trainable parameter in place from its current `grad`.
    func step(_ parameters: [Parameter])
    /// Forgets all per-parameter state (velocities, moments, step counts).
    func reset()
    /// η when the next step is exactly w ← w − η·∂C/∂w for every parameter, with no state
    /// (plain SGD): a layer may then take it in its backward (`Parameter.pendingStep`).
    var plainStepRate: Float? { get }
}

public extension Optimizer {
    var plainStepRate: Float? { nil }
    /// Sets `learningRate` for `epoch` (0-based) from the schedule, if there is one.
    func applySchedule(epoch: Int) {
        if let schedule { learningRate = Float(schedule.learningRate(epoch: epoch)) }
    }

    /// Installs a schedule and sets the rate of epoch 0 from it.
    func setSchedule(_ schedule: LearningRateSchedule?) {
        self.schedule = schedule
        applySchedule(epoch: 0)
    }
}

/// Per-parameter buffers an optimizer keeps across steps, allocated once per parameter.
///
/// Lookup is by identity. The common case — the same parameter list every step — is found
/// by comparing identities with the previous call, so a step does no hashing and no
/// allocation in its steady state.
final class OptimizerState {
    /// One parameter's buffers: `buffers` arrays of `count` floats each, plus a step count.
    final class Slot {
        let parameter: Parameter
        let count: Int
        var steps = 0
        private let storage: UnsafeMutablePointer<Float>
        private let bufferCount: Int

        init(parameter: Parameter, buffers: Int) {
            self.parameter = parameter
            self.count = parameter.value.count
            self.bufferCount = buffers
            storage = .allocate(capacity: max(1, buffers * count))
            storage.initialize(repeating: 0, count: max(1, buffers * count))
        }
        deinit { storage.deallocate() }

        /// The `index`th buffer (zero-initialised on allocation).
        func buffer(_ index: Int) -> UnsafeMutablePointer<Float> { storage + index * count }
    }

    private let buffersPerParameter: Int
    private var slots: [ObjectIdentifier: Slot] = [:]
    private var lastList: [Slot] = []

    init(buffersPerParameter: Int) { self.buffersPerParameter = buffersPerParameter }

    /// The slots for the trainable parameters of `parameters`, in order.
    func slots(for parameters: [Parameter]) -> [Slot] {
        var index = 0
        var same = true
        for p in parameters where p.isTrainable {
            if index >= lastList.count || lastList[index].parameter !== p
                || lastList[index].count != p.value.count { same = false; break }
            index += 1
        }
        if same && index == lastList.count { return lastList }
        var list: [Slot] = []
        for p in parameters where p.isTrainable {
            let key = ObjectIdentifier(p)
            if let slot = slots[key], slot.count == p.value.count {
                list.append(slot)
            } else {
                let slot = Slot(parameter: p, buffers: buffersPerParameter)
                slots[key] = slot
                list.append(slot)
            }
        }
        lastList = list
        return list
    }

    func reset() {
        slots = [:]
        lastList = []
    }
}

/// Calls `body(w, g, range)` with raw pointers to a parameter's value and gradient, after
/// checking they have the same number of elements (a layer that never ran backward has a zero
/// grad of the right size, so a mismatch is an engine bug and the parameter is skipped).
/// Large parameters are split into ranges updated on the matrix products' threads, so
/// `body` must be elementwise: element i depends on element i of each buffer only.
@inline(__always)
func withValueAndGradient(_ parameter: Parameter,
                          _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Range<Int>) -> Void) {
    let n = parameter.value.count
    guard parameter.grad.count == n, n > 0 else { return }
    parameter.grad.scalars.withUnsafeBufferPointer { g in
        parameter.value.scalars.withUnsafeMutableBufferPointer { w in
            let wp = w.baseAddress!, gp = g.baseAddress!
            parallelFor(n, grain: elementsPerThread) { body(wp, gp, $0) }
        }
    }
}

/// One step of `params.kind` over a parameter with state buffers `s0` (and `s1`): the
/// elementwise update in C (nns_optimizer_step: vector lanes, no fused multiply-add,
/// subnormals flushed), split over the products' threads as `withValueAndGradient` splits it.
func vectorStep(_ parameter: Parameter, _ params: nns_step_params,
                _ s0: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>? = nil) {
    withUnsafePointer(to: params) { p in
        withValueAndGradient(parameter) { w, g, range in
            let lo = range.lowerBound
            nns_optimizer_step(p, w + lo, g + lo, s0 + lo, s1.map { $0 + lo }, range.count)
        }
    }
}

/// Parameter elements below which a share of an update is not worth another thread (the
/// wake-up and join cost about a microsecond; an element costs about a nanosecond).
private let elementsPerThread = 16384

/// Formats an optimizer hyper-parameter the way nns source writes numbers.
func formatHyperParameter(_ value: Float) -> String { ShortestNumber.text(value) }
