import Foundation
import Testing
import NNEngine
@testable import NNExport
import TestFixtures

func floats(_ data: Data) -> [Float] {
    stride(from: 0, to: data.count, by: 4).map { i in
        Float(bitPattern: data[data.startIndex + i..<data.startIndex + i + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }
}

func shape(_ info: Onnx_ValueInfoProto) -> [String] {
    info.type.tensorType.shape.dim.map { d in d.dimParam.isEmpty ? String(d.dimValue) : d.dimParam }
}

@Suite struct ONNXExporterTests {
    @Test func specExampleBecomesGemmsAndSigmoids() throws {
        let bytes = try ONNXExporter.serializedModel(for: HandworkedExample.network())
        let model = try Onnx_ModelProto(serializedBytes: bytes)
        #expect(model.opsetImport.map(\.version) == [17])
        #expect(model.opsetImport.map(\.domain) == [""])
        #expect(model.irVersion == 8)
        let graph = model.graph
        #expect(graph.node.map(\.opType) == ["Gemm", "Sigmoid", "Gemm", "Sigmoid"])
        #expect(graph.node[0].input == ["input", "0.weight", "0.bias"])
        #expect(graph.node[1].input == graph.node[0].output)
        #expect(graph.node[2].input == [graph.node[1].output[0], "2.weight", "2.bias"])
        #expect(graph.node[3].output == ["output"])
        for gemm in [graph.node[0], graph.node[2]] {
            #expect(gemm.attribute.map(\.name) == ["transB"])
            #expect(gemm.attribute[0].i == 1)
            #expect(gemm.attribute[0].type == .int)
        }
        #expect(graph.input.map(\.name) == ["input"])
        #expect(graph.output.map(\.name) == ["output"])
        #expect(shape(graph.input[0]) == ["batch", "2"])
        #expect(shape(graph.output[0]) == ["batch", "1"])
        #expect(graph.input[0].type.tensorType.elemType == 1)  // FLOAT
        let initializers = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
        #expect(Set(initializers.keys) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(initializers["0.weight"]?.dims == [2, 2])
        #expect(initializers["0.weight"].map { floats($0.rawData) } == [0.2, 0.4, 0.3, 0.1])
        #expect(initializers["0.bias"].map { floats($0.rawData) } == [0.1, 0.2])
        #expect(initializers["2.weight"]?.dims == [1, 2])
        #expect(initializers["2.weight"].map { floats($0.rawData) } == [0.6, 0.5])
        #expect(initializers["2.bias"].map { floats($0.rawData) } == [0.3])
        #expect(graph.initializer.allSatisfy { $0.dataType == 1 })
    }

    @Test func everyLayerKindMapsToItsOperators() throws {
        let net = try Network([
            Linear(inputs: 3, outputs: 4), BatchNorm(features: 4), Activation(.leakyRelu(alpha: 0.2)), Dropout(p: 0.5),
            Activation(.elu(alpha: 0.5)), Activation(.gelu), Activation(.tanh), Activation(.relu), Activation(.identity),
            Activation(.step), Linear(inputs: 4, outputs: 2), Softmax(),
        ])
        let graph = try ONNXExporter.model(for: net).graph
        #expect(graph.node.map(\.opType) == [
            "Gemm", "BatchNormalization", "LeakyRelu", "Identity", "Elu",
            "Div", "Erf", "Add", "Mul", "Mul",            // gelu = 0.5·x·(1 + erf(x/√2))
            "Tanh", "Relu", "Identity", "GreaterOrEqual", "Cast", "Gemm", "Softmax",
        ])
        // Each node reads what the one before it wrote (gelu's Mul also reads gelu's input).
        for (a, b) in zip(graph.node, graph.node.dropFirst()) where b.opType != "Mul" {
            #expect(b.input[0] == a.output[0], "\(b.name)")
        }
        let byName = Dictionary(uniqueKeysWithValues: graph.node.map { ($0.name, $0) })
        let batchnorm = try #require(byName["1_BatchNormalization"])
        #expect(batchnorm.input == [graph.node[0].output[0], "1.weight", "1.bias", "1.running_mean", "1.running_var"])
        #expect(batchnorm.attribute.first { $0.name == "epsilon" }?.f == 1e-5)
        #expect(byName["2_LeakyRelu"]?.attribute.first?.f == 0.2)
        #expect(byName["4_Elu"]?.attribute.first?.f == 0.5)
        #expect(byName["11_Softmax"]?.attribute.first.map { ($0.name, $0.i) } ?? ("", 0) == ("axis", -1))
        #expect(byName["9_Step_Cast"]?.attribute.first?.i == 1)  // to FLOAT
        let constants = Dictionary(uniqueKeysWithValues: graph.initializer.filter { $0.dims.isEmpty }.map { ($0.name, floats($0.rawData)) })
        #expect(constants["sqrt2"] == [Float(2).squareRoot()])
        #expect(constants["one"] == [1])
        #expect(constants["half"] == [0.5])
        #expect(constants["zero"] == [0])
        #expect(byName["5_Gelu_Div"]?.input[1] == "sqrt2")
        #expect(graph.initializer.map(\.name).filter { !$0.first!.isLetter }.sorted() ==
            ["0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "10.bias", "10.weight"])
        #expect(graph.node.last?.output == ["output"])
    }

    @Test func widthAgnosticNetworksGetSymbolicFeatures() throws {
        let graph = try ONNXExporter.model(for: Network([Activation(.relu)])).graph
        #expect(shape(graph.input[0]) == ["batch", "features"])
        #expect(shape(graph.output[0]) == ["batch", "features"])
    }

    @Test func exportWritesTheFileAndRejectsUnknownExtensions() throws {
        let dir = NSTemporaryDirectory() + "nns-export-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let written = try NetworkExport.export(HandworkedExample.network(), to: dir + "/model.onnx")
        #expect(written == [dir + "/model.onnx"])
        let model = try Onnx_ModelProto(serializedBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/model.onnx"))))
        #expect(model.graph.node.count == 4)
        #expect(throws: EngineError.self) { try NetworkExport.export(HandworkedExample.network(), to: dir + "/model.txt") }
    }
}
