import Foundation
import Testing
import NNEngine
@testable import NNSLanguage

@Suite struct InterpreterTests {
    @Test func arithmeticFollowsPrecedenceAndIEEE() throws {
        #expect(try evalNumber("1 + 2 * 3") == 7)
        #expect(try evalNumber("2 ^ 3 ^ 2") == 512)
        #expect(try evalNumber("-2 ^ 2") == -4)
        #expect(try evalNumber("-7 % 3") == 2)
        #expect(try evalNumber("1 / 0") == .infinity)
        #expect(try evalNumber("0 / 0").isNaN)
        #expect(try evalText("1 < 2 and not (3 == 4)") == "true")
        #expect(try evalText("\"ab\" + \"c\"") == "abc")
        #expect(try evalText("[1] + [2, 3]") == "[1, 2, 3]")
    }

    @Test func tensorArithmeticBroadcasts() throws {
        #expect(try evalText("[[1, 2], [3, 4]] + 10") == "tensor[2×2] [[11, 12], [13, 14]]")
        #expect(try evalText("tensor([[1, 2], [3, 4]]) * [1, 0]") == "tensor[2×2] [[1, 0], [3, 0]]")
        #expect(try evalText("tensor([1, 2]) > 1") == "tensor[2] [0, 1]")
        #expect(try evalText("tensor([1, -2]) / 0") == "tensor[2] [inf, -inf]")
        #expect(try evalText("-tensor([1, 2])") == "tensor[2] [-1, -2]")
    }

    @Test func matrixProduct() throws {
        // [[1,2],[3,4]]·[[5],[6]] = [[17],[39]]; [1,2]·[3,4] = 11.
        #expect(try evalText("tensor([[1, 2], [3, 4]]) @ tensor([[5], [6]])") == "tensor[2×1] [[17], [39]]")
        #expect(try evalNumber("tensor([1, 2]) @ tensor([3, 4])") == 11)
    }

    @Test func functionsClosuresDefaultsAndKeywords() throws {
        let source = """
        fn make_counter(start = 0) {
            count = [start]
            fn next() { count[0] = count[0] + 1; return count[0] }
            return next
        }
        c = make_counter(start: 10)
        c(); c()
        fn scale(x, by = 2, plus = 0) => x * by + plus
        [c(), scale(3), scale(3, plus: 1, by: 10), (fn(a, b) => a - b)(5, 2)]
        """
        #expect(try evalText(source) == "[13, 6, 31, 3]")
    }

    @Test func defaultsMaySeeEarlierParameters() throws {
        #expect(try evalNumber("fn f(n, m = n * 2) => n + m; f(3)") == 9)
    }

    @Test func assignmentInFunctionsIsLocal() throws {
        #expect(try evalNumber("i = 5; fn f() { i = 0; return i }; f(); i") == 5)
    }

    @Test func controlFlow() throws {
        let source = """
        total = 0
        for i in range(1, 11) { if i % 2 == 0 { total = total + i } else if i == 5 { total = total + 100 } else { } }
        n = 0
        while n < 3 { n = n + 1 }
        fn first_big(xs) { for x in xs { if x > 2 { return x } }; return none }
        [total, n, first_big([1, 5, 7]), first_big([1])]
        """
        #expect(try evalText(source) == "[130, 3, 5, none]")
    }

    @Test func forRunsOverTensorRowsStringsAndNetworks() throws {
        let (output, _) = try runNNS("""
        for row in tensor([[1, 2], [3, 4]]) { print(row) }
        for c in "ab" { print(c) }
        for layer in linear(2, 3) |> relu { print(layer) }
        """)
        #expect(output == "tensor[2] [1, 2]\ntensor[2] [3, 4]\na\nb\nlinear(2, 3)\nrelu\n")
    }

    @Test func assignmentIntoListsRecordsAndTensors() throws {
        let source = """
        xs = [1, 2, 3]; ys = xs; ys[-1] = 30
        r = {lr: 0.1}; r.epochs = 5; r["lr"] = 0.2
        t = zeros([2, 2]); t[0, 1] = 7; t[1] = [8, 9]
        nested = [zeros(2)]; nested[0][1] = 4
        [xs, r, t, nested[0]]
        """
        #expect(try evalText(source) == "[[1, 2, 30], {lr: 0.2, epochs: 5}, tensor[2×2] [[0, 7], [8, 9]], tensor[2] [0, 4]]")
    }

    @Test func networkParametersAssignThroughWithShapeCheck() throws {
        let source = """
        net = linear(2, 2) |> sigmoid
        net[0].weight = [[0.2, 0.4], [0.3, 0.1]]
        net[0].b = [0.1, 0.2]
        w = net[0].W
        w[0, 0] = 1
        [net[0].weight, net[0].bias, net[0].weight.shape]
        """
        #expect(try evalText(source) == "[tensor[2×2] [[1, 0.4], [0.3, 0.1]], tensor[2] [0.1, 0.2], [2, 2]]")
        #expect(errorText("net = linear(2, 2)\nnet.weight = [1, 2]") == """
        <test>:2:5: error: linear.weight has shape [2×2] but the new value has shape [2]
        net.weight = [1, 2]
            ^~~~~~
        hint: a weight has shape [out, in]
        """)
    }

    @Test func gradientsAreVisibleThroughDotGrad() throws {
        // One linear unit, mse on one sample: ∂C/∂w = (ŷ − y)·x = (0.5·1 + 0.25·2 − 0)·[1, 2].
        let text = try evalText("""
        net = linear(2, 1, weight: [[0.5, 0.25]], bias: [0])
        g = gradients(net, [1, 2], [0])
        [net[0].weight.grad, g["0.weight"], net[0].weight]
        """)
        #expect(text == "[tensor[1×2] [[1, 2]], tensor[1×2] [[1, 2]], tensor[1×2] [[0.5, 0.25]]]")
    }

    @Test func pipesComposeForwardAndCall() throws {
        #expect(try evalText("(linear(2, 3) |> relu) |> linear(3, 1) |> sigmoid") == "linear(2, 3) |> relu |> linear(3, 1) |> sigmoid")
        #expect(try evalText("len((linear(2, 3) |> relu) |> (linear(3, 1) |> sigmoid))") == "4")
        #expect(try evalNumber("-3 |> relu") == 0)
        #expect(try evalNumber("relu(-3)") == 0)
        #expect(try evalNumber("sigmoid(0)") == 0.5)
        #expect(try evalNumber("4 |> fn(x) => x * 2") == 8)
        #expect(try evalText("[1, -1] |> (linear(2, 1, weight: [[2, 3]], bias: [0.5]) |> relu)") == "tensor[1] [0]")
        #expect(try evalText("net = linear(2, 1, weight: [[2, 3]], bias: [0.5]); net([[1, 1], [2, 0]])") == "tensor[2×1] [[5.5], [4.5]]")
    }

    @Test func compositionMismatchPointsAtThePipe() {
        #expect(errorText("net = linear(784,256)\n  |> linear(128,10)") == """
        <test>:2:3: error: layer 2 expects 128 inputs but layer 1 gives 256
          |> linear(128,10)
          ^~
        hint: layer 1 is linear(784, 256), layer 2 is linear(128, 10); make their sizes agree
        """)
    }

    @Test func unknownNamesSuggestNearOnes() {
        #expect(errorText("sigmiod(0)") == """
        <test>:1:1: error: unknown name `sigmiod`
        sigmiod(0)
        ^~~~~~~
        hint: did you mean `sigmoid`?
        """)
    }

    @Test func builtinArgumentErrorsNameFunctionAndParameter() {
        #expect(errorText("linear(2, 2.5)") == """
        <test>:1:11: error: linear: parameter `out` must be a positive whole number, got 2.5
        linear(2, 2.5)
                  ^~~
        """)
        #expect(errorHeader("linear(2)") == "<test>:1:1: error: linear: missing argument `out`")
        #expect(errorHeader("linear(2, 3, bais: [1])") == "<test>:1:1: error: linear: no parameter named `bais`")
        #expect(errorHeader("range(1, 2, 3, 4)") == "<test>:1:1: error: range: takes at most 3 arguments, got 4")
    }

    @Test func indexingPastTheEndSaysIndexAndLength() {
        #expect(errorText("xs = [1, 2, 3]\nxs[3]") == """
        <test>:2:1: error: index 3 is out of range for a list of length 3
        xs[3]
        ^~~~~
        hint: valid indices are 0 to 2 (or -3 to -1 from the end)
        """)
    }

    @Test func hugeLayersAreAnErrorNotACrash() {
        let text = errorHeader("linear(1e12, 1e12)")
        #expect(text.hasPrefix("<test>:1:1: error: linear(1000000000000, 1000000000000): this would need "))
        #expect(errorHeader("zeros([-1, 2])").contains("negative"))
        #expect(errorHeader("zeros(2.5)").contains("not a whole number"))
    }

    @Test func recursionDepthIsLimited() {
        #expect(errorText("fn f(n) => f(n + 1)\nf(0)").hasPrefix("""
        <test>:1:12: error: recursion deeper than 1000 calls
        """))
        // Legitimate recursion well below the limit works.
        #expect((try? evalNumber("fn sum_to(n) { if n == 0 { return 0 }; return n + sum_to(n - 1) }; sum_to(900)")) == 405450)
    }

    @Test func interruptStopsAnInfiniteLoop() throws {
        let host = CapturingHost()
        host.interruptRequested = true
        let interpreter = Interpreter(host: host)
        #expect(throws: Diagnostic.self) { try interpreter.run(source: "while true { }", name: "<test>") }
    }

    @Test func bindingsSurviveErrors() throws {
        let interpreter = Interpreter(host: CapturingHost())
        try interpreter.run(source: "x = 41", name: "<repl>")
        #expect(throws: Diagnostic.self) { try interpreter.run(source: "x = x + nope", name: "<repl>") }
        let result = try interpreter.run(source: "x + 1", name: "<repl>")
        #expect(result.finalValue?.asNumber == 42)
        #expect(interpreter.globals.bindings.map(\.name).contains("x"))
    }

    @Test func echoesFollowTheREPLRules() throws {
        let interpreter = Interpreter(host: CapturingHost())
        let result = try interpreter.run(source: "a = 1\nb = 2;\nprint(3)\na + b", name: "<repl>")
        #expect(result.echoes.map(\.displayText) == ["1", "3"])
        #expect(result.finalValue?.displayText == "3")
        // A trailing `;` silences the final value too, as in the REPL (`nns -e 'train(...);'`).
        #expect(try interpreter.run(source: "a + b;", name: "<-e>").finalValue == nil)
        #expect(try interpreter.run(source: "a + b; a", name: "<-e>").finalValue?.displayText == "1")
    }

    @Test func importRunsAFileOnceRelativeToTheImporter() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lib"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "import \"lib/helper.nns\"\nimport \"lib/helper.nns\"\nprint(double(21), loads)".write(
            to: dir.appendingPathComponent("main.nns"), atomically: true, encoding: .utf8)
        try "loads = len(args) + 1\nfn double(x) => 2 * x\n".write(
            to: dir.appendingPathComponent("lib/helper.nns"), atomically: true, encoding: .utf8)
        let host = CapturingHost()
        let interpreter = Interpreter(host: host)
        try NNSLanguage.withInterpreterStack { try interpreter.runFile(at: dir.appendingPathComponent("main.nns").path) }
        #expect(host.output == "42 1\n")
    }

    @Test func conditionsMustBeTruthValues() {
        #expect(errorHeader("if [1, 2] > 0 { }").hasPrefix("<test>:1:4: error: a tensor of shape [2] is not true or false"))
        #expect(errorHeader("if \"yes\" { }") == "<test>:1:4: error: a string is not true or false")
    }
}

@Suite struct InterpreterLimitTests {
    @Test func absurdSizesAreErrorsNotCrashes() {
        #expect(errorHeader("len(range(1e308))").contains("more than 2⁵³ numbers"))
        #expect(errorHeader("onehot([1], 1e15)").contains("this would need"))
        #expect(errorHeader("zeros([1e15, 0])").contains("too large to work with"))
        #expect(errorHeader("zeros([1e9, 0]) @ zeros([0, 1e9])").contains("this would need"))
        #expect(errorHeader("list(range(1e13))").contains("more than a list may hold"))
    }

    @Test func deeplyNestedListsPrintAndCompareSafely() throws {
        let text = try evalText("a = []; for i in range(5000) { a = [a] }; s = str(a); [len(s) < 10000, a == a]")
        #expect(text == "[true, true]")
    }
}
