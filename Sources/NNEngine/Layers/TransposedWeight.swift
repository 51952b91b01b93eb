/// A linear layer's weights kept transposed, `Wᵀ` (`[k, n]`), while it trains with plain
/// SGD steps over the nonzero columns of its input (`ZeroColumns`).
///
/// Those columns of W are rows of Wᵀ: the forward reads them where they are, and the step
/// writes them in place, where W's layout had them copied out into a compact W' before the
/// forward and back after the step (measured: 16% of the main thread's samples in a 2-thread
/// MNIST epoch went to those two copies). The parameter's `value` is then behind: the layer marks
/// it (`Parameter.ahead`), and the first read of it writes Wᵀ back (`write(into:)`) — in
/// training that is the evaluation after an epoch, not a step.
final class TransposedWeight {
    /// Wᵀ, `[k, n]`.
    private(set) var tensor = Tensor(zeros: [0, 0])
    /// The parameter, and its version, when `tensor` was last equal to its value.
    private weak var source: Parameter?
    private var version = -1

    /// Whether `tensor` is the parameter's value, transposed, as it is now (or ahead of it).
    func isCurrent(for w: Parameter) -> Bool {
        w.ahead === self || (source === w && version == w.version && tensor.shape == w.shape.reversed())
    }

    /// Makes `tensor` Wᵀ unless it is already current.
    func take(from w: Parameter) {
        if isCurrent(for: w) { return }
        tensor = w.value.matrixTransposed() // (reading value writes back another copy ahead)
        (source, version) = (w, w.version)
    }

    /// Wᵀ, for `body` to step in place; the parameter's value is behind from then on.
    func stepping(_ w: Parameter, _ body: (inout Tensor) throws -> Void) rethrows {
        try body(&tensor)
        w.ahead = self
    }

    /// W = (Wᵀ)ᵀ into the parameter's storage (`Parameter.settle`).
    func write(into w: inout Tensor) {
        w = tensor.matrixTransposed()
    }
}
