import Foundation
import Testing
import NNEngine
@testable import NNSLanguage

/// SPEC §17's library functions against independently known results: Python's own
/// sorted/zip/enumerate/filter, statistics.pstdev/pvariance and NumPy's std/var, central
/// finite differences for every new derivative, hand-counted confusion matrices.
@Suite struct LibraryBuiltinTests {
    // MARK: lists (Python's behaviour is the reference)

    @Test func mapFilterReversedAnyAll() throws {
        #expect(try evalText("map(fn(x) => x * x, [1, 2, 3])") == "[1, 4, 9]")
        #expect(try evalText("map(abs, tensor([-1, 2]))") == "[1, 2]")            // a builtin as f
        #expect(try evalText("map(len, [\"ab\", \"\"])") == "[2, 0]")
        #expect(try evalText("map(relu, [-1, 2])") == "[0, 2]")                     // a layer as f
        #expect(try evalText("filter(fn(x) => x % 2 == 0, range(7))") == "[0, 2, 4, 6]")
        #expect(try evalText("filter(none, [0, 1, 2, 0])") == "[1, 2]")             // filter(None, xs)
        #expect(try evalText("reversed([1, 2, 3])") == "[3, 2, 1]")
        #expect(try evalText("[reversed(\"abc\")]") == "[\"cba\"]")
        #expect(try evalText("[any([0, 0, 1]), any([]), all([1, 2]), all([]), all([1, 0])]") == "[true, false, true, true, false]")
    }

    @Test func sortIsStableAndReversesStably() throws {
        // sorted([[1,'b'],[0,'a'],[1,'a']], key=lambda p: p[0]) and with reverse=True
        let pairs = "[[1, \"b\"], [0, \"a\"], [1, \"a\"]]"
        #expect(try evalText("sort(\(pairs), key: fn(p) => p[0])") == "[[0, \"a\"], [1, \"b\"], [1, \"a\"]]")
        #expect(try evalText("sort(\(pairs), key: fn(p) => p[0], reverse: true)") == "[[1, \"b\"], [1, \"a\"], [0, \"a\"]]")
        #expect(try evalText("sort([\"banana\", \"Apple\", \"cherry\"])") == "[\"Apple\", \"banana\", \"cherry\"]")
        #expect(try evalText("sort([3, -1, 2.5])") == "[-1, 2.5, 3]")
        #expect(try evalText("sort([[2, 1], [1, 5], [1, 2]])") == "[[1, 2], [1, 5], [2, 1]]")
        #expect(errorHeader("sort([1, \"a\"])").contains("sort: cannot order"))
        #expect(errorHeader("sort(5)").contains("must be a list"))
    }

    @Test func zipEnumerateKeysValues() throws {
        // list(zip([1,2,3], 'ab', [True, False, True])) stops at the shortest
        #expect(try evalText("zip([1, 2, 3], \"ab\", [true, false, true])") == "[[1, \"a\", true], [2, \"b\", false]]")
        #expect(try evalText("zip()") == "[]")
        #expect(try evalText("enumerate([\"a\", \"b\"])") == "[[0, \"a\"], [1, \"b\"]]")
        #expect(try evalText("enumerate(\"ab\", start: 1)") == "[[1, \"a\"], [2, \"b\"]]")
        #expect(try evalText("keys({lr: 0.1, epochs: 5})") == "[\"lr\", \"epochs\"]")
        #expect(try evalText("values({lr: 0.1, epochs: 5})") == "[0.1, 5]")
        #expect(errorHeader("keys([1])").contains("must be a record"))
        #expect(errorHeader("zip([1], 5)").contains("argument 2"))
    }

    // MARK: math

    @Test func mathFunctionsAndConstants() throws {
        #expect(try evalNumber("pi") == Double.pi)
        #expect(try evalNumber("e") == M_E)
        #expect(try evalText("[inf, -inf, isnan(nan), isinf(inf), isinf(1)]") == "[inf, -inf, true, true, false]")
        #expect(try evalNumber("tan(0.7)") == Foundation.tan(0.7))
        #expect(try evalNumber("atan(-2)") == Foundation.atan(-2))
        #expect(try evalNumber("asin(1)") == Double.pi / 2)
        #expect(try evalNumber("acos(-1)") == Double.pi)
        #expect(try evalNumber("ceil(-1.5)") == -1)                   // math.ceil(-1.5)
        #expect(try evalNumber("pow(2, -1)") == 0.5)
        #expect(try evalText("pow(tensor([1, 2, 3]), 2)") == "tensor[3] [1, 4, 9]")
        #expect(try evalText("ceil(tensor([0.5, -0.5]))") == "tensor[2] [1, -0]")
        #expect(try evalText("isnan(tensor([1, nan]))") == "tensor[2] [0, 1]")
        #expect(try evalText("tan(tensor([0]))") == "tensor[1] [0]")
        // A user's own binding hides a constant, as in Python.
        #expect(try evalNumber("e = 3\ne") == 3)
    }

    @Test func stdAndVarFollowNumPy() throws {
        // statistics.pstdev([2,4,4,4,5,5,7,9]) = 2.0; pvariance([1.5,2.5,2.5,2.75,3.25,4.75])
        #expect(try evalNumber("std([2, 4, 4, 4, 5, 5, 7, 9])") == 2)
        #expect(close(try evalNumber("var([1.5, 2.5, 2.5, 2.75, 3.25, 4.75])"), 0.9739583333333334, tolerance: 1e-7))
        // statistics.stdev / variance are the sample forms (ddof 1)
        #expect(close(try evalNumber("std([1, 2, 3, 4], ddof: 1)"), 1.2909944487358056, tolerance: 1e-12))
        #expect(close(try evalNumber("var([1, 2, 3, 4], ddof: 1)"), 1.6666666666666667, tolerance: 1e-12))
        // np.std([[1,2],[3,5]], axis=0) = [1, 1.5]; np.var(..., axis=1) = [0.25, 1]
        #expect(try evalText("std([[1, 2], [3, 5]], axis: 0)") == "tensor[2] [1, 1.5]")
        #expect(try evalText("var([[1, 2], [3, 5]], axis: 1)") == "tensor[2] [0.25, 1]")
        #expect(try evalNumber("var(7)") == 0)
    }

    // MARK: derivatives against central finite differences

    /// grad(f)(x) from the tape against (f(x + h) − f(x − h)) / 2h computed by plain
    /// evaluation (Float64 numbers; functions through tensors are Float32, so they take a
    /// larger h: the error of central differences is O(h²)).
    private func expectGradientMatchesDifferences(_ f: String, at x: Double, h: Double = 1e-5, tolerance: Double = 2e-3) throws {
        let analytic = try evalNumber("f = \(f)\ngrad(f)(\(x))")
        let numeric = (try evalNumber("f = \(f)\nf(\(x + h))") - (try evalNumber("f = \(f)\nf(\(x - h))"))) / (2 * h)
        #expect(close(analytic, numeric, tolerance: tolerance), "\(f) at \(x): grad \(analytic), differences \(numeric)")
    }

    @Test func newFunctionsDifferentiate() throws {
        try expectGradientMatchesDifferences("fn(x) => tan(x)", at: 0.7)
        try expectGradientMatchesDifferences("fn(x) => asin(x)", at: 0.3)
        try expectGradientMatchesDifferences("fn(x) => acos(x)", at: -0.6)
        try expectGradientMatchesDifferences("fn(x) => atan(x * x)", at: 1.3)
        try expectGradientMatchesDifferences("fn(x) => pow(x, 3)", at: 1.5)
        try expectGradientMatchesDifferences("fn(x) => pow(2, x)", at: 0.8)            // the exponent too
        try expectGradientMatchesDifferences("fn(x) => pow(x, x)", at: 1.2)
        try expectGradientMatchesDifferences("fn(x) => std(tensor([1, 2, 4]) * x)", at: 0.9, h: 1e-2)
        try expectGradientMatchesDifferences("fn(x) => var(concat([tensor([1, 2]), stack([x, 5])]))", at: 3, h: 1e-2)
        try expectGradientMatchesDifferences("fn(x) => sum(stack([stack([x, 1]), stack([x * x, 2])], axis: 1) * tensor([[1, 2], [3, 4]]))", at: 0.5, h: 1e-2)
    }

    @Test func gradientsFlowBackThroughConcatAndStack() throws {
        // d/dx Σ concat([x, 2x]) = 1 + 2 per element; d/dx Σ(stack([x, x²]) ⊙ W) = W₀ + 2x·W₁
        #expect(try evalText("grad(fn(x) => sum(concat([x, x * 2])))(tensor([1, 2]))") == "tensor[2] [3, 3]")
        #expect(try evalText("grad(fn(x) => sum(stack([x, x * x]) * tensor([[1, 1], [1, 1]])))(tensor([1, 3]))") == "tensor[2] [3, 7]")
        // the variance's derivative 2(x − mean)/n: x = [1, 2, 6], mean 3 → [-4/3, -2/3, 2]
        #expect(try evalText("grad(fn(x) => var(x))(tensor([1, 2, 6]))") == "tensor[3] [-1.3333334, -0.6666667, 2]")
    }

    @Test func concatAndStackShapes() throws {
        #expect(try evalText("concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])])") == "tensor[3×2] [[1, 2], [3, 4], [5, 6]]")
        #expect(try evalText("concat([[[1], [2]], [[3], [4]]], axis: 1)") == "tensor[2×2] [[1, 3], [2, 4]]")
        #expect(try evalText("concat([[[1], [2]], [[3], [4]]], axis: -1)") == "tensor[2×2] [[1, 3], [2, 4]]")
        #expect(try evalText("shape(stack([zeros([2, 3]), ones([2, 3])]))") == "[2, 2, 3]")
        #expect(try evalText("shape(stack([zeros([2, 3]), ones([2, 3])], axis: -1))") == "[2, 3, 2]")
        #expect(try evalText("stack([1, 2, 3])") == "tensor[3] [1, 2, 3]")
        #expect(errorHeader("concat([zeros([2, 3]), zeros([2, 4])])").contains("tensor 2 has shape [2×4] but tensor 1 has shape [2×3]"))
        #expect(errorHeader("stack([zeros(2), zeros(3)])").contains("tensor 2 has shape [3]"))
        #expect(errorHeader("concat([])").contains("at least one"))
        #expect(errorHeader("concat([zeros(2)], axis: 3)").contains("axis 3 is out of range"))
    }

    // MARK: optimizers, callbacks

    @Test func optimizerHyperParametersReadAsGivenAndCanBeSet() throws {
        #expect(try evalText("sgd(lr: 0.1).lr") == "0.1")
        #expect(try evalText("adam().beta2") == "0.999")
        #expect(try evalText("json(sgd(lr: 0.1, momentum: 0.9))") == #"{"optimizer":"sgd","lr":0.1,"momentum":0.9,"nesterov":false,"weight_decay":0}"#)
        #expect(try evalText("o = sgd(lr: 0.1, momentum: 0.9)\no.lr = 0.01\no.momentum = 0.5\n[o.lr, o.momentum, o.nesterov]") == "[0.01, 0.5, false]")
        #expect(try evalText("o = rmsprop()\no.rho = 0.8\no") == "rmsprop(lr: 0.001, rho: 0.8)")
        #expect(errorHeader("sgd(momentum: 5)").hasSuffix("momentum must be in [0, 1), got 5"))
        #expect(errorHeader("sgd(momentum: -1)").hasSuffix("momentum must be in [0, 1), got -1"))
        #expect(errorHeader("o = sgd()\no.lr = -1").hasSuffix("lr must be a finite number ≥ 0, got -1"))
        #expect(errorHeader("o = sgd()\no.beta1 = 0.9").contains("no hyper-parameter `beta1`"))
        #expect(errorHeader("o = sgd()\no.lr = \"fast\"").contains("lr must be a number"))
        #expect(errorHeader("h = train(linear(1, 1), dataset([[1]], [[1]]))\nh.loss = 1").contains("cannot be set"))
    }

    @Test func aChangedLearningRateIsUsedByTheNextTrain() throws {
        // One example, linear(1, 1) from w = 0, b = 0, mse: the first step moves w by lr·(ŷ − y)·x.
        let program = """
            net = linear(1, 1, weight: [[0]], bias: [0])
            o = sgd(lr: 0.5)
            o.lr = 0.25
            h = train(net, dataset([[2]], [[1]]), optimizer: o, epochs: 1, shuffle: false)
            [net[0].weight[0, 0], h.lr[0]]
            """
        // ∂C/∂w = (0 − 1)·2 = −2 → w = 0.25·2 = 0.5
        #expect(try evalText(program) == "[0.5, 0.25]")
    }

    @Test func aScheduleGoesOnWhereItWas() throws {
        let program = """
            o = sgd(lr: step_decay(1, 0.5, 1))
            d = dataset([[1], [2]], [[1], [2]])
            a = train(linear(1, 1), d, optimizer: o, epochs: 2)
            b = train(linear(1, 1), d, optimizer: o, epochs: 2)
            a.lr + b.lr
            """
        #expect(try evalText(program) == "[1, 0.5, 0.25, 0.125]")
    }

    @Test func onEpochSeesEachRecordAndFalseStops() throws {
        let program = """
            seen = []
            h = train(linear(1, 1), dataset([[1], [2]], [[1], [2]]), epochs: 10,
                      on_epoch: fn(epoch, r) { append(seen, [epoch, r.epoch == epoch]); return epoch < 3 })
            [len(h), seen]
            """
        #expect(try evalText(program) == "[3, [[1, true], [2, true], [3, true]]]")
        // returning nothing (none) goes on
        #expect(try evalNumber("len(train(linear(1, 1), dataset([[1]], [[1]]), epochs: 4, on_epoch: fn(e, r) { x = 1 }))") == 4)
        #expect(errorHeader("train(linear(1, 1), dataset([[1]], [[1]]), on_epoch: 3)").contains("must be a function"))
    }

    // MARK: evaluation helpers

    @Test func confusionCountsByHand() throws {
        // The identity "network" picks the larger input: rows [2,1]→0, [0,3]→1, [5,4]→0, [1,2]→1.
        // True labels 0, 0, 1, 1 → row 0: [1, 1], row 1: [1, 1]; accuracy 2/4.
        let program = """
            net = linear(2, 2, weight: [[1, 0], [0, 1]], bias: [0, 0])
            d = dataset([[2, 1], [0, 3], [5, 4], [1, 2]], [0, 0, 1, 1])
            c = confusion(net, d)
            """
        #expect(try evalText(program + "\nc.counts") == "[[1, 1], [1, 1]]")
        #expect(try evalText(program + "\n[c[1], c[-1][0], len(c), c.accuracy, c.total]") == "[[1, 1], 1, 2, 0.5, 4]")
        #expect(try evalText(program + "\njson(c)") == "[[1,1],[1,1]]")
        let table = try evalText(program + "\nc")
        #expect(table.hasPrefix("true \\ predicted  0  1\n0"))
        #expect(errorHeader("confusion(linear(1, 1), dataset([[1]], [[0.5]]))").contains("targets are numbers"))
    }

    @Test func normalizeLikeUsesTheOtherSetsStatistics() throws {
        // train column: mean 2, population std 1 → test [4, 0] becomes [2, −2]
        #expect(try evalText("normalize(tensor([[4], [0]]), like: tensor([[1], [3]]))") == "tensor[2×1] [[2], [-2]]")
        #expect(try evalText("normalize(dataset([[4], [0]], [0, 1]), like: dataset([[1], [3]], [0, 1])).x") == "tensor[2×1] [[2], [-2]]")
        #expect(errorHeader("normalize(zeros([2, 2]), like: zeros([2, 3]))").contains("normalize"))
    }

    @Test func csvDelimiterMissingClassesAndNamedPredictions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pets.csv").path
        try "a;b;kind\n1;2;dog\n;4;cat\n5;6;dog\n7;NA;cat\n".write(toFile: path, atomically: true, encoding: .utf8)
        let read = "d = csv(\"\(path)\", delimiter: \";\", missing: "
        // pandas: column a's mean of 1, 5, 7 is 13/3; b's of 2, 4, 6 is 4. Names sort like LabelEncoder.
        #expect(try evalText(read + "\"mean\")\n[d.classes, list(d.y), d.x[1, 1], d.x[3, 1]]") == "[[\"cat\", \"dog\"], [1, 0, 1, 0], 4, 4]")
        #expect(close(try evalNumber(read + "\"mean\")\nd.x[1, 0]"), 13.0 / 3, tolerance: 1e-6))
        // Only dogs are left, so "dog" is class 0 of the classes that remain (as LabelEncoder fitted on them).
        #expect(try evalText(read + "\"drop\")\n[len(d), list(d.y), d.classes]") == "[2, [0, 0], [\"dog\"]]")
        #expect(errorHeader(read + "\"error\")").contains("pets.csv:3:1: missing value (empty cell)"))
        #expect(errorHeader(read + "\"guess\")").contains("\"error\", \"drop\" or \"mean\""))
        #expect(errorHeader("csv(\"\(path)\", delimiter: \";;\")").contains("one character"))
        // Picks the larger feature: [1,2]→1 dog, [4.33,4]→0 cat, [5,6]→dog, [7,4]→cat.
        let predict = read + "\"mean\")\nnet = linear(2, 2, weight: [[1, 0], [0, 1]], bias: [0, 0])\n"
        #expect(try evalText(predict + "predict(net, d, names: true)") == "[\"dog\", \"cat\", \"dog\", \"cat\"]")
        #expect(try evalText(predict + "[predict(net, [3, 1], names: d.classes)]") == "[\"cat\"]")
        #expect(try evalText(predict + "predict(net, d)") == "tensor[4] [1, 0, 1, 0]")
        #expect(errorHeader("predict(linear(2, 2), [1, 2], names: true)").contains("names: true needs a data set"))
        #expect(try evalText("and_gate.classes") == "[0, 1]")
    }
}
