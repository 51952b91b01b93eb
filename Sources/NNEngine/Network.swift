/// A sequence of layers applied in order: the layer graph the language builds with `|>`.
///
/// Composition checks widths at once, so a mismatch is reported where the user wrote it,
/// naming both layers. Parameters are named as PyTorch's `nn.Sequential.state_dict()` names
/// them: the layer's position, a dot, the parameter's name (`0.weight`, `2.bias`).
public final class Network: CustomStringConvertible {
    public private(set) var layers: [Layer]

    /// Builds a network, checking that each layer accepts what the one before it gives.
    public init(_ layers: [Layer]) throws {
        self.layers = layers
        try Network.checkWidths(layers)
    }

    /// `self |> other`, flattened: `(a |> b) |> c` has three layers.
    public func composed(with other: Network) throws -> Network {
        try Network(layers + other.layers)
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
    public var namedParameters: [(name: String, parameter: Parameter)] {
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
        try! Network(layers.map { $0.copy() })
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
