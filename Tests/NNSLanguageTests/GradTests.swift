import Foundation
import Testing
@testable import NNSLanguage

/// Runs `source` and returns its final value and what it printed.
func autodiffRun(_ source: String) throws -> (value: Value?, output: String) {
    let (output, value) = try runNNS(source)
    return (value, output)
}

/// The final value of `source` as numbers (a number, a list of numbers, or a tensor's elements).
func autodiffNumbers(_ source: String) throws -> [Double] {
    let value = try autodiffRun(source).value
    switch value {
    case .number(let x)?: return [x]
    case .list(let l)?: return l.items.compactMap(\.asNumber)
    case .tensor(let t)?: return t.scalars.map(Double.init)
    default: return []
    }
}

/// |a − b| within Float32 rounding of the tape, relative to the size of b.
func near(_ a: Double, _ b: Double, _ tolerance: Double = 2e-5) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// grad(f) against derivatives worked out by hand in Float64.
@Suite struct GradTests {
    // The notes' three functions and their analytic derivatives.
    static func f1(_ x: Double) -> Double { 2 * x * cos(x * x) / sin(x * x) }              // log(sin x²)
    static func f2(_ x: Double) -> Double { 2 * x * exp(x * x) }                          // exp(x²)
    static func f3(_ x: Double) -> Double { x * (1 + exp(x * x)) / sqrt(x * x + exp(x * x)) } // sqrt(x² + exp x²)

    @Test(arguments: [0.5, 1.0, 1.5])
    func notesFunctions(x: Double) throws {
        let got = try autodiffNumbers("""
            [grad(fn(x) => log(sin(x^2)))(\(x)), grad(fn(x) => exp(x^2))(\(x)), grad(fn(x) => sqrt(x^2 + exp(x^2)))(\(x))]
            """)
        #expect(got.count == 3)
        #expect(near(got[0], Self.f1(x)))
        #expect(near(got[1], Self.f2(x)))
        #expect(near(got[2], Self.f3(x)))
    }

    @Test func loopAccumulatesProduct() throws {
        // y = x·x·x·x built in a loop: dy/dx = 4x³.
        let got = try autodiffNumbers("""
            fn power4(x) {
                y = 1
                for i in range(4) { y = y * x }
                return y
            }
            grad(power4)(1.5)
            """)
        #expect(near(got[0], 4 * 1.5 * 1.5 * 1.5))
    }

    @Test func whileLoopAndBranches() throws {
        // Doubling until above 10 from x = 1.3: 1.3·2³ = 10.4, so dy/dx = 8.
        // piece(x) = x³ for x > 1 else 2x: 3x² at 2, 2 at 0.5.
        let got = try autodiffNumbers("""
            fn grow(x) {
                y = x
                while y < 10 { y = y * 2 }
                return y
            }
            fn piece(x) {
                if x > 1 { return x^3 } else { return 2 * x }
            }
            [grad(grow)(1.3), grad(piece)(2), grad(piece)(0.5)]
            """)
        #expect(near(got[0], 8))
        #expect(near(got[1], 12))
        #expect(near(got[2], 2))
    }

    @Test func callsToOtherFunctions() throws {
        // q(x) = (sin x)² through a helper: 2 sin x cos x.
        let got = try autodiffNumbers("""
            fn sq(z) => z * z
            fn q(x) => sq(sin(x))
            grad(q)(0.7)
            """)
        #expect(near(got[0], 2 * sin(0.7) * cos(0.7)))
    }

    @Test func severalArgumentsGiveAList() throws {
        // The notes' regression target y = x₀² + 3x₀x₁ + x₁² + 5: ∇ = [2x₀ + 3x₁, 3x₀ + 2x₁].
        let got = try autodiffNumbers("grad(fn(a, b) => a^2 + 3*a*b + b^2 + 5)(1.5, -2)")
        #expect(got.count == 2)
        #expect(near(got[0], 2 * 1.5 + 3 * -2))
        #expect(near(got[1], 3 * 1.5 + 2 * -2))
    }

    @Test func activationsAndPipes() throws {
        let s = 1 / (1 + exp(-0.3))
        let got = try autodiffNumbers("""
            [grad(sigmoid)(0.3), grad(fn(x) => tanh(x))(0.4), grad(fn(x) => relu(x))(-2),
             grad(fn(x) => x |> relu)(3), grad(fn(x) => gelu(x))(0), grad(fn(x) => leaky_relu(x, alpha: 0.2))(-1)]
            """)
        #expect(near(got[0], s * (1 - s)))
        #expect(near(got[1], 1 - pow(tanh(0.4), 2)))
        #expect(got[2] == 0)
        #expect(near(got[3], 1))
        #expect(near(got[4], 0.5))     // gelu'(0) = Φ(0) = 1/2
        #expect(near(got[5], 0.2))
    }

    @Test func tensorsWithScalarResult() throws {
        // ∂/∂w of Σw² + w[1] is 2w + e₁; through a fixed sigmoid unit, ∂σ(W·x + b)/∂x = σ'(z)·W.
        let got = try autodiffNumbers("grad(fn(w) => sum(w^2) + w[1])([1, 2, 3])")
        #expect(got == [2, 5, 6])
        let z = 0.6 * 0.5 + 0.5 * 0.8 + 0.3
        let ds = (1 / (1 + exp(-z))) * (1 - 1 / (1 + exp(-z)))
        let unit = try autodiffNumbers("""
            unit = linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3]) |> sigmoid
            grad(fn(x) => sum(x |> unit))([0.5, 0.8])
            """)
        #expect(unit.count == 2)
        #expect(near(unit[0], ds * 0.6))
        #expect(near(unit[1], ds * 0.5))
    }

    @Test func constantFunctionHasZeroDerivative() throws {
        #expect(try autodiffNumbers("grad(fn(x) => 7)(2)") == [0])
    }

    @Test func errorsAreClear() {
        #expect(throws: Diagnostic.self) { try autodiffRun("grad(fn(w) => w * 2)([1, 2])") }
        #expect(throws: Diagnostic.self) { try autodiffRun("grad(fn(x) => \"no\")(1)") }
        #expect(throws: Diagnostic.self) { try autodiffRun("grad(fn(x) => range(x))(3)") }
        #expect(throws: Diagnostic.self) { try autodiffRun("grad(fn(x) => grad(fn(y) => y * x)(1))(2)") }
        do {
            _ = try autodiffRun("grad(fn(w) => w * 2)([1, 2])")
        } catch let d as Diagnostic {
            #expect(d.rendered().contains("scalar"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
