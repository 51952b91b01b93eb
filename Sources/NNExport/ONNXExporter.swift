#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNEngine
import SwiftProtobuf

/// Writes a network as an ONNX model (opset 17) for inference in onnxruntime and other tools.
///
/// Input `input` of shape [batch, ...] with a symbolic batch dimension, output `output`.
/// Each layer writes its own nodes (`Layer.exportONNX`): linear → Gemm, the activations to
/// their operators, dropout → Identity (inference), batchnorm → BatchNormalization with the
/// running statistics. Weights are initializers named as in the state_dict (`0.weight`).
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
        guard !network.layers.isEmpty else { throw EngineError("cannot export an empty network") }
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in network.namedParameters { tensors[name] = parameter.value }
        let graph = GraphBuilder(tensors: tensors)
        var current = "input"
        for (index, layer) in network.layers.enumerated() {
            graph.layerIndex = index
            current = try layer.exportONNX(current, to: graph)
        }
        graph.renameLastOutput(from: current, to: "output")

        var proto = Onnx_GraphProto()
        proto.name = "nns"
        proto.docString = network.description
        proto.node = graph.nodes
        proto.initializer = graph.initializers
        // Without a sized layer the network takes any shape: one symbolic feature axis then.
        proto.input = [valueInfo("input", sample: network.inputShape ?? [nil])]
        proto.output = [valueInfo("output", sample: (network.outputShapes.last ?? nil) ?? [nil])]

        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "nns"
        model.producerVersion = "1"
        model.docString = network.description
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.graph = proto
        return model
    }

    /// A float tensor [batch, ...sample]; unknown extents symbolic.
    static func valueInfo(_ name: String, sample: SampleShape) -> Onnx_ValueInfoProto {
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "batch"
        var shape = Onnx_TensorShapeProto()
        shape.dim = [batch] + sample.enumerated().map { axis, extent in
            var d = Onnx_TensorShapeProto.Dimension()
            if let extent { d.dimValue = Int64(extent) } else { d.dimParam = sample.count == 1 ? "features" : "\(name)_\(axis + 1)" }
            return d
        }
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

/// Accumulates nodes and initializers, one layer at a time: the writer layers describe
/// themselves to. Node names are the layer's index and operator (`0_Gemm`).
final class GraphBuilder: ONNXGraphWriter {
    let tensors: [String: Tensor]
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    /// The layer whose nodes are being added (names its nodes and parameters).
    var layerIndex = 0
    private var constants: Set<String> = []
    private var names: Set<String> = []

    init(tensors: [String: Tensor]) { self.tensors = tensors }

    /// Renames the value the last node produces (the network's output).
    func renameLastOutput(from old: String, to new: String) {
        guard let last = nodes.indices.last, nodes[last].output == [old] else { return }
        nodes[last].output = [new]
    }

    func node(_ op: String, _ inputs: [String], attributes: [ONNXAttribute], tag: String?) -> String {
        var name = "\(layerIndex)_" + (tag.map { "\($0)_" } ?? "") + op
        if names.contains(name) {
            var n = 2
            while names.contains(name + "_\(n)") { n += 1 }
            name += "_\(n)"
        }
        names.insert(name)
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = name
        node.input = inputs
        node.output = [name + "_output"]
        node.attribute = attributes.map(GraphBuilder.attribute)
        nodes.append(node)
        return node.output[0]
    }

    /// Adds the state_dict tensor `<layer>.<name>` as an initializer.
    func parameter(_ name: String) throws -> String {
        let fullName = "\(layerIndex).\(name)"
        guard let tensor = tensors[fullName] else { throw EngineError("cannot export: the network has no parameter \(fullName)") }
        initializers.append(GraphBuilder.initializer(fullName, tensor))
        return fullName
    }

    /// A shared scalar constant, added once.
    func constant(_ name: String, _ value: Float) -> String {
        if constants.insert(name).inserted {
            initializers.append(GraphBuilder.initializer(name, Tensor(scalar: value)))
        }
        return name
    }

    func constant(_ name: String, int64s: [Int64]) -> String {
        let fullName = "\(layerIndex)_\(name)"
        if constants.insert(fullName).inserted {
            var proto = Onnx_TensorProto()
            proto.name = fullName
            proto.dims = [Int64(int64s.count)]
            proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            proto.int64Data = int64s
            initializers.append(proto)
        }
        return fullName
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

    static func attribute(_ attribute: ONNXAttribute) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        switch attribute {
        case let .int(name, value):
            a.name = name
            a.type = .int
            a.i = value
        case let .ints(name, values):
            a.name = name
            a.type = .ints
            a.ints = values
        case let .float(name, value):
            a.name = name
            a.type = .float
            a.f = value
        }
        return a
    }
}
