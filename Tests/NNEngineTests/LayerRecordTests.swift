import Testing
@testable import NNEngine

/// Each layer's saved record (`nns.layers`) and printed source, through the registry.
@Suite struct LayerRecordTests {
    static func everyKind() throws -> [Layer] {
        [try Linear(inputs: 3, outputs: 4), try BatchNorm(features: 4), Activation(.leakyRelu(alpha: 0.01)),
         try Dropout(p: 0.25), Activation(.elu(alpha: 1)), Activation(.gelu), Activation(.tanh), Activation(.relu),
         Activation(SiLU.self), Activation(Softplus.self), Activation(.identity), Activation(.step), Activation(.sigmoid), Softmax()]
    }

    @Test func everyKindRoundTripsThroughJSON() throws {
        let layers = try Self.everyKind()
        let text = LayerRegistry.encode(layers)
        #expect(text.contains(#"{"kind":"linear","in":3,"out":4}"#))
        #expect(text.contains(#"{"kind":"leaky_relu","alpha":0.01}"#))   // shortest digits, not 0.009999999776
        #expect(text.contains(#"{"kind":"elu","alpha":1}"#))
        #expect(text.contains(#"{"kind":"batchnorm","n":4,"eps":1e-05,"momentum":0.1}"#))
        #expect(text.contains(#"{"kind":"silu"}"#))
        let rebuilt = try LayerRegistry.decode(text).map(LayerRegistry.make)
        #expect(rebuilt.map(\.description) == layers.map(\.description))
        for (layer, copy) in zip(layers, rebuilt) {
            #expect(copy.parameters.map(\.name) == layer.parameters.map(\.name))
            #expect(copy.parameters.map(\.value.shape) == layer.parameters.map(\.value.shape))
        }
    }

    @Test func parameterShapesAreKnownBeforeBuilding() throws {
        let records = try LayerRegistry.decode(#"[{"kind":"linear","in":2,"out":5},{"kind":"batchnorm","n":5}]"#)
        #expect(try LayerRegistry.parameterShapes(of: records[0]).map(\.shape) == [[5, 2], [5]])
        #expect(try LayerRegistry.parameterShapes(of: records[1]).map(\.name)
                == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
    }

    @Test func layersPrintAsTheSourceThatBuildsThem() throws {
        #expect(try Linear(inputs: 4, outputs: 3).description == "linear(4, 3)")
        #expect(try BatchNorm(features: 4).description == "batchnorm(4)")
        #expect(try Dropout(p: 0.5).description == "dropout(0.5)")
        #expect(Activation(SiLU.self).description == "silu")
        #expect(try Network([Linear(inputs: 2, outputs: 2), Activation(.sigmoid)]).description == "linear(2, 2) |> sigmoid")
    }

    @Test func damagedRecordsAreRefusedWithTheirPosition() throws {
        #expect(throws: EngineError.self) { try LayerRegistry.decode(#"[{"kind":"linear","in":2,"out":5},{"kind":"warp"}]"#) }
        let records = try LayerRegistry.decode(#"[{"kind":"linear","in":0,"out":5}]"#)
        do {
            _ = try LayerRegistry.make(records[0])
            Issue.record("a zero-width linear record was accepted")
        } catch let e as EngineError {
            #expect(e.message.contains("layer 1") && e.message.contains("\"in\""))
        }
        // nns's batchnorm has fixed eps and momentum; a file asking for others is refused.
        let odd = try LayerRegistry.decode(#"[{"kind":"batchnorm","n":2,"eps":0.001}]"#)
        #expect(throws: EngineError.self) { try LayerRegistry.make(odd[0]) }
    }
}
