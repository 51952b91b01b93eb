import Testing
@testable import NNEngine

@Suite struct NetworkArchiveLayerSpecTests {
    @Test func everyKindRoundTripsThroughJSON() throws {
        let specs: [LayerSpec] = [.linear(inputs: 3, outputs: 4), .batchnorm(features: 4, epsilon: 1e-5, momentum: 0.1),
                                  .leakyReLU(alpha: 0.01), .dropout(p: 0.25), .elu(alpha: 1), .gelu, .tanh, .relu,
                                  .identity, .step, .sigmoid, .softmax]
        let text = LayerSpec.encode(specs)
        #expect(text.contains(#"{"kind":"leaky_relu","alpha":0.01}"#))   // shortest digits, not 0.009999999776
        #expect(text.contains(#"{"kind":"elu","alpha":1}"#))
        #expect(try LayerSpec.decode(text) == specs)
    }

    @Test func enginelayersMapToSpecsAndBack() throws {
        let layers: [Layer] = [try Linear(inputs: 2, outputs: 5), Activation(.elu(alpha: 0.5)), try Dropout(p: 0.1),
                               try BatchNorm(features: 5), Softmax(), Activation(.step)]
        let specs = try layers.map { try LayerSpec(layer: $0) }
        #expect(specs == [.linear(inputs: 2, outputs: 5), .elu(alpha: 0.5), .dropout(p: 0.1),
                          .batchnorm(features: 5, epsilon: 1e-5, momentum: 0.1), .softmax, .step])
        for (index, (spec, layer)) in zip(specs, layers).enumerated() {
            let rebuilt = try spec.makeLayer(index: index + 1)
            #expect(rebuilt.description == layer.description)
            #expect(rebuilt.parameters.map(\.name) == spec.parameterShapes.map(\.name))
            #expect(rebuilt.parameters.map(\.value.shape) == spec.parameterShapes.map(\.shape))
        }
        // nns's batchnorm has fixed eps and momentum; a file asking for others is refused.
        #expect(throws: EngineError.self) { try LayerSpec.batchnorm(features: 2, epsilon: 1e-3, momentum: 0.1).makeLayer(index: 1) }
    }
}
