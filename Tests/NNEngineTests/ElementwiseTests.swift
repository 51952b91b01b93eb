import Foundation
import Testing
@testable import NNEngine

@Suite struct ElementwiseTests {
    @Test func arithmeticOnSameShapes() throws {
        let a = Tensor([1, -2, 3]), b = Tensor([4, 5, -6])
        #expect(try a + b == Tensor([5, 3, -3]))
        #expect(try a - b == Tensor([-3, -7, 9]))
        #expect(try a * b == Tensor([4, -10, -18]))
        #expect(try Tensor([1, 3]) / Tensor([4, 2]) == Tensor([0.25, 1.5]))
        #expect(-a == Tensor([-1, 2, -3]))
        #expect(try Tensor.pow(Tensor([2, 9, 4]), Tensor([3, 0.5, -1])) == Tensor([8, 3, 0.25]))
        #expect(try Tensor.pow(Tensor([-3, 0.5]), Tensor(scalar: 2)) == Tensor([9, 0.25]))
        #expect(try Tensor.pow(Tensor([-3, 0.5]), Tensor(shape: [1, 1], scalars: [2])) == Tensor(rows: [[9, 0.25]]))
    }

    @Test func moduloFollowsPythonSigns() throws {
        // Python: -7 % 3 == 2, 7 % -3 == -2, -7 % -3 == -1, 5.5 % 2 == 1.5
        let r = try Tensor([-7, 7, -7, 5.5, 6]) % Tensor([3, -3, -3, 2, 3])
        #expect(r == Tensor([2, -2, -1, 1.5, 0]))
        #expect(try (Tensor([1]) % Tensor([0])).scalars[0].isNaN)
    }

    @Test func divisionByZeroFollowsIEEE() throws {
        let r = try Tensor([1, -1, 0]) / Tensor(scalar: 0)
        #expect(r.scalars[0] == .infinity)
        #expect(r.scalars[1] == -.infinity)
        #expect(r.scalars[2].isNaN)
    }

    @Test func minMaxAndComparisonsGiveOnesAndZeros() throws {
        let a = Tensor([1, 5, 3]), b = Tensor([2, 5, 1])
        #expect(try Tensor.minimum(a, b) == Tensor([1, 5, 1]))
        #expect(try Tensor.maximum(a, b) == Tensor([2, 5, 3]))
        #expect(try a.applying(.equal, b) == Tensor([0, 1, 0]))
        #expect(try a.applying(.notEqual, b) == Tensor([1, 0, 1]))
        #expect(try a.applying(.less, b) == Tensor([1, 0, 0]))
        #expect(try a.applying(.lessEqual, b) == Tensor([1, 1, 0]))
        #expect(try a.applying(.greater, b) == Tensor([0, 0, 1]))
        #expect(try a.applying(.greaterEqual, b) == Tensor([0, 1, 1]))
        #expect(try Tensor.maximum(Tensor([Float.nan]), Tensor([1])).scalars[0].isNaN)
    }

    @Test func unaryMathMatchesDoublePrecision() {
        let xs: [Float] = [-2, -0.5, 0.25, 1, 3]
        let t = Tensor(xs)
        func check(_ op: UnaryOp, _ f: (Double) -> Double) {
            let r = t.applying(op)
            for (i, x) in xs.enumerated() {
                let want = f(Double(x))
                if want.isNaN { #expect(r.scalars[i].isNaN); continue }
                #expect(Swift.abs(Double(r.scalars[i]) - want) <= 1e-6 * Swift.max(1, Swift.abs(want)),
                        "\(op.name)(\(x))")
            }
        }
        check(.exp) { Foundation.exp($0) }
        check(.log) { Foundation.log($0) }
        check(.sqrt) { Foundation.sqrt($0) }
        check(.sin) { Foundation.sin($0) }
        check(.cos) { Foundation.cos($0) }
        check(.tanh) { Foundation.tanh($0) }
        check(.abs) { Swift.abs($0) }
        check(.sigmoid) { 1 / (1 + Foundation.exp(-$0)) }
        check(.relu) { Swift.max(0, $0) }
        check(.step) { $0 > 0 ? 1 : 0 }
        check(.leakyRelu(alpha: 0.1)) { $0 > 0 ? $0 : 0.1 * $0 }
        check(.elu(alpha: 1)) { $0 > 0 ? $0 : Foundation.exp($0) - 1 }
        check(.gelu) { $0 * 0.5 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
        check(UnaryOp(SiLU.self)) { $0 / (1 + Foundation.exp(-$0)) }
        check(UnaryOp(Softplus.self)) { Foundation.log(1 + Foundation.exp($0)) }
        check(.tan) { Foundation.tan($0) }
        check(.atan) { Foundation.atan($0) }
    }

    /// softplus(x) = log(1 + eˣ) written naively overflows at x ≈ 89 in Float; the table's
    /// form does not, and keeps the tail for very negative x.
    @Test func softplusIsStableAtExtremes() {
        let r = Tensor([-100, 0, 100, 1000]).applying(UnaryOp(Softplus.self))
        #expect(Swift.abs(r.scalars[0] - Float(Foundation.exp(-100.0))) <= Float.leastNonzeroMagnitude)
        #expect(Swift.abs(r.scalars[1] - Float(Foundation.log(2.0))) <= 1e-7)
        #expect(r.scalars[2] == 100 && r.scalars[3] == 1000)
        // By hand: silu(1) = 1/(1 + e⁻¹) = 0.7310586, silu(−1) = −0.2689414.
        let s = Tensor([1, -1]).applying(UnaryOp(SiLU.self))
        #expect(Swift.abs(s.scalars[0] - 0.7310586) < 1e-6 && Swift.abs(s.scalars[1] + 0.2689414) < 1e-6)
    }

    @Test func sigmoidIsStableAtExtremes() {
        let r = Tensor([-1000, 0, 1000]).applying(.sigmoid)
        #expect(r == Tensor([0, 0.5, 1]))
    }

    @Test func derivativesMatchCentralDifferences() {
        let ops: [UnaryOp] = [.exp, .log, .sqrt, .sin, .cos, .tanh, .abs, .sigmoid, .relu,
                              .leakyRelu(alpha: 0.2), .elu(alpha: 0.7), .gelu, .negate, .identity,
                              UnaryOp(SiLU.self), UnaryOp(Softplus.self), .tan, .asin, .acos, .atan]
        for op in ops {
            for x in [0.3, 1.7, -0.8, 2.5] where !(x < 0 && (op == .log || op == .sqrt))
                && !(Swift.abs(x) >= 1 && (op == .asin || op == .acos)) {
                let h = 1e-3
                let numeric = (Double(op.apply(Float(x + h))) - Double(op.apply(Float(x - h)))) / (2 * h)
                let analytic = Double(op.derivative(input: Float(x), output: op.apply(Float(x))))
                #expect(Swift.abs(numeric - analytic) < 2e-3 * Swift.max(1, Swift.abs(analytic)),
                        "\(op.name)'(\(x)): \(analytic) vs \(numeric)")
            }
        }
        #expect(UnaryOp.relu.derivative(input: 0, output: 0) == 0)
        #expect(UnaryOp.step.derivative(input: 0.5, output: 1) == 0)
    }

    @Test func inPlaceApplyReusesTheOutputBuffer() throws {
        var out = Tensor(zeros: [2, 2])
        try Tensor.apply(.add, Tensor(rows: [[1, 2], [3, 4]]), Tensor(scalar: 1), into: &out)
        #expect(out == Tensor(rows: [[2, 3], [4, 5]]))
        try Tensor.apply(.multiply, Tensor([1, 2, 3]), Tensor([2, 2, 2]), into: &out)
        #expect(out == Tensor([2, 4, 6]))
    }

    @Test func scalarConvenienceOperators() {
        #expect(Tensor([1, 2]) * 3 == Tensor([3, 6]))
        #expect(Tensor([1, 2]) + 0.5 == Tensor([1.5, 2.5]))
    }
}
