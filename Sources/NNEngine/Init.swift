/// How a linear layer's weights `W` (shape `[out, in]`) start. Biases always start at zero.
///
/// | name      | distribution                          | as in                                   |
/// |-----------|---------------------------------------|-----------------------------------------|
/// | `he`      | normal, std √(2/in)                   | `torch.nn.init.kaiming_normal_` (fan_in, relu), Keras `he_normal` without truncation |
/// | `xavier`  | normal, std √(2/(in+out))             | `torch.nn.init.xavier_normal_`, Keras `glorot_normal` without truncation |
/// | `normal`  | normal, std 0.01                      | the notes' `np.random.randn(out, in) * 0.01` |
/// | `uniform` | uniform on [−1/√in, 1/√in)            | PyTorch's default for `nn.Linear`        |
/// | `zeros`   | all zero                              | (every unit learns the same thing: a demonstration of why not) |
/// | `auto`    | He when the next layer is relu-family (relu, leaky_relu, elu, gelu), Xavier otherwise |  |
///
/// `auto` cannot know the next layer when `linear(...)` is evaluated, so the layer draws
/// standard normals at creation (the same draws whatever comes next, so the random stream
/// does not depend on composition), scales them by Xavier's std, and the network rescales
/// them to He's when it is composed with a relu-family layer after it (dropout and batchnorm
/// in between are looked through) — as long as the weights are still the untouched draws.
public enum WeightInit: String, CaseIterable, Sendable {
    case auto, he, xavier, normal, uniform, zeros

    /// Standard deviation of He initialisation for `inputs` incoming connections.
    public static func heStandardDeviation(inputs: Int) -> Double {
        (2.0 / Double(max(1, inputs))).squareRoot()
    }

    /// Standard deviation of Xavier (Glorot) initialisation.
    public static func xavierStandardDeviation(inputs: Int, outputs: Int) -> Double {
        (2.0 / Double(max(1, inputs + outputs))).squareRoot()
    }

    /// A fresh `[outputs, inputs]` weight matrix drawn from `source`. For `auto` this is the
    /// Xavier-scaled matrix; `Network` may rescale it later (see the type's documentation).
    public func weights(outputs: Int, inputs: Int, source: RandomSource) -> Tensor {
        let count = outputs * inputs
        let scalars: [Float]
        switch self {
        case .zeros:
            scalars = [Float](repeating: 0, count: count)
        case .uniform:
            let bound = 1 / Double(max(1, inputs)).squareRoot()
            scalars = source.uniforms(count: count, low: -bound, high: bound)
        case .normal, .he, .xavier, .auto:
            let std: Double
            switch self {
            case .normal: std = 0.01
            case .he: std = Self.heStandardDeviation(inputs: inputs)
            default: std = Self.xavierStandardDeviation(inputs: inputs, outputs: outputs)
            }
            scalars = source.withGenerator { g in
                (0..<count).map { _ in Float(std * g.normal()) }
            }
        }
        return Tensor(shape: [outputs, inputs], scalars: scalars)
    }
}

/// `init: "auto"` waiting for the layer after it (linear, conv2d): the weights were drawn
/// Xavier-scaled, and a fingerprint of those draws tells whether they are still untouched
/// (not given, set or trained since) when composition resolves them.
struct PendingAutoInit {
    private var fingerprint: Int?

    /// Pending for `weights` just drawn by `init: "auto"`; resolved (nothing to do) otherwise.
    init(weights: Tensor, pending: Bool) {
        fingerprint = pending ? PendingAutoInit.fingerprint(weights) : nil
    }

    /// True while unresolved and `weights` are still the initial draws.
    func isPending(_ weights: Tensor) -> Bool {
        fingerprint.map { $0 == PendingAutoInit.fingerprint(weights) } ?? false
    }

    /// Resolves: rescales the Xavier draws to He's deviation before a relu-family layer.
    /// Returns whether it did; a no-op once resolved or when the weights changed.
    mutating func resolve(_ weight: Parameter, fanIn: Int, fanOut: Int, nextIsReLUFamily: Bool) -> Bool {
        defer { fingerprint = nil }
        guard isPending(weight.value), nextIsReLUFamily else { return false }
        let ratio = Float(WeightInit.heStandardDeviation(inputs: fanIn)
                          / WeightInit.xavierStandardDeviation(inputs: fanIn, outputs: fanOut))
        weight.value.scalars.withUnsafeMutableBufferPointer { w in
            for i in w.indices { w[i] *= ratio }
        }
        return true
    }

    /// A hash of the weights' shape and bits (composition time only, never per step).
    private static func fingerprint(_ w: Tensor) -> Int {
        var h = Hasher()
        h.combine(w.shape)
        w.scalars.withUnsafeBufferPointer { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        return h.finalize()
    }
}
