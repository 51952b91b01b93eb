import Foundation
import Testing
@testable import NNEngine

/// Gradients from the tape against derivatives worked out by hand (the notes' examples)
/// and against central differences of independent Float64 implementations.
@Suite struct AutodiffTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-4) -> Bool {
        Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    /// f(x) = log(sin x²), the notes' first example.
    static func logSinSquare(_ x: Traced) throws -> Traced {
        try x.power(x.constant(Tensor(scalar: 2))).sin().log()
    }

    /// f(x) = sqrt(x² + exp x²), built as a = x², b = exp a, c = a + b, d = √c.
    static func sqrtSum(_ x: Traced) throws -> Traced {
        let a = try x.power(x.constant(Tensor(scalar: 2)))
        return try (a + a.exp()).sqrt()
    }

    static func derivative(at x: Double, _ f: (Traced) throws -> Traced) throws -> Double {
        let tape = Tape()
        let input = tape.variable(Tensor(scalar: Float(x)), name: "x")
        let y = try f(input)
        return Double(try tape.gradients(of: y, withRespectTo: [input])[0].scalars[0])
    }

    @Test(arguments: [0.5, 1.0, 1.5, -1.2])
    func logSinSquareMatchesAnalyticDerivative(x: Double) throws {
        // d/dx log(sin x²) = 2x·cos x² / sin x²
        let want = 2 * x * Foundation.cos(x * x) / Foundation.sin(x * x)
        #expect(Self.close(try Self.derivative(at: x, Self.logSinSquare), want))
    }

    @Test(arguments: [-1.0, 0.0, 0.3, 1.25])
    func expSquareMatchesAnalyticDerivative(x: Double) throws {
        // d/dx exp(x²) = 2x·exp(x²)
        let want = 2 * x * Foundation.exp(x * x)
        let got = try Self.derivative(at: x) { x in try x.power(x.constant(Tensor(scalar: 2))).exp() }
        #expect(Self.close(got, want))
    }

    @Test(arguments: [-0.7, 0.0, 0.5, 2.0])
    func sqrtOfSumMatchesAnalyticDerivative(x: Double) throws {
        // f'(x) = x(1 + exp x²) / sqrt(x² + exp x²)
        let want = x * (1 + Foundation.exp(x * x)) / (x * x + Foundation.exp(x * x)).squareRoot()
        #expect(Self.close(try Self.derivative(at: x, Self.sqrtSum), want))
    }

    @Test func loopOfRepeatedProductsAccumulates() throws {
        // y = x; repeat 3 times: y = y·x  ⇒  y = x⁴, dy/dx = 4x³ = 4·1.5³ = 13.5
        let got = try Self.derivative(at: 1.5) { x in
            var y = x
            for _ in 0..<3 { y = try y * x }
            return y
        }
        #expect(Self.close(got, 13.5))
        // x·x + x: x is used three times; d/dx = 2x + 1 = 7 at x = 3.
        #expect(Self.close(try Self.derivative(at: 3) { x in try x * x + x }, 7))
    }

    @Test(arguments: [-2.0, 0.5])
    func branchRecordsOnlyTheTakenPath(x: Double) throws {
        // f(x) = x > 0 ? x³ : −5x, the condition being a traced comparison.
        func f(_ x: Traced) throws -> Traced {
            let positive = try x.combined(.greater, x.constant(Tensor(scalar: 0)))
            if positive.value.scalars[0] != 0 {
                return try x.power(x.constant(Tensor(scalar: 3)))
            }
            return try x.constant(Tensor(scalar: -5)) * x
        }
        let want = x > 0 ? 3 * x * x : -5
        #expect(Self.close(try Self.derivative(at: x, f), want))
    }

    @Test func binaryOperationsWithBroadcastingMatchCentralDifferences() throws {
        // f(a, b) = Σ op(a, b) ⊙ w  with a [2×3], b [3] (stretched over the rows).
        let a0: [Double] = [0.7, 1.3, 2.1, 0.4, 1.9, 1.1]
        let b0: [Double] = [1.2, 0.6, 1.7]
        let w: [Double] = [0.3, -0.5, 0.8, 1.1, -0.2, 0.6]
        let ops: [(BinaryOp, (Double, Double) -> Double)] = [
            (.add, +), (.subtract, -), (.multiply, *), (.divide, /),
            (.power, { Foundation.pow($0, $1) }),
            (.minimum, { Swift.min($0, $1) }), (.maximum, { Swift.max($0, $1) }),
            (.modulo, { $0 - ($0 / $1).rounded(.down) * $1 }),
        ]
        for (op, reference) in ops {
            func f(_ a: [Double], _ b: [Double]) -> Double {
                (0..<6).reduce(0) { $0 + reference(a[$1], b[$1 % 3]) * w[$1] }
            }
            let tape = Tape()
            let a = tape.variable(Tensor(shape: [2, 3], scalars: a0.map(Float.init)), name: "a")
            let b = tape.variable(Tensor(b0.map(Float.init)), name: "b")
            let weights = tape.constant(Tensor(shape: [2, 3], scalars: w.map(Float.init)))
            let y = (try a.combined(op, b) * weights).sum()
            let grads = try tape.gradients(of: y, withRespectTo: [a, b])
            #expect(grads[0].shape == [2, 3] && grads[1].shape == [3])
            let h = 1e-6
            for i in 0..<6 {
                var up = a0, down = a0
                up[i] += h
                down[i] -= h
                let numeric = (f(up, b0) - f(down, b0)) / (2 * h)
                #expect(Self.close(Double(grads[0].scalars[i]), numeric, 1e-3), "\(op) ∂a[\(i)]")
            }
            for j in 0..<3 {
                var up = b0, down = b0
                up[j] += h
                down[j] -= h
                let numeric = (f(a0, up) - f(a0, down)) / (2 * h)
                #expect(Self.close(Double(grads[1].scalars[j]), numeric, 1e-3), "\(op) ∂b[\(j)]")
            }
        }
    }

    @Test func activationsMatchCentralDifferences() throws {
        let x0: [Double] = [-1.3, -0.2, 0.4, 2.2]
        let activations: [(String, (Traced) throws -> Traced, (Double) -> Double)] = [
            ("sigmoid", { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }),
            ("tanh", { $0.tanh() }, { Foundation.tanh($0) }),
            ("relu", { $0.relu() }, { Swift.max(0, $0) }),
            ("leaky_relu", { $0.leakyRelu(alpha: 0.1) }, { $0 > 0 ? $0 : 0.1 * $0 }),
            ("elu", { $0.elu(alpha: 1.5) }, { $0 > 0 ? $0 : 1.5 * (Foundation.exp($0) - 1) }),
            ("gelu", { $0.gelu() }, { $0 * 0.5 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }),
            ("identity", { $0.identity() }, { $0 }),
            ("abs", { $0.abs() }, { Swift.abs($0) }),
            ("cos", { $0.cos() }, { Foundation.cos($0) }),
            ("neg", { -$0 }, { -$0 }),
        ]
        for (name, traced, reference) in activations {
            // f(x) = Σ act(x)ᵢ · (i + 1), so each element's derivative is distinct.
            func f(_ x: [Double]) -> Double { x.indices.reduce(0) { $0 + reference(x[$1]) * Double($1 + 1) } }
            let tape = Tape()
            let x = tape.variable(Tensor(x0.map(Float.init)), name: "x")
            let y = (try traced(x) * x.constant(Tensor([1, 2, 3, 4]))).sum()
            let g = try tape.gradients(of: y, withRespectTo: [x])[0]
            for i in x0.indices {
                var up = x0, down = x0
                up[i] += 1e-6
                down[i] -= 1e-6
                let numeric = (f(up) - f(down)) / 2e-6
                #expect(Self.close(Double(g.scalars[i]), numeric, 1e-3), "\(name)'(\(x0[i]))")
            }
        }
        // step passes no gradient at all.
        let tape = Tape()
        let x = tape.variable(Tensor([-1, 2]), name: "x")
        #expect(try tape.gradients(of: x.step().sum(), withRespectTo: [x])[0] == Tensor([0, 0]))
    }

    @Test func matrixNetworkMatchesCentralDifferences() throws {
        // C = mean(softmax(tanh(W @ v + b)) ⊙ t): W [2×3], v [3], b [2], t [2] constant.
        let w0: [Double] = [0.2, -0.4, 0.7, 0.5, 0.1, -0.3]
        let v: [Double] = [1.0, -2.0, 0.5]
        let b0: [Double] = [0.1, -0.2]
        let target: [Double] = [1.0, 3.0]
        func reference(_ w: [Double], _ b: [Double]) -> Double {
            let z = (0..<2).map { i in Foundation.tanh((0..<3).reduce(b[i]) { $0 + w[i * 3 + $1] * v[$1] }) }
            let e = z.map { Foundation.exp($0) }
            let total = e.reduce(0, +)
            return (0..<2).reduce(0) { $0 + e[$1] / total * target[$1] } / 2
        }
        let tape = Tape()
        let W = tape.variable(Tensor(shape: [2, 3], scalars: w0.map(Float.init)), name: "W")
        let b = tape.variable(Tensor(b0.map(Float.init)), name: "b")
        let a = tape.constant(Tensor(v.map(Float.init)))
        let t = tape.constant(Tensor(target.map(Float.init)))
        let C = (try (try W.matmul(a) + b).tanh().softmax() * t).mean()
        #expect(Self.close(Double(C.value.scalars[0]), reference(w0, b0), 1e-5))
        let g = try tape.gradients(of: C, withRespectTo: [W, b])
        let h = 1e-6
        for i in 0..<6 {
            var up = w0, down = w0
            up[i] += h
            down[i] -= h
            #expect(Self.close(Double(g[0].scalars[i]), (reference(up, b0) - reference(down, b0)) / (2 * h), 1e-3))
        }
        for i in 0..<2 {
            var up = b0, down = b0
            up[i] += h
            down[i] -= h
            #expect(Self.close(Double(g[1].scalars[i]), (reference(w0, up) - reference(w0, down)) / (2 * h), 1e-3))
        }
    }

    @Test func matrixTimesMatrixAndTranspose() throws {
        // C = Σ (A @ Bᵀ) = Σᵢⱼₖ A[i,k] B[j,k]  ⇒  ∂C/∂A[i,k] = Σⱼ B[j,k], ∂C/∂B[j,k] = Σᵢ A[i,k]
        let tape = Tape()
        let A = tape.variable(Tensor(rows: [[1, 2], [3, 4], [5, 6]]), name: "A")
        let B = tape.variable(Tensor(rows: [[1, -1], [2, 0.5]]), name: "B")
        let C = try A.matmul(try B.transposed()).sum()
        #expect(C.value == Tensor(scalar: 1 * 1 + 2 * -1 + 1 * 2 + 2 * 0.5 + 3 - 4 + 6 + 2 + 5 - 6 + 10 + 3))
        let g = try tape.gradients(of: C, withRespectTo: [A, B])
        #expect(g[0] == Tensor(rows: [[3, -0.5], [3, -0.5], [3, -0.5]]))
        #expect(g[1] == Tensor(rows: [[9, 12], [9, 12]]))
    }
}

@Suite struct AutodiffReductionTests {
    @Test func maxAndMinElementsPassTheAdjointToOneElement() throws {
        // f(x) = 3·max(x) + min(x)²: ∂f/∂x = 3 at the largest, 2·min at the smallest.
        let tape = Tape()
        let x = tape.variable(Tensor([0.5, 4, -2, 1]), name: "x")
        let f = try tape.constant(3) * x.maxElement() + (try x.minElement().power(tape.constant(2)))
        #expect(f.value == Tensor(scalar: 16))
        #expect(try tape.gradients(of: f, withRespectTo: [x])[0] == Tensor([0, 3, -4, 0]))
        // Forward mode along d: 3·d[1] + 2·(−2)·d[2] = 3·1 − 4·0.5 = 1.
        let tangent = try tape.tangents(seed: x, direction: Tensor([7, 1, 0.5, 9]))[f.id]
        #expect(tangent == Tensor(scalar: 1))
        #expect(throws: EngineError.self) { try tape.variable(Tensor(zeros: [0]), name: "e").maxElement() }
    }
}
