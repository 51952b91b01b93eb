/// A layer's architecture without its numbers: what `save` records in a file's metadata (as
/// the JSON list `nns.layers`) so `load` can rebuild the network, and what the exporters
/// translate into ONNX nodes and PyTorch modules.
///
/// JSON form, one object per layer: `{"kind":"linear","in":2,"out":2}`, `{"kind":"sigmoid"}`,
/// `{"kind":"leaky_relu","alpha":0.01}`, `{"kind":"elu","alpha":1}`, `{"kind":"dropout","p":0.5}`,
/// `{"kind":"batchnorm","n":4,"eps":1e-05,"momentum":0.1}`.
public enum LayerSpec: Equatable, Sendable {
    case linear(inputs: Int, outputs: Int)
    case sigmoid, tanh, relu, gelu, softmax, identity, step
    case leakyReLU(alpha: Float)
    case elu(alpha: Float)
    case dropout(p: Double)
    /// `momentum` as PyTorch means it: running = (1 − momentum)·running + momentum·batch.
    case batchnorm(features: Int, epsilon: Float, momentum: Float)

    /// The builtin's name, as `Layer.kind` gives it.
    public var kind: String {
        switch self {
        case .linear: return "linear"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .gelu: return "gelu"
        case .softmax: return "softmax"
        case .identity: return "identity"
        case .step: return "step"
        case .leakyReLU: return "leaky_relu"
        case .elu: return "elu"
        case .dropout: return "dropout"
        case .batchnorm: return "batchnorm"
        }
    }

    /// The tensors the layer stores, in PyTorch's state_dict order, with their shapes.
    /// Batchnorm's `num_batches_tracked` is a 0-d count (an I64 in files, as PyTorch has it).
    public var parameterShapes: [(name: String, shape: [Int])] {
        switch self {
        case let .linear(inputs, outputs): return [("weight", [outputs, inputs]), ("bias", [outputs])]
        case let .batchnorm(n, _, _):
            return [("weight", [n]), ("bias", [n]), ("running_mean", [n]), ("running_var", [n]), ("num_batches_tracked", [])]
        default: return []
        }
    }

    /// The output width for `width` inputs (only linear changes it).
    public func outputWidth(forInput width: Int) -> Int {
        if case let .linear(_, outputs) = self { return outputs }
        return width
    }

    /// The input width the layer requires, if any.
    public var inputWidth: Int? {
        switch self {
        case let .linear(inputs, _): return inputs
        case let .batchnorm(n, _, _): return n
        default: return nil
        }
    }

    // MARK: JSON

    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("kind", .string(kind))]
        switch self {
        case let .linear(inputs, outputs): members += [("in", .integer(inputs)), ("out", .integer(outputs))]
        case let .leakyReLU(alpha), let .elu(alpha): members.append(("alpha", LayerSpec.number(alpha)))
        case let .dropout(p): members.append(("p", LayerSpec.number(p)))
        case let .batchnorm(n, epsilon, momentum):
            members += [("n", .integer(n)), ("eps", LayerSpec.number(epsilon)), ("momentum", LayerSpec.number(momentum))]
        default: break
        }
        return .object(members)
    }

    /// A Float written with its shortest round-tripping digits ("0.01", not 0.009999999776).
    static func number(_ x: Float) -> JSONValue { number(ShortestNumber.widened(x)) }

    static func number(_ x: Double) -> JSONValue {
        if x == x.rounded(), abs(x) < 1e15 { return .integer(Int(x)) }
        return .number(x)
    }

    /// Reads one layer's JSON form. `index` (from 1) names the layer in errors.
    public init(json: JSONValue, index: Int) throws {
        func bad(_ problem: String) -> EngineError {
            EngineError("layer \(index) of the saved architecture \(problem)",
                        hint: "the nns.layers metadata is damaged; load the tensors with load(path, into: net) instead")
        }
        guard json.objectValue != nil, let kind = json["kind"]?.stringValue else { throw bad("has no \"kind\"") }
        func count(_ key: String) throws -> Int {
            guard let n = json[key]?.intValue, n > 0, n <= 1 << 24 else { throw bad("(\(kind)) needs a positive integer \"\(key)\"") }
            return n
        }
        func real(_ key: String, default value: Float? = nil) throws -> Float {
            if json[key] == nil, let value { return value }
            guard let d = json[key]?.doubleValue, d.isFinite else { throw bad("(\(kind)) needs a number \"\(key)\"") }
            return Float(d)
        }
        switch kind {
        case "linear": self = .linear(inputs: try count("in"), outputs: try count("out"))
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "relu": self = .relu
        case "gelu": self = .gelu
        case "softmax": self = .softmax
        case "identity": self = .identity
        case "step": self = .step
        case "leaky_relu": self = .leakyReLU(alpha: try real("alpha", default: 0.01))
        case "elu": self = .elu(alpha: try real("alpha", default: 1))
        case "dropout":
            guard let p = json["p"]?.doubleValue, p >= 0, p <= 1 else { throw bad("(dropout) needs a probability \"p\" in [0, 1]") }
            self = .dropout(p: p)
        case "batchnorm":
            let epsilon = try real("eps", default: 1e-5)
            guard epsilon > 0 else { throw bad("(batchnorm) has eps = \(epsilon); it must be positive") }
            self = .batchnorm(features: try count("n"), epsilon: epsilon, momentum: try real("momentum", default: 0.1))
        default: throw bad("has unknown kind \"\(kind)\"")
        }
    }

    /// Encodes a list as the `nns.layers` metadata string.
    public static func encode(_ specs: [LayerSpec]) -> String {
        JSONValue.array(specs.map(\.json)).serialized
    }

    /// Decodes the `nns.layers` metadata string, checking that consecutive widths agree.
    public static func decode(_ text: String) throws -> [LayerSpec] {
        let hint = "the nns.layers metadata is damaged; load the tensors with load(path, into: net) instead"
        let json: JSONValue
        do { json = try JSONValue.parse(text, maxDepth: 4) } catch {
            throw EngineError("the saved architecture (nns.layers) is not valid JSON: \(error)", hint: hint)
        }
        guard let items = json.arrayValue, !items.isEmpty else {
            throw EngineError("the saved architecture (nns.layers) is not a non-empty list of layers", hint: hint)
        }
        let specs = try items.enumerated().map { try LayerSpec(json: $1, index: $0 + 1) }
        var width: Int? = nil
        for (i, spec) in specs.enumerated() {
            if let expected = spec.inputWidth, let given = width, expected != given {
                throw EngineError("the saved architecture is inconsistent: layer \(i + 1) expects \(expected) inputs but gets \(given)", hint: hint)
            }
            if let w = width ?? spec.inputWidth { width = spec.outputWidth(forInput: w) }
        }
        return specs
    }
}
