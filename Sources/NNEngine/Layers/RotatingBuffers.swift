/// A training step's buffer that one core writes and another reads, taken in turn from a
/// few so that a step does not write the lines the previous step's readers still hold.
///
/// When a product runs on two cores, each writes its share of the result and the next
/// product reads all of it (the compact batch that both cores' strips read, a first layer's
/// activations that the second layer reads whole). Every line then sits in both cores'
/// caches, and the next step's write of it waits for the other core's copy to be
/// invalidated: a batch of 64 × 490 floats took 22-24 us of the two threads' time to copy
/// in a 2-thread MNIST epoch against 9 us into memory no other core had read (2026-12-04,
/// Zen 4). A buffer written three steps apart gives the other core's caches time to let
/// go of its lines. Buffers over `largestRotated` floats are not rotated: their lines
/// leave the caches within a step anyway, and copies of them would cost memory.
struct RotatingBuffers {
    private var buffers = [Tensor(zeros: [0, 0])]
    private var slot = 0
    /// Buffers taken in turn.
    static let count = 3
    /// Floats (1 MiB) above which the latest buffer is written again in place.
    static let largestRotated = 1 << 18

    /// The buffer of the current step.
    var current: Tensor {
        _read { yield buffers[slot] }
        _modify { yield &buffers[slot] }
    }

    /// Moves on to the next buffer, before a step writes one (unless the current one is too
    /// large to rotate).
    mutating func advance() {
        guard buffers[slot].scalars.count <= Self.largestRotated else { return }
        slot = (slot + 1) % Self.count
        if slot == buffers.count { buffers.append(Tensor(zeros: [0, 0])) }
    }
}
