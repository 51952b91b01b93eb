import Foundation
import Testing
import NNEngine
@testable import NNSLanguage

@Suite struct BuiltinTests {
    @Test func everyBuiltinHasHelpAndASignature() {
        for (name, builtin) in Builtins.all {
            #expect(!builtin.help.isEmpty, "\(name) has no help")
            #expect(builtin.signature.hasPrefix(name + "("))
        }
        #expect(Builtins.all["linear"]?.signature == "linear(in, out, weight: none, bias: none, init: \"auto\")")
    }

    @Test func coreBuiltins() throws {
        #expect(try evalText("[len([1, 2]), len(\"abc\"), len({a: 1}), len(linear(2, 2) |> relu), len(zeros([3, 2])), len(range(2, 10, 3))]") == "[2, 3, 1, 2, 3, 3]")
        #expect(try evalText("[type(1), type(\"s\"), type(none), type(relu), type(linear(1, 1)), type(linear(1, 1) |> relu), type(len), type(zeros(1)), type(xor_gate)]")
                == "[\"number\", \"string\", \"none\", \"layer\", \"layer\", \"network\", \"function\", \"tensor\", \"dataset\"]")
        #expect(try evalText("list(range(3))") == "[0, 1, 2]")
        #expect(try evalText("list(range(5, 0, -2))") == "[5, 3, 1]")
        #expect(try evalText("list(tensor([[1, 2], [3, 4]]))") == "[[1, 2], [3, 4]]")
        let (output, _) = try runNNS("print(1, \"a\", [\"b\"], none)")
        #expect(output == "1 a [\"b\"] none\n")
    }

    @Test func mathOnNumbersAndTensors() throws {
        #expect(try evalNumber("exp(1)") == M_E)
        #expect(try evalNumber("log(exp(2))") == 2)
        #expect(try evalNumber("sqrt(16)") == 4)
        #expect(try evalText("abs(tensor([-1, 2]))") == "tensor[2] [1, 2]")
        #expect(try evalNumber("max(3, 7)") == 7)
        #expect(try evalNumber("min([4, -1, 9])") == -1)
        #expect(try evalNumber("sum([[1, 2], [3, 4]])") == 10)
        #expect(try evalText("sum([[1, 2], [3, 4]], axis: 0)") == "tensor[2] [4, 6]")
        #expect(try evalNumber("mean([1, 2, 3, 4])") == 2.5)
        #expect(try evalNumber("argmax([0.1, 0.7, 0.2])") == 1)
        #expect(try evalText("argmax([[1, 0], [0, 1]], axis: 1)") == "tensor[2] [0, 1]")
        #expect(try evalNumber("round(0.12345, 3)") == 0.123)
        #expect(try evalNumber("tanh(0.5)") == Foundation.tanh(0.5))
        // gelu(1) = 1·Φ(1) = 0.841344746…
        #expect(close(try evalNumber("gelu(1)"), 0.8413447460685429, tolerance: 1e-12))
        #expect(try evalNumber("leaky_relu(-2, alpha: 0.1)") == -0.2)
        #expect(close(try evalNumber("elu(-1)"), Foundation.exp(-1) - 1, tolerance: 1e-12))
        #expect(try evalText("step([-1, 0, 2])") == "tensor[3] [0, 1, 1]")   // Heaviside with step(0) = 1
    }

    @Test func tensorsMadeAndShaped() throws {
        #expect(try evalText("zeros([2, 3]).shape") == "[2, 3]")
        #expect(try evalText("ones(2)") == "tensor[2] [1, 1]")
        #expect(try evalText("reshape(tensor([1, 2, 3, 4]), [2, -1])") == "tensor[2×2] [[1, 2], [3, 4]]")
        #expect(try evalText("transpose([[1, 2, 3]])") == "tensor[3×1] [[1], [2], [3]]")
        #expect(try evalText("tensor([[1, 2], [3, 4]]).T") == "tensor[2×2] [[1, 3], [2, 4]]")
        #expect(try evalText("seed(3); a = randn([2, 2]); seed(3); b = randn([2, 2]); a == b") == "tensor[2×2] [[1, 1], [1, 1]]")
        #expect(try evalText("x = rand(1000); [min(x) >= 0, max(x) < 1]") == "[true, true]")
        #expect(errorHeader("tensor([[1, 2], [3]])") == "<test>:1:8: error: tensor: parameter `data`: a ragged list cannot be a tensor: a row has 1 elements where another has 2")
    }

    @Test func layerConstructionChecksShapes() {
        #expect(errorHeader("linear(2, 2, weight: [[1, 2]])") == "<test>:1:22: error: linear: weight must have shape [out, in] = [2×2], got [1×2]")
        #expect(errorHeader("linear(2, 2, init: \"gauss\")").hasPrefix("<test>:1:20: error: linear: parameter `init` must be one of \"auto\""))
        #expect(errorHeader("dropout(1.5)") == "<test>:1:9: error: dropout: parameter `p` must be a probability in [0, 1), got 1.5")
    }

    @Test func paramsAndNparamsUseStateDictNames() throws {
        #expect(try evalText("net = linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax; nparams(net)") == "209514")
        #expect(try evalText("params(linear(2, 3) |> relu |> linear(3, 1))").hasPrefix("{\"0.weight\": tensor[3×2]"))
    }

    @Test func summaryPrintsATableWithTheTotal() throws {
        let (output, _) = try runNNS("summary(linear(784, 256) |> relu |> linear(256, 10))")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("#  layer"))
        #expect(lines[2].contains("linear(784, 256)") && lines[2].hasSuffix("200,960"))
        #expect(lines[3].contains("relu") && lines[3].contains("[m, 256]"))
        #expect(lines[4].contains("linear(256, 10)") && lines[4].hasSuffix("2,570"))
        #expect(lines.last == "total parameters: 203,530")
    }

    @Test func gradientsMatchTheDeltaMethodByHand() throws {
        // One sigmoid unit, mse: C = ½(σ(z) − y)², ∂C/∂w = (a − y)·a(1 − a)·x.
        let w = [0.3, -0.2], b = 0.1, x = [1.5, 2.0], y = 1.0
        let z = w[0] * x[0] + w[1] * x[1] + b
        let a = 1 / (1 + Foundation.exp(-z))
        let delta = (a - y) * a * (1 - a)
        let source = "net = linear(2, 1, weight: [[0.3, -0.2]], bias: [0.1]) |> sigmoid; g = gradients(net, [1.5, 2.0], [1]); [g[\"0.weight\"][0, 0], g[\"0.weight\"][0, 1], g[\"0.bias\"][0], loss_of(net, [1.5, 2.0], [1])]"
        guard case .list(let values)? = try runNNS(source).value else { Issue.record("no list"); return }
        let numbers = values.items.compactMap(\.asNumber)
        #expect(close(numbers[0], delta * x[0], tolerance: 1e-5))
        #expect(close(numbers[1], delta * x[1], tolerance: 1e-5))
        #expect(close(numbers[2], delta, tolerance: 1e-5))
        #expect(close(numbers[3], 0.5 * (a - y) * (a - y), tolerance: 1e-5))
    }

    @Test func gradcheckIsSmallForACorrectBackward() throws {
        #expect(try evalNumber("seed(2); net = linear(3, 5) |> tanh |> linear(5, 2) |> softmax; gradcheck(net, randn([4, 3]), [0, 1, 1, 0], loss: cross_entropy)") < 1e-2)
    }

    @Test func lossNamesAreValues() throws {
        // mse of ŷ = [0.5], y = [1]: ½·0.25.
        #expect(try evalNumber("mse([0.5], [1])") == 0.125)
        #expect(errorHeader("loss_of(linear(1, 1), [1], [1], loss: \"mae\")").contains("parameter `loss` must be one of mse, bce, cross_entropy"))
    }

    @Test func trainingReachesFullAccuracyOnOr() throws {
        let text = try evalText("""
        seed(1)
        net = linear(2, 1) |> sigmoid
        h = train(net, or_gate, loss: bce, optimizer: sgd(lr: 1), epochs: 300, batch: 4)
        [len(h), evaluate(net, or_gate, loss: bce).accuracy, list(predict(net, or_gate.x))]
        """)
        #expect(text == "[300, 1, [0, 1, 1, 1]]")
    }

    @Test func trainingStopsOnInterruptAndKeepsTheHistory() throws {
        let host = CapturingHost()
        host.interruptRequested = true
        let interpreter = Interpreter(host: host)
        let result = try interpreter.run(source: "h = train(linear(2, 1), and_gate, epochs: 50); [len(h), h.interrupted]", name: "<test>")
        #expect(result.finalValue?.displayText == "[1, true]")
    }

    @Test func datasetsIndexAndSplit() throws {
        #expect(try evalText("d = dataset([[1, 2], [3, 4], [5, 6]], [0, 1, 0]); [len(d), d[1].y, d.x.shape, len(split(d, 0.67, seed: 1)[0])]") == "[3, 1, [3, 2], 2]")
        #expect(try evalText("onehot([0, 2], 3)") == "tensor[2×3] [[1, 0, 0], [0, 0, 1]]")
    }

    @Test func csvLoadsADatasetWithTheTargetColumn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nns-\(UUID().uuidString).csv").path
        try "a,b,label\n1,2,0\n3,4,1\n5,6,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try evalText("d = csv(\"\(path)\", target: \"label\"); [len(d), list(d.x), list(d.y)]") == "[3, [[1, 2], [3, 4], [5, 6]], [0, 1, 1]]")
        #expect(errorHeader("csv(\"/nonexistent/file.csv\")").hasPrefix("<test>:1:1: error: csv: "))
    }
}
