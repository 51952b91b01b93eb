import Testing
import NNEngine
@testable import NNSLanguage

@Suite struct ValuePrintingTests {
    @Test func numbersPrintShortestWithoutTrailingZero() {
        #expect(Value.number(6).displayText == "6")
        #expect(Value.number(-3).displayText == "-3")
        #expect(Value.number(0.1).displayText == "0.1")
        #expect(Value.number(0.1 + 0.2).displayText == "0.30000000000000004")
        #expect(Value.number(1e-5).displayText == "1e-05")
        #expect(Value.number(.infinity).displayText == "inf")
        #expect(Value.number(-.infinity).displayText == "-inf")
        #expect(Value.number(.nan).displayText == "nan")
        #expect(Value.number(1e20).displayText == "1e+20")
    }

    @Test func stringsAreQuotedOnlyInsideContainers() {
        #expect(Value.string("hi").displayText == "hi")
        #expect(Value.list([.string("a"), .number(1), .bool(true), .none]).displayText == "[\"a\", 1, true, none]")
        #expect(Value.record([("lr", .number(0.1)), ("epochs", .number(5))]).displayText == "{lr: 0.1, epochs: 5}")
        #expect(Value.record([("0.weight", .number(1))]).displayText == "{\"0.weight\": 1}")
        #expect(Value.list([.string("a\"b\n")]).displayText == "[\"a\\\"b\\n\"]")
    }

    @Test func tensorsPrintWithShapeAndFloatShortestElements() {
        let t = Tensor(rows: [[0.2, 0.4], [0.3, 0.1]])
        #expect(Value.tensor(t).displayText == "tensor[2×2] [[0.2, 0.4], [0.3, 0.1]]")
        #expect(Value.tensor(Tensor([1, 2, 3])).displayText == "tensor[3] [1, 2, 3]")
        #expect(Value.tensor(Tensor(scalar: 0.5)).displayText == "tensor[] 0.5")
        #expect(Value.tensor(Tensor(zeros: [0])).displayText == "tensor[0] []")
    }

    @Test func largeTensorsElideTheirMiddle() {
        let t = Tensor((0..<2000).map { Float($0) })
        #expect(Value.tensor(t).displayText == "tensor[2000] [0, 1, 2, ..., 1997, 1998, 1999]")
        let m = Tensor(shape: [100, 100], scalars: (0..<10000).map { Float($0) })
        let lines = Value.tensor(m).displayText.split(separator: "\n")
        #expect(lines[0] == "tensor[100×100]")
        #expect(lines[1] == "[[0, 1, 2, ..., 97, 98, 99],")
        #expect(lines[4] == " ...,")
        #expect(lines.last == " [9900, 9901, 9902, ..., 9997, 9998, 9999]]")
        #expect(lines.count == 8)
    }

    @Test func listThatContainsItselfPrintsFinitely() throws {
        let text = try evalText("a = [1]; append(a, a); a")
        #expect(text == "[1, [...]]")
    }

    @Test func layersAndNetworksPrintAsTheirPipeline() throws {
        #expect(try evalText("linear(2, 2) |> sigmoid") == "linear(2, 2) |> sigmoid")
        #expect(try evalText("relu") == "relu")
        #expect(try evalText("leaky_relu(alpha: 0.2)") == "leaky_relu(alpha: 0.2)")
        #expect(try evalText("fn f(x) => x; f") == "<fn f>")
        #expect(try evalText("fn(x) => x") == "<fn>")
    }

    @Test func datasetsPrintTheirSizesInGoodEnglish() throws {
        #expect(try evalText("dataset([[1, 2], [3, 4]], [0, 1])") == "dataset(2 examples, 2 features → 2 classes)")
        #expect(try evalText("dataset([[1]], [[0.5]])") == "dataset(1 example, 1 feature → 1 target)")
    }
}
