import Testing
import NNEngine
@testable import NNSLanguage

@Suite struct JSONTests {
    let encoder = JSONEncoderContext()

    @Test func scalarsAndContainers() {
        #expect(encoder.encode(.number(2)) == "2")
        #expect(encoder.encode(.number(0.25)) == "0.25")
        #expect(encoder.encode(.number(.nan)) == "null")
        #expect(encoder.encode(.number(-.infinity)) == "null")
        #expect(encoder.encode(.none) == "null")
        #expect(encoder.encode(.bool(false)) == "false")
        #expect(encoder.encode(.string("a\"\\\n\u{1}")) == "\"a\\\"\\\\\\n\\u0001\"")
        #expect(encoder.encode(.list([.number(1), .string("x")])) == "[1,\"x\"]")
        #expect(encoder.encode(.record([("lr", .number(0.1)), ("ok", .bool(true))])) == "{\"lr\":0.1,\"ok\":true}")
    }

    @Test func tensorsAreNestedArraysAndZeroDIsANumber() {
        #expect(encoder.encode(.tensor(Tensor(rows: [[1, 0.5], [.nan, 2]]))) == "[[1,0.5],[null,2]]")
        #expect(encoder.encode(.tensor(Tensor(scalar: 3))) == "3")
    }

    @Test func networkHasLayersAndParams() throws {
        let text = try evalText("json(linear(2, 1, weight: [[0.5, -1]], bias: [0.25]) |> sigmoid)")
        #expect(text == "{\"layers\":[\"linear(2, 1)\",\"sigmoid\"],\"params\":{\"0.weight\":[[0.5,-1]],\"0.bias\":[0.25]}}")
        // A lone layer with weights is a one-layer network; one without is its text.
        #expect(try evalText("json([leaky_relu(alpha: 0.2), relu])") == "[\"leaky_relu(alpha: 0.2)\",\"relu\"]")
        #expect(try evalText("json({m: linear(2, 1, weight: [[0.5, -1]], bias: [0.25])})")
                == "{\"m\":{\"layers\":[\"linear(2, 1)\"],\"params\":{\"0.weight\":[[0.5,-1]],\"0.bias\":[0.25]}}}")
    }

    @Test func otherValuesAreTheirPrintedText() throws {
        #expect(try evalText("json(relu)") == "\"relu\"")
        #expect(try evalText("json(range(3))") == "[0,1,2]")
    }

    @Test func historyIsAnObjectOfColumns() throws {
        let text = try evalText("seed(1); h = train(linear(2, 1) |> sigmoid, and_gate, optimizer: sgd(lr: 0.5), epochs: 3, batch: 4); json(h)")
        #expect(text.hasPrefix("{\"epoch\":[1,2,3],\"loss\":["))
        #expect(text.contains("\"accuracy\":["))
        #expect(text.hasSuffix("\"lr\":[0.5,0.5,0.5]}"))
    }

    /// SPEC §1 lists no JSON form for a data set, so it is its printed text; its tensors
    /// are a member away.
    @Test func datasetIsItsPrintedText() throws {
        #expect(try evalText("json(dataset([[1, 2]], [0]))") == "\"dataset(1 example, 2 features → 1 class)\"")
        #expect(try evalText("d = dataset([[1, 2]], [0]); json([d.x, d.y])") == "[[[1,2]],[0]]")
    }
}
