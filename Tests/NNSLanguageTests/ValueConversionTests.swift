import Testing
import NNEngine
@testable import NNSLanguage

@Suite struct ValueConversionTests {
    @Test func nestedListsBecomeTensors() throws {
        #expect(try Value.list([.list([.number(1), .number(2)]), .list([.number(3), .number(4)])]).asTensor()
                == Tensor(rows: [[1, 2], [3, 4]]))
        #expect(try Value.list([]).asTensor()?.shape == [0])
        #expect(try Value.list([.bool(true), .bool(false)]).asTensor() == Tensor([1, 0]))
        #expect(try evalText("tensor([[[1, 2]], [[3, 4]]]).shape") == "[2, 1, 2]")
        #expect(try evalText("tensor([[], []]).shape") == "[2, 0]")
    }

    @Test func tensorsInsideListsStack() throws {
        #expect(try evalText("tensor([tensor([1, 2]), tensor([3, 4])])") == "tensor[2×2] [[1, 2], [3, 4]]")
        #expect(try evalText("tensor([zeros([2, 2]), [[1, 2], [3, 4]]]).shape") == "[2, 2, 2]")
    }

    @Test func malformedListsAreErrors() {
        #expect(throws: BuiltinError.self) { try Value.list([.number(1), .list([.number(2)])]).asTensor() }
        #expect(throws: BuiltinError.self) { try Value.list([.list([.number(1)]), .number(2)]).asTensor() }
        #expect(throws: BuiltinError.self) { try Value.list([.list([.number(1)]), .list([.number(2), .number(3)])]).asTensor() }
        #expect(throws: BuiltinError.self) { try Value.list([.string("a")]).asTensor() }
        #expect((try? Value.string("a").asTensor()) == .some(nil))
    }

    @Test func numbersFromFloatElementsUseTheirShortestForm() {
        #expect(Value.number(fromFloat: 0.52).asNumber == 0.52)
        #expect(Value.number(fromFloat: .infinity).asNumber == .infinity)
    }

    @Test func kindNames() throws {
        #expect(Value.number(1).kindName == "number")
        #expect(Value.tensor(Tensor([1])).kindName == "tensor")
        #expect(try evalText("type(range(2))") == "range")
        #expect(try evalText("type(sgd())") == "optimizer")
        #expect(try evalText("type(train(linear(2, 1), and_gate))") == "history")
    }
}
