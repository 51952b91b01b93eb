import Foundation
import Testing
@testable import NNSLanguage

/// trace(f, ...) in both modes: the notes' notation, derivatives against analytic values,
/// and forward and reverse mode agreeing.
@Suite struct TraceTests {
    func trace(_ source: String) throws -> EvaluationTrace {
        guard case .object(let object as EvaluationTrace)? = try autodiffRun(source).value else {
            throw BuiltinError("not a trace")
        }
        return object
    }

    @Test func notesTraceOfLogSinSquare() throws {
        // The notes: v₁ = x², v₂ = sin v₁, v₃ = log v₂; v̇₁ = 2x·ẋ, v̇₂ = cos v₁·v̇₁, v̇₃ = 1/v₂·v̇₂;
        // v̄₂ = v̄₃·1/v₂, v̄₁ = v̄₂·cos v₁, x̄ = v̄₁·2x.
        let t = try trace("trace(fn(x) => log(sin(x^2)), 1.0, mode: \"both\")")
        #expect(t.forwardRows.map(\.expression) == ["x", "x²", "sin v₁", "log v₂"])
        #expect(t.forwardRows.map(\.symbol) == ["v₀", "v₁", "v₂", "v₃"])
        #expect(t.forwardRows.map(\.derivativeExpression) == ["1", "2x · ẋ", "cos v₁ · v̇₁", "1/v₂ · v̇₂"])
        #expect(t.reverseRows.map(\.derivativeExpression) == ["1", "v̄₃ · 1/v₂", "v̄₂ · cos v₁", "v̄₁ · 2x"])
        // Values and tangents, step by step, in Float64.
        let x = 1.0
        let values = [x, x * x, sin(x * x), log(sin(x * x))]
        let tangents = [1, 2 * x, cos(x * x) * 2 * x, cos(x * x) * 2 * x / sin(x * x)]
        for (row, (v, d)) in zip(t.forwardRows, zip(values, tangents)) {
            #expect(near(Double(row.value.scalars[0]), v))
            #expect(near(Double(row.derivative.scalars[0]), d))
        }
        // Adjoints from the output back: v̄₃ = 1, v̄₂ = 1/v₂, v̄₁ = cos v₁/v₂, x̄ = 2x cos v₁/v₂.
        let adjoints = [1, 1 / sin(x * x), cos(x * x) / sin(x * x), 2 * x * cos(x * x) / sin(x * x)]
        for (row, a) in zip(t.reverseRows, adjoints) {
            #expect(near(Double(row.derivative.scalars[0]), a))
        }
        #expect(t.text.contains("v₂ = sin v₁"))
        #expect(t.text.contains("forward mode"))
        #expect(t.text.contains("reverse mode"))
    }

    @Test(arguments: [0.3, 1.2])
    func bothModesGiveTheAnalyticDerivative(x: Double) throws {
        let cases: [(String, Double)] = [
            ("fn(x) => log(sin(x^2))", GradTests.f1(x)),
            ("fn(x) => exp(x^2)", GradTests.f2(x)),
            ("fn(x) => sqrt(x^2 + exp(x^2))", GradTests.f3(x)),
        ]
        for (f, expected) in cases {
            let t = try trace("trace(\(f), \(x), mode: \"both\")")
            let forward = Double(t.forwardRows.last!.derivative.scalars[0])
            let reverse = Double(t.reverseRows.last!.derivative.scalars[0])
            #expect(t.reverseRows.last!.isInput)
            #expect(near(forward, expected), "\(f) forward")
            #expect(near(reverse, expected), "\(f) reverse")
        }
    }

    @Test func modesAgreeWithLoopsAndBranches() throws {
        // g(x, y) = 3·x·y (a loop) + exp x (x > 0) : ∂g/∂x = 3y + eˣ, ∂g/∂y = 3x.
        let source = """
            fn g(x, y) {
                s = 0
                for i in range(3) {
                    if x > 0 { s = s + x * y } else { s = s - y }
                }
                return s + exp(x)
            }
            """
        let byX = try trace(source + "\ntrace(g, 2, 3, wrt: 0, mode: \"both\")")
        let byY = try trace(source + "\ntrace(g, 2, 3, wrt: 1, mode: \"both\")")
        let forwardX = Double(byX.forwardRows.last!.derivative.scalars[0])
        let forwardY = Double(byY.forwardRows.last!.derivative.scalars[0])
        let reverse = Dictionary(uniqueKeysWithValues: byX.reverseRows.filter(\.isInput).map {
            ($0.name!, Double($0.derivative.scalars[0]))
        })
        #expect(near(forwardX, 9 + exp(2)))
        #expect(near(forwardY, 6))
        #expect(near(reverse["x"]!, forwardX))
        #expect(near(reverse["y"]!, forwardY))
        // The else branch is never taken, so no subtraction appears on the tape.
        #expect(!byX.forwardRows.contains { $0.expression.contains("−") })
    }

    @Test func modeOptionAndREPLHelper() throws {
        let forwardOnly = try trace("trace(fn(x) => x^3, 2, mode: \"forward\")")
        #expect(forwardOnly.reverseRows.isEmpty)
        #expect(near(Double(forwardOnly.forwardRows.last!.derivative.scalars[0]), 12))
        let interpreter = Interpreter(host: CapturingHost())
        let text = try NNSLanguage.withInterpreterStack { () throws -> String in
            try interpreter.run(source: "fn f(x) => log(sin(x^2))", name: "t")
            return try interpreter.traceText(of: interpreter.lookup("f")!, at: [.number(1)])
        }
        #expect(text.contains("v̇₃ = 1/v₂ · v̇₂"))
        #expect(text.contains("x̄  = v̄₁ · 2x"))
        #expect(throws: Diagnostic.self) { try autodiffRun("trace(fn(x) => x, 1, mode: \"sideways\")") }
        #expect(throws: Diagnostic.self) { try autodiffRun("trace(fn(x) => x)") }
    }
}
