#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNEngine
import SwiftProtobuf

/// Writes a network as an ONNX model (opset 17) for inference in onnxruntime and other tools.
///
/// Input `input` of shape [batch, in] with a symbolic batch dimension, output `output`.
/// Layers map to: linear → Gemm (transB = 1, since W is [out, in]); the activations to their
/// ONNX operators; gelu (exact) → 0.5·x·(1 + Erf(x/√2)), because Gelu arrived only in opset 20;
/// step → Cast(GreaterOrEqual(x, 0)); dropout and identity → Identity (inference);
/// batchnorm → BatchNormalization with the running statistics.
/// Weights are initializers named as in the state_dict (`0.weight`).
public enum ONNXExporter {
    public static let opsetVersion: Int64 = 17
    /// The IR version that goes with opset 17.
    static let irVersion: Int64 = 8

    /// Writes `network` to `path` atomically.
    /// - Throws: `EngineError` when the network cannot be described or the file not written.
    public static func export(_ network: Network, to path: String, using io: FileIO = .system) throws {
        let bytes = try serializedModel(for: network)
        try AtomicFile.write(bytes, to: path, using: io)
    }

    /// The model's protobuf bytes.
    public static func serializedModel(for network: Network) throws -> [UInt8] {
        let model = try self.model(for: network)
        do {
            return Array(try model.serializedBytes() as [UInt8])
        } catch {
            throw EngineError("could not encode the ONNX model: \(error)")
        }
    }

    static func model(for network: Network) throws -> Onnx_ModelProto {
        let specs = try network.layers.map { try LayerSpec(layer: $0) }
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in network.namedParameters { tensors[name] = parameter.value }
        return try model(specs: specs, tensors: tensors, description: network.description)
    }

    /// The model for layers `specs` whose parameters are `tensors` (state_dict names).
    static func model(specs: [LayerSpec], tensors: [String: Tensor], description: String) throws -> Onnx_ModelProto {
        guard !specs.isEmpty else { throw EngineError("cannot export an empty network") }
        var graph = GraphBuilder(tensors: tensors)
        var current = "input"
        for (index, spec) in specs.enumerated() {
            current = try graph.add(spec, index: index, input: current)
        }
        graph.renameLastOutput(from: current, to: "output")

        // Without a sized layer (linear, batchnorm) the network takes any width.
        let inputWidth = specs.lazy.compactMap(\.inputWidth).first
        var width = inputWidth
        for spec in specs { if let w = width { width = spec.outputWidth(forInput: w) } }

        var proto = Onnx_GraphProto()
        proto.name = "nns"
        proto.docString = description
        proto.node = graph.nodes
        proto.initializer = graph.initializers
        proto.input = [valueInfo("input", features: inputWidth)]
        proto.output = [valueInfo("output", features: width)]

        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "nns"
        model.producerVersion = "1"
        model.docString = description
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.graph = proto
        return model
    }

    /// A float tensor [batch, features]; either extent symbolic when unknown.
    static func valueInfo(_ name: String, features: Int?) -> Onnx_ValueInfoProto {
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "batch"
        var feature = Onnx_TensorShapeProto.Dimension()
        if let features { feature.dimValue = Int64(features) } else { feature.dimParam = "features" }
        var shape = Onnx_TensorShapeProto()
        shape.dim = [batch, feature]
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensorType.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}

/// Accumulates nodes and initializers, one layer at a time.
struct GraphBuilder {
    let tensors: [String: Tensor]
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    private var constants: Set<String> = []

    init(tensors: [String: Tensor]) { self.tensors = tensors }

    /// Adds the nodes computing layer `index`; returns the name of its output value.
    mutating func add(_ spec: LayerSpec, index: Int, input x: String) throws -> String {
        let p = "\(index)"
        switch spec {
        case .linear:
            let w = try parameter("\(p).weight", spec.parameterShapes[0].shape)
            let b = try parameter("\(p).bias", spec.parameterShapes[1].shape)
            return node("Gemm", [x, w, b], name: "\(p)_Gemm", attributes: [.int("transB", 1)])
        case .sigmoid: return node("Sigmoid", [x], name: "\(p)_Sigmoid")
        case .tanh: return node("Tanh", [x], name: "\(p)_Tanh")
        case .relu: return node("Relu", [x], name: "\(p)_Relu")
        case .softmax: return node("Softmax", [x], name: "\(p)_Softmax", attributes: [.int("axis", -1)])
        case .identity: return node("Identity", [x], name: "\(p)_Identity")
        case .dropout: return node("Identity", [x], name: "\(p)_Dropout")
        case let .leakyReLU(alpha): return node("LeakyRelu", [x], name: "\(p)_LeakyRelu", attributes: [.float("alpha", alpha)])
        case let .elu(alpha): return node("Elu", [x], name: "\(p)_Elu", attributes: [.float("alpha", alpha)])
        case .step:
            // Heaviside as nns defines it: 1 for z ≥ 0.
            let positive = node("GreaterOrEqual", [x, constant("zero", 0)], name: "\(p)_Step_GreaterOrEqual")
            return node("Cast", [positive], name: "\(p)_Step_Cast",
                        attributes: [.int("to", Int64(Onnx_TensorProto.DataType.float.rawValue))])
        case .gelu:
            // Gelu(x) = 0.5·x·(1 + erf(x/√2)), the exact form nns computes.
            let scaled = node("Div", [x, constant("sqrt2", Float(2).squareRoot())], name: "\(p)_Gelu_Div")
            let erf = node("Erf", [scaled], name: "\(p)_Gelu_Erf")
            let onePlus = node("Add", [erf, constant("one", 1)], name: "\(p)_Gelu_Add")
            let times = node("Mul", [x, onePlus], name: "\(p)_Gelu_Mul")
            return node("Mul", [times, constant("half", 0.5)], name: "\(p)_Gelu_Half")
        case let .batchnorm(_, epsilon, momentum):
            // scale, B, input_mean, input_var; num_batches_tracked has no ONNX counterpart.
            let names = try spec.parameterShapes.prefix(4).map { try parameter("\(p).\($0.name)", $0.shape) }
            return node("BatchNormalization", [x] + names, name: "\(p)_BatchNormalization",
                        attributes: [.float("epsilon", epsilon), .float("momentum", 1 - momentum)])
        }
    }

    /// Renames the value the last node produces (the network's output).
    mutating func renameLastOutput(from old: String, to new: String) {
        guard let last = nodes.indices.last, nodes[last].output == [old] else { return }
        nodes[last].output = [new]
    }

    private mutating func node(_ op: String, _ inputs: [String], name: String, attributes: [Attribute] = []) -> String {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = name
        node.input = inputs
        node.output = [name + "_output"]
        node.attribute = attributes.map(\.proto)
        nodes.append(node)
        return node.output[0]
    }

    /// Adds the state_dict tensor `name` as an initializer, checking its shape.
    private mutating func parameter(_ name: String, _ shape: [Int]) throws -> String {
        guard let tensor = tensors[name] else { throw EngineError("cannot export: the network has no parameter \(name)") }
        guard tensor.shape == shape else {
            throw EngineError("cannot export: parameter \(name) has shape \(tensor.shape), expected \(shape)")
        }
        initializers.append(GraphBuilder.initializer(name, tensor))
        return name
    }

    /// A shared scalar constant, added once.
    private mutating func constant(_ name: String, _ value: Float) -> String {
        if constants.insert(name).inserted {
            initializers.append(GraphBuilder.initializer(name, Tensor(scalar: value)))
        }
        return name
    }

    static func initializer(_ name: String, _ tensor: Tensor) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dims = tensor.shape.map(Int64.init)
        proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var bytes = Data(capacity: tensor.count * 4)
        for x in tensor.scalars { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        proto.rawData = bytes
        return proto
    }
}

/// A node attribute, built without repeating the protobuf boilerplate.
enum Attribute {
    case int(String, Int64)
    case float(String, Float)

    var proto: Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        switch self {
        case let .int(name, value):
            a.name = name
            a.type = .int
            a.i = value
        case let .float(name, value):
            a.name = name
            a.type = .float
            a.f = value
        }
        return a
    }
}
