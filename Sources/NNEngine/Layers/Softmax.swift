import Foundation

/// `softmax`: each row z ↦ p with pⱼ = e^{zⱼ} / Σₖ e^{zₖ}, computed as e^{zⱼ − max z} so no
/// exponential overflows. A vector is one row.
///
/// Backward, per row, is the full Jacobian–vector product: with g = ∂C/∂p,
/// ∂C/∂zⱼ = Σᵢ g_i ∂pᵢ/∂zⱼ = pⱼ (gⱼ − Σᵢ gᵢ pᵢ). After a softmax, `cross_entropy` skips this
/// and uses the fused (p − y)/m directly (see `Network.lossAndGradients`).
public final class Softmax: Layer {
    /// A copy of the latest input z: `cross_entropy` reads its value from the logits
    /// (log pⱼ = zⱼ − logΣe^z, exact even where pⱼ underflows to 0).
    private(set) var cachedInput = Tensor(zeros: [0])
    private(set) var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var hasForward = false

    public init() {}

    public var kind: String { "softmax" }
    public func copy() -> Layer { Softmax() }

    public static let kinds = ["softmax"]
    public static func make(_ record: LayerRecord) throws -> Layer { Softmax() }

    public func forward(traced x: Traced) throws -> Traced { try x.softmax() }
    public func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String {
        graph.node("Softmax", [x], attributes: [.int("axis", -1)])
    }
    public var pytorch: PyTorchModule { PyTorchModule("nn.Softmax(dim=-1)") }
    public func formula(input: String, output: String) -> String { "\(output)ᵢ = e^(\(input)ᵢ) / Σⱼ e^(\(input)ⱼ)" }

    /// Row length for a tensor of this shape (the last axis; a scalar is one row of one).
    private static func rowLength(_ shape: [Int]) -> Int { shape.last ?? 1 }

    public func forward(_ input: Tensor, mode: PassMode) throws -> Tensor {
        cachedInput.assign(input)
        output.resize(to: input.shape)
        let k = Softmax.rowLength(input.shape)
        hasForward = true
        guard k > 0 else { return output }
        let rows = input.count / k
        input.scalars.withUnsafeBufferPointer { z in
            output.scalars.withUnsafeMutableBufferPointer { p in
                // Rows are independent: a batch is split between the products' threads
                // (1% of the caller's samples in a 2-thread MNIST epoch, the other waiting).
                let p = p
                parallelFor(rows, grain: Softmax.rowsPerThread) { range in
                    Softmax.rows(range, k: k, z, p)
                }
            }
        }
        return output
    }

    /// Rows of a softmax (or of cross-entropy on its logits) worth another thread: MNIST's
    /// 10 classes take ~10 exponentials a row, ~0.1 us; fewer rows cost more to hand over
    /// than they save.
    static let rowsPerThread = 32

    /// pⱼ = e^{zⱼ − max z} / Σ for each row of `range` (rows of `k` scalars).
    private static func rows(_ range: Range<Int>, k: Int, _ z: UnsafeBufferPointer<Float>,
                             _ p: UnsafeMutableBufferPointer<Float>) {
        var start = range.lowerBound * k
        while start < range.upperBound * k {
            var largest = -Float.infinity
            for j in start..<start + k where z[j] > largest { largest = z[j] }
            if !largest.isFinite { largest = largest.isNaN ? 0 : largest }
            var total: Float = 0
            for j in start..<start + k {
                let e = Foundation.exp(z[j] - largest)
                p[j] = e
                total += e
            }
            let scale = 1 / total
            for j in start..<start + k { p[j] *= scale }
            start += k
        }
    }

    public func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard hasForward else { throw backwardBeforeForward(self) }
        guard outputGradient.shape == output.shape else {
            throw gradientShapeMismatch(self, gradient: outputGradient.shape, output: output.shape)
        }
        guard needInputGradient else { return nil }
        inputGradient.resize(to: output.shape)
        let k = Softmax.rowLength(output.shape)
        guard k > 0 else { return inputGradient }
        outputGradient.scalars.withUnsafeBufferPointer { g in
            output.scalars.withUnsafeBufferPointer { p in
                inputGradient.scalars.withUnsafeMutableBufferPointer { d in
                    var start = 0
                    while start < g.count {
                        var dot: Float = 0
                        for j in start..<start + k { dot += g[j] * p[j] }
                        for j in start..<start + k { d[j] = p[j] * (g[j] - dot) }
                        start += k
                    }
                }
            }
        }
        return inputGradient
    }
}
