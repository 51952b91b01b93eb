import Foundation
import Testing
@testable import NNSLanguage

/// Slicing against Python's own slicing (lists, strings) and NumPy's (tensors).
@Suite struct SlicingTests {
    /// (slice, Python's xs[slice] for xs = [10, 11, 12, 13, 14, 15, 16], Python's s[slice] for
    /// s = "abcdefg"). Generated offline by tools/ci/scripting-reference.py.
    static let pythonTable: [(String, [Int], String)] = [
        ("1:3", [11, 12], "bc"),
        (":3", [10, 11, 12], "abc"),
        ("3:", [13, 14, 15, 16], "defg"),
        ("::2", [10, 12, 14, 16], "aceg"),
        ("::-1", [16, 15, 14, 13, 12, 11, 10], "gfedcba"),
        ("-2:", [15, 16], "fg"),
        (":-2", [10, 11, 12, 13, 14], "abcde"),
        ("-3:-1", [14, 15], "ef"),
        ("5:1:-1", [15, 14, 13, 12], "fedc"),
        ("5:1", [], ""),
        ("1:5:2", [11, 13], "bd"),
        ("-1:-8:-2", [16, 14, 12, 10], "geca"),
        ("10:", [], ""),
        (":100", [10, 11, 12, 13, 14, 15, 16], "abcdefg"),
        ("-100:2", [10, 11], "ab"),
        ("100:0:-1", [16, 15, 14, 13, 12, 11], "gfedcb"),
        ("6:-100:-3", [16, 13, 10], "gda"),
        ("::3", [10, 13, 16], "adg"),
        ("4::-2", [14, 12, 10], "eca"),
        ("0:0", [], ""),
        (":", [10, 11, 12, 13, 14, 15, 16], "abcdefg"),
        ("2:2:-1", [], ""),
        ("-1::-1", [16, 15, 14, 13, 12, 11, 10], "gfedcba"),
    ]

    @Test func listsAndStringsSliceAsInPython() throws {
        for (slice, list, text) in Self.pythonTable {
            let got = try evalText("xs = [10, 11, 12, 13, 14, 15, 16]; xs[\(slice)]")
            #expect(got == "[" + list.map(String.init).joined(separator: ", ") + "]", "xs[\(slice)]")
            #expect(try runNNS("s = \"abcdefg\"; print(s[\(slice)])").output == text + "\n", "s[\(slice)]")
        }
    }

    @Test func sliceBoundsMayBeExpressionsOrNone() throws {
        #expect(try evalText("xs = [1, 2, 3, 4]; n = 2; xs[n - 1:n + 1]") == "[2, 3]")
        #expect(try evalText("xs = [1, 2, 3, 4]; xs[none:2]") == "[1, 2]")
        #expect(try evalText("xs = [1, 2, 3, 4]; ys = xs[:]; ys[0] = 9; xs") == "[1, 2, 3, 4]")
        #expect(try evalText("list(range(10)[2:8:3])") == "[2, 5]")
        #expect(try evalText("net = linear(2, 3) |> relu |> linear(3, 1); len(net[0:2])") == "2")
    }

    /// NumPy 2.4, t = np.arange(12.).reshape(3, 4).
    @Test func tensorsSlicePerAxisAsNumPy() throws {
        let t = "t = tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]); "
        #expect(try evalText(t + "list(t[0:2, 1:])") == "[[1, 2, 3], [5, 6, 7]]")
        #expect(try evalText(t + "list(t[:, 0])") == "[0, 4, 8]")
        #expect(try evalText(t + "list(t[-1, ::-2])") == "[11, 9]")
        #expect(try evalText(t + "list(t[::2, 1:3])") == "[[1, 2], [9, 10]]")
        #expect(try evalText(t + "list(t[1:, -1])") == "[7, 11]")
        #expect(try evalText(t + "t[2:, 3:][0, 0]") == "11")
        #expect(try evalText(t + "t[5:, :].shape") == "[0, 4]")
        #expect(try evalText(t + "t[:, 0].shape") == "[3]")
    }

    @Test func slicingErrors() {
        #expect(errorHeader("xs = [1, 2]; xs[::0]") == "<test>:1:17: error: a slice step cannot be 0")
        #expect(errorHeader("xs = [1, 2]; xs[0.5:]") == "<test>:1:17: error: a slice start must be a whole number, got 0.5")
        #expect(errorHeader("xs = [1, 2]; xs[:\"a\"]").contains("a slice stop must be a whole number, got \"a\""))
        #expect(errorHeader("xs = [1, 2]; xs[0:1, 1]").contains("a list takes one index or slice, got 2"))
        #expect(errorHeader("t = tensor([1, 2]); t[0:1, 0]").contains("takes at most 1 indices, got 2"))
        #expect(errorHeader("t = tensor([[1, 2]]); t[:, 5]").contains("index 5 is out of range for axis 1"))
        #expect(errorHeader("x = 5; x[1:]").contains("a number cannot be sliced"))
        #expect(errorHeader("xs = [1, 2, 3]; xs[0:2] = [5]") == "<test>:1:20: error: assigning into a slice is not supported")
        #expect(errorHeader("net = linear(2, 2) |> relu; net[2:]").contains("the slice selects no layers"))
    }

    /// f(x) = Σ x[0:2, 1:]² + 3·x[2, 0] + Σ x[:, 1]·[1, 2, 3] + Σ x[::-2, -1]·[5, 7]
    static let function = "fn(x) => sum(x[0:2, 1:]^2) + 3 * x[2, 0] + sum(x[:, 1] * [1, 2, 3]) + sum(x[::-2, -1] * [5, 7])"
    static let point: [[Double]] = [[0.5, -1, 2, 0.25], [1.5, 0.75, -0.5, 3], [2, -2, 1, -1]]

    @Test func gradientOfSlicesMatchesFiniteDifferences() throws {
        let literal = { (m: [[Double]]) in "tensor([" + m.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "])" }
        let got = try autodiffNumbers("grad(\(Self.function))(\(literal(Self.point)))")
        #expect(got.count == 12)
        let h = 1e-2
        for i in 0..<3 {
            for j in 0..<4 {
                var plus = Self.point, minus = Self.point
                plus[i][j] += h
                minus[i][j] -= h
                let difference = (try evalNumber("(\(Self.function))(\(literal(plus)))")
                    - (try evalNumber("(\(Self.function))(\(literal(minus)))"))) / (2 * h)
                #expect(abs(got[i * 4 + j] - difference) < 1e-2, "∂f/∂x[\(i), \(j)]: \(got[i * 4 + j]) vs \(difference)")
            }
        }
        // By hand: 2x on rows 0–1, columns 1–3; 3 at [2, 0]; 1, 2, 3 down column 1; 7 at [0, 3], 5 at [2, 3].
        let byHand: [Double] = [0, 2 * -1 + 1, 2 * 2, 2 * 0.25 + 7, 0, 2 * 0.75 + 2, 2 * -0.5, 2 * 3, 3, 3, 0, 5]
        for (a, b) in zip(got, byHand) { #expect(near(a, b)) }
    }

    @Test func slicesShowInTracesAndGraphs() throws {
        // d/dt Σ (v + t)[1:3]² at v = [1, 2, 3] is 2·(2 + 3) = 10.
        let trace = try runNNS(#"print(trace(fn(v) => sum(v[1:3] * v[1:3]), tensor([1, 2, 3]), mode: "forward"))"#).output
        #expect(trace.contains("∂f/∂v = v̇₄ = 10"))
        let graph = try runNNS("print(graph(fn(m) => sum(m[:, 0]), tensor([[1, 2], [3, 4]])))").output
        #expect(graph.contains("([1, 3])"))
    }

    @Test func gradientOfVectorSlices() throws {
        // g(v) = Σ v[1:4]·[1, 2, 3] + v[-1]² + Σ v[::-2]  at v = [1, 2, 3, 4, 5]
        let got = try autodiffNumbers("grad(fn(v) => sum(v[1:4] * [1, 2, 3]) + v[-1]^2 + sum(v[::-2]))(tensor([1, 2, 3, 4, 5]))")
        #expect(got == [1, 1, 3, 3, 11])
    }
}
