import Foundation
import Testing
@testable import NNEngine

/// Trace tables, forward mode, the graph and the tape's errors.
@Suite struct TapeTests {
    static func close(_ a: Float, _ b: Double, _ tolerance: Double = 1e-5) -> Bool {
        Swift.abs(Double(a) - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    /// Records log(sin x²) at `x`; returns the tape, input and output.
    static func logSinSquare(at x: Float) throws -> (Tape, Traced, Traced) {
        let tape = Tape()
        let input = tape.variable(Tensor(scalar: x), name: "x")
        let y = try input.power(tape.constant(2)).sin().log()
        return (tape, input, y)
    }

    @Test func forwardTraceFollowsTheNotes() throws {
        // v₁ = x², v₂ = sin v₁, v₃ = log v₂;  v̇₁ = 2x ẋ, v̇₂ = cos v₁ · v̇₁, v̇₃ = v̇₂ / v₂.
        let x = 1.2
        let (tape, input, y) = try Self.logSinSquare(at: Float(x))
        let rows = try tape.forwardTrace(seed: input, output: y)
        #expect(rows.map(\.symbol) == ["v₀", "v₁", "v₂", "v₃"])
        #expect(rows.map(\.expression) == ["x", "x²", "sin v₁", "log v₂"])
        #expect(rows.map(\.derivativeSymbol) == ["ẋ", "v̇₁", "v̇₂", "v̇₃"])
        #expect(rows.map(\.derivativeExpression) == ["1", "2x · ẋ", "cos v₁ · v̇₁", "1/v₂ · v̇₂"])
        #expect(rows.map(\.isInput) == [true, false, false, false])
        #expect(rows.last?.isOutput == true)
        let v1 = x * x, v2 = Foundation.sin(v1)
        let values = [x, v1, v2, Foundation.log(v2)]
        let tangents = [1, 2 * x, Foundation.cos(v1) * 2 * x, Foundation.cos(v1) * 2 * x / v2]
        for (row, (value, tangent)) in zip(rows, zip(values, tangents)) {
            #expect(Self.close(row.value.scalars[0], value), "\(row.symbol)")
            #expect(Self.close(row.derivative.scalars[0], tangent, 1e-4), "\(row.derivativeSymbol)")
        }
    }

    @Test func reverseTraceFollowsTheNotes() throws {
        // v̄₃ = 1, v̄₂ = v̄₃ · 1/v₂, v̄₁ = v̄₂ · cos v₁, x̄ = v̄₁ · 2x
        let x = 0.8
        let (tape, _, y) = try Self.logSinSquare(at: Float(x))
        let rows = try tape.reverseTrace(output: y)
        #expect(rows.map(\.derivativeSymbol) == ["v̄₃", "v̄₂", "v̄₁", "x̄"])
        #expect(rows.map(\.derivativeExpression) == ["1", "v̄₃ · 1/v₂", "v̄₂ · cos v₁", "v̄₁ · 2x"])
        let v1 = x * x, v2 = Foundation.sin(v1)
        let adjoints = [1, 1 / v2, Foundation.cos(v1) / v2, 2 * x * Foundation.cos(v1) / v2]
        for (row, want) in zip(rows, adjoints) {
            #expect(Self.close(row.derivative.scalars[0], want, 1e-4), "\(row.derivativeSymbol)")
        }
    }

    @Test func sharedValueCollectsAdjointsFromEveryUse() throws {
        // The week-41 example: a = x², b = exp a, c = a + b, d = √c; ā = c̄ + b̄ · exp a.
        let x = 0.9
        let tape = Tape()
        let input = tape.variable(Tensor(scalar: Float(x)), name: "x")
        let a = try input.power(tape.constant(2))
        let d = try (a + a.exp()).sqrt()
        let rows = try tape.reverseTrace(output: d)
        #expect(rows.map(\.expression) == ["√v₃", "v₁ + v₂", "exp v₁", "x²", "x"])
        #expect(rows.map(\.derivativeExpression)
                == ["1", "v̄₄ · 1/(2√v₃)", "v̄₃", "v̄₂ · exp v₁ + v̄₃", "v̄₁ · 2x"])
        let c = x * x + Foundation.exp(x * x)
        // ∂f/∂a = (1 + exp a) / (2√c)
        #expect(Self.close(rows[3].derivative.scalars[0], (1 + Foundation.exp(x * x)) / (2 * c.squareRoot()), 1e-4))
        #expect(Self.close(rows[4].derivative.scalars[0], x * (1 + Foundation.exp(x * x)) / c.squareRoot(), 1e-4))
    }

    @Test(arguments: [0.3, 1.1, 2.0])
    func forwardAndReverseAgreeForTwoInputs(x: Double) throws {
        // f(x, y) = x·y + sin(x) / y  at (x, 1.7): ∂f/∂x = y + cos x / y, ∂f/∂y = x − sin x / y².
        let yv = 1.7
        let tape = Tape()
        let xs = tape.variable(Tensor(scalar: Float(x)), name: "x")
        let ys = tape.variable(Tensor(scalar: Float(yv)), name: "y")
        let f = try xs * ys + (try xs.sin() / ys)
        let reverse = try tape.gradients(of: f, withRespectTo: [xs, ys])
        let forwardX = try tape.tangents(seed: xs)[f.id]
        let forwardY = try tape.tangents(seed: ys)[f.id]
        #expect(Self.close(reverse[0].scalars[0], yv + Foundation.cos(x) / yv, 1e-4))
        #expect(Self.close(reverse[1].scalars[0], x - Foundation.sin(x) / (yv * yv), 1e-4))
        #expect(forwardX.map { Self.close($0.scalars[0], Double(reverse[0].scalars[0])) } == true)
        #expect(forwardY.map { Self.close($0.scalars[0], Double(reverse[1].scalars[0])) } == true)
        let rows = try tape.forwardTrace(seed: xs, output: f)
        #expect(rows.map(\.symbol).prefix(2) == ["v₋₁", "v₀"])
        #expect(rows.map(\.derivativeExpression).prefix(2) == ["1", "0"])
    }

    @Test func forwardDirectionalDerivativeOfTensorInputMatchesReverse() throws {
        // Forward mode along d gives ⟨∇f, d⟩; reverse mode gives ∇f.
        let tape = Tape()
        let x = tape.variable(Tensor(rows: [[0.5, -1], [2, 0.25]]), name: "x")
        let f = (try x * x.sigmoid()).mean()
        let gradient = try tape.gradients(of: f, withRespectTo: [x])[0]
        let d = Tensor(rows: [[1, 2], [-1, 0.5]])
        let tangent = try #require(try tape.tangents(seed: x, direction: d)[f.id])
        let dot = zip(gradient.scalars, d.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        #expect(Self.close(tangent.scalars[0], dot, 1e-5))
        // Independent check of one component: d/dx (x σ(x))/4 = (σ + xσ(1−σ))/4 at x = 2.
        let s = 1 / (1 + Foundation.exp(-2.0))
        #expect(Self.close(gradient.scalars[2], (s + 2 * s * (1 - s)) / 4))
    }

    @Test func graphOfTheWeek41Function() throws {
        let tape = Tape()
        let x = tape.variable(Tensor(scalar: 1), name: "x")
        let a = try x.power(tape.constant(2))
        let d = try (a + a.exp()).sqrt()
        let graph = try tape.graph(output: d)
        #expect(graph.nodes.map(\.label) == ["v₀ = x", "v₁ = x²", "v₂ = exp v₁", "v₃ = v₁ + v₂", "v₄ = √v₃"])
        let symbol = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0.symbol) })
        let edges = graph.edges.map { "\(symbol[$0.from]!)→\(symbol[$0.to]!)" }
        #expect(Set(edges) == ["v₀→v₁", "v₁→v₂", "v₁→v₃", "v₂→v₃", "v₃→v₄"])
        #expect(edges.count == 5)
        let dot = graph.dot
        #expect(dot.hasPrefix("digraph"))
        #expect(dot.contains("label=\"v₂ = exp v₁\\n2.7182817\""))
        #expect(dot.contains("n\(x.id) -> n\(a.id);"))
    }

    @Test func unusedBranchValuesStayOutOfTheTrace() throws {
        // A comparison used only to branch is recorded but is not part of the output's trace.
        let tape = Tape()
        let x = tape.variable(Tensor(scalar: 2), name: "x")
        _ = try x.combined(.greater, tape.constant(0))
        let y = try x * x
        #expect(try tape.reverseTrace(output: y).count == 2)
        #expect(try tape.forwardTrace(seed: x).count == 3)
        // Operations on constants alone are folded: 2 · 3 is a constant 6, written inline.
        let six = try tape.constant(2) * tape.constant(3)
        let z = try six * x
        #expect(try tape.forwardTrace(seed: x, output: z).last?.expression == "6 · x")
    }

    @Test func errorsCarryHints() throws {
        let tape = Tape()
        let x = tape.variable(Tensor([1, 2]), name: "x")
        #expect(throws: EngineError.self) { try tape.gradients(of: x.exp(), withRespectTo: [x]) }
        do {
            _ = try tape.adjoints(of: x)
            Issue.record("non-scalar output accepted")
        } catch let error as EngineError {
            #expect(error.hint?.contains("sum") == true)
        }
        let other = Tape().variable(Tensor([1, 2]), name: "y")
        #expect(throws: EngineError.self) { try x + other }
        #expect(throws: EngineError.self) { try x.matmul(tape.constant(Tensor(zeros: [3, 1]))) }
        #expect(throws: EngineError.self) { try x + tape.constant(Tensor([1, 2, 3])) }
        #expect(throws: EngineError.self) { try tape.tangents(seed: tape.constant(1)) }
        #expect(throws: EngineError.self) { try tape.tangents(seed: x, direction: Tensor([1])) }
    }

    @Test func gradientOfUnusedInputIsZero() throws {
        let tape = Tape()
        let x = tape.variable(Tensor(scalar: 3), name: "x")
        let unused = tape.variable(Tensor([1, 2]), name: "w")
        let g = try tape.gradients(of: x.exp(), withRespectTo: [x, unused])
        #expect(Self.close(g[0].scalars[0], Foundation.exp(3.0)))
        #expect(g[1] == Tensor([0, 0]))
    }
}
