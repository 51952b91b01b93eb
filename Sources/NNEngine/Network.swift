/// A sequence of layers applied in order: the layer graph the language builds with `|>`.
///
/// Composition checks shapes at once, so a mismatch is reported where the user wrote it,
/// naming both layers. Parameters are named as PyTorch's `nn.Sequential.state_dict()` names
/// them: the layer's position, a dot, the parameter's name (`0.weight`, `2.bias`).
///
/// Composition also resolves `init: "auto"` of each linear layer now that the next layer is
/// known (see `WeightInit`). A parameterless layer (an activation) used twice is copied,
/// since each position caches its own forward; a layer with parameters used twice is an
/// error (its caches could serve only one position).
public final class Network: CustomStringConvertible {
    public private(set) var layers: [Layer]

    /// Whether `linear |> relu` (and `conv2d |> relu`) runs as one kernel call with a relu epilogue (on by default;
    /// a traced pass never fuses, so the trace shows z and a separately).
    public var fusesLinearReLU = true

    /// ∂C/∂ŷ of the latest `lossAndGradients`, kept so a training loop allocates nothing.
    var lossGradient: Tensor? = Tensor(zeros: [0])

    /// The shape of one input sample, as far as the layers tell it (nil: any).
    public let inputShape: SampleShape?
    /// Each layer's output shape for one sample, as composition worked it out.
    public let outputShapes: [SampleShape?]

    /// Builds a network, checking that each layer accepts what the one before it gives.
    public init(_ layers: [Layer]) throws {
        self.layers = try Network.distinctLayers(layers)
        inputShape = Network.requiredInputShape(self.layers)
        outputShapes = try Network.composedShapes(self.layers, input: nil)
        Network.resolveAutoInit(self.layers)
    }

    /// The number of input features of a flat sample, when the network takes vectors of one
    /// width (`linear(784, …)` or `reshape(1, 28, 28)` first).
    public var inputWidth: Int? { SampleShapes.width(inputShape) }

    /// The number of outputs per sample for samples of `width` features: the data's width
    /// through every layer's shape rule. Throws when the network cannot take such samples
    /// or does not end in a vector per sample.
    public func outputWidth(forInput width: Int) throws -> Int {
        let shapes = try Network.composedShapes(layers, input: [width])
        let last = shapes.last ?? [width]
        guard let last, last.count == 1, let k = last[0] else {
            throw EngineError("the network gives each sample an output of shape \(SampleShapes.batchText(last)), not a vector",
                              hint: "end it with flatten and a linear layer, e.g. flatten |> linear(n, 10)")
        }
        return k
    }

    /// The shape of one sample after every layer, for input samples of shape `input`.
    public func sampleShapes(forInput input: SampleShape?) throws -> [SampleShape?] {
        try Network.composedShapes(layers, input: input)
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
        // Shapes were checked when self was built; a copy has the same layers.
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
            guard let layer = layer as? AutoInitializing, layer.isAutoInitPending else { continue }
            guard let next = layers[(index + 1)...].first(where: { !$0.isTransparentToInit }) else { continue }
            layer.resolveAutoInit(nextIsReLUFamily: next.isReLUFamily)
        }
    }

    /// The input shape of the first layer that requires one, when the layers before it
    /// take any shape and give it on unchanged (activations, dropout).
    static func requiredInputShape(_ layers: [Layer]) -> SampleShape? {
        for layer in layers {
            if let shape = layer.inputShape { return shape }
            guard (try? layer.outputShape(forInput: nil)) == .some(nil) else { return nil }
        }
        return nil
    }

    /// Each layer's output shape, from an input sample of shape `input` (nil: unknown),
    /// checking that every layer takes what the one before it gives. Errors name both layers
    /// ("layer 2 expects 128 inputs but layer 1 gives 256").
    static func composedShapes(_ layers: [Layer], input: SampleShape?) throws -> [SampleShape?] {
        var shape = input
        var giver: Int? = nil
        var shapes: [SampleShape?] = []
        for (index, layer) in layers.enumerated() {
            let output: SampleShape?
            do {
                output = try layer.outputShape(forInput: shape)
            } catch let problem as ShapeProblem {
                throw shapeError(problem, layers: layers, at: index, giver: giver)
            }
            if output != shape || layer.inputShape != nil { giver = index }
            shapes.append(output)
            shape = output
        }
        return shapes
    }

    private static func shapeError(_ problem: ShapeProblem, layers: [Layer], at index: Int, giver: Int?) -> EngineError {
        let layer = layers[index]
        switch problem {
        case let .expects(expected, given, fix):
            guard let giver else {
                return EngineError("layer \(index + 1) expects \(expected) but the input gives \(given)",
                                   hint: "layer \(index + 1) is \(layer); \(fix)")
            }
            return EngineError("layer \(index + 1) expects \(expected) but layer \(giver + 1) gives \(given)",
                               hint: "layer \(giver + 1) is \(layers[giver]), layer \(index + 1) is \(layer); \(fix)")
        case let .needs(what, fix):
            return EngineError("\(layer) at layer \(index + 1) \(what)", hint: fix)
        }
    }
}
