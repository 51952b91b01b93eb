/// A sequence of layers applied in order: the layer graph the language builds with `|>`.
///
/// Composition checks widths at once, so a mismatch is reported where the user wrote it,
/// naming both layers. Parameters are named as PyTorch's `nn.Sequential.state_dict()` names
/// them: the layer's position, a dot, the parameter's name (`0.weight`, `2.bias`).
///
/// Composition also resolves `init: "auto"` of each linear layer now that the next layer is
/// known (see `WeightInit`). A parameterless layer (an activation) used twice is copied,
/// since each position caches its own forward; a layer with parameters used twice is an
/// error (its caches could serve only one position).
public final class Network: CustomStringConvertible {
    public private(set) var layers: [Layer]

    /// Whether `linear |> relu` runs as one kernel call with a relu epilogue (on by default;
    /// a traced pass never fuses, so the trace shows z and a separately).
    public var fusesLinearReLU = true

    /// ∂C/∂ŷ of the latest `lossAndGradients`, kept so a training loop allocates nothing.
    var lossGradient: Tensor? = Tensor(zeros: [0])

    /// Builds a network, checking that each layer accepts what the one before it gives.
    public init(_ layers: [Layer]) throws {
        self.layers = try Network.distinctLayers(layers)
        try Network.checkWidths(self.layers)
        Network.resolveAutoInit(self.layers)
    }

    /// The input width the network requires, or nil when its first sized layer is preceded
    /// only by width-agnostic ones and none exists.
    public var inputWidth: Int? {
        for layer in layers { if let w = layer.inputWidth { return w } }
        return nil
    }

    /// The output width for `width` input features.
    public func outputWidth(forInput width: Int) -> Int {
        layers.reduce(width) { $1.outputWidth(forInput: $0) }
    }

    /// Every parameter with its state_dict name, in order.
    public var namedParameters: [(name: String, parameter: Parameter)] { Network.namedParameters(of: layers) }

    /// The parameters of `layers` as a network of them would name them, for layers not (or
    /// not yet) composed into one.
    public static func namedParameters(of layers: [Layer]) -> [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { index, layer in
            layer.parameters.map { (name: "\(index).\($0.name)", parameter: $0) }
        }
    }

    /// The number of trainable scalars (what `nparams` reports).
    public var parameterCount: Int {
        namedParameters.filter { $0.parameter.isTrainable }.reduce(0) { $0 + $1.parameter.value.count }
    }

    /// The pipeline that builds this network, as nns source.
    public var description: String {
        layers.map(\.description).joined(separator: " |> ")
    }

    /// A deep copy with its own parameters.
    public func copy() -> Network {
        // Widths were checked when self was built; a copy has the same layers.
        let copy = try! Network(layers.map { $0.copy() })
        copy.fusesLinearReLU = fusesLinearReLU
        return copy
    }

    /// Copies repeated parameterless layers; rejects repeated layers with parameters.
    static func distinctLayers(_ layers: [Layer]) throws -> [Layer] {
        var seen = [ObjectIdentifier: Int]()
        var result = [Layer]()
        for (index, layer) in layers.enumerated() {
            if let first = seen[ObjectIdentifier(layer)] {
                guard layer.parameters.isEmpty else {
                    throw EngineError("layer \(index + 1) is the same \(layer.kind) layer as layer \(first + 1)",
                                      hint: "sharing weights between positions is not supported; create a second layer, e.g. with its own \(layer.kind)(...) call")
                }
                result.append(layer.copy())
            } else {
                seen[ObjectIdentifier(layer)] = index
                result.append(layer)
            }
        }
        return result
    }

    /// `init: "auto"`: He before a relu-family layer, Xavier otherwise; dropout and batchnorm
    /// in between are looked through. A linear layer with nothing after it stays pending.
    static func resolveAutoInit(_ layers: [Layer]) {
        for (index, layer) in layers.enumerated() {
            guard let linear = layer as? Linear, linear.isAutoInitPending else { continue }
            guard let next = layers[(index + 1)...].first(where: { !($0 is Dropout || $0 is BatchNorm) }) else {
                continue
            }
            linear.resolveAutoInit(nextIsReLUFamily: (next as? Activation)?.function.isReLUFamily ?? false)
        }
    }

    static func checkWidths(_ layers: [Layer]) throws {
        var width: Int? = nil
        var giver = 0
        for (index, layer) in layers.enumerated() {
            if let expected = layer.inputWidth, let given = width, expected != given {
                throw EngineError(
                    "layer \(index + 1) expects \(expected) inputs but layer \(giver + 1) gives \(given)",
                    hint: "layer \(giver + 1) is \(layers[giver]), layer \(index + 1) is \(layer); make their sizes agree")
            }
            if let w = width ?? layer.inputWidth {
                let out = layer.outputWidth(forInput: w)
                if out != w || layer.inputWidth != nil { giver = index }
                width = out
            }
        }
    }
}
