import Foundation
import Testing
@testable import NNSLanguage

@Suite struct BuiltinAutodiffTests {
    @Test func gradOfTheSpecExample() throws {
        // d/dx log(sin(x²)) = 2x·cos(x²)/sin(x²); at x = 1: 2·cos 1/sin 1.
        #expect(close(try evalNumber("grad(fn(x) => log(sin(x^2)))(1.0)"), 2 * cos(1.0) / sin(1.0), tolerance: 1e-5))
    }

    @Test func gradWithSeveralInputsGivesAList() throws {
        // f = x·y + sin x: ∂f/∂x = y + cos x, ∂f/∂y = x.
        guard case .list(let list)? = try runNNS("fn f(x, y) => x * y + sin(x); grad(f)(2, 3)").value else {
            Issue.record("not a list"); return
        }
        let values = list.items.compactMap(\.asNumber)
        #expect(close(values[0], 3 + cos(2.0), tolerance: 1e-5))
        #expect(values[1] == 2)
    }

    @Test func gradFollowsControlFlow() throws {
        // y = x⁴ built by a loop; dy/dx = 4x³ = 32 at 2. Branches pick the piece evaluated.
        #expect(try evalNumber("fn f(x) { y = x; for i in range(3) { y = y * x }; return y }; grad(f)(2)") == 32)
        #expect(try evalNumber("fn g(x) { if x > 0 { return x^2 } else { return -x } }; grad(g)(-5)") == -1)
        #expect(try evalNumber("fn g(x) { if x > 0 { return x^2 } else { return -x } }; grad(g)(3)") == 6)
    }

    @Test func gradThroughActivationsAndLayers() throws {
        #expect(try evalNumber("grad(fn(x) => x |> relu)(2)") == 1)
        #expect(try evalNumber("grad(fn(x) => relu(x))(-2)") == 0)
        // σ'(0) = ¼.
        #expect(try evalNumber("grad(sigmoid)(0)") == 0.25)
        // z = W·x + b with W = [[2, 3]]: ∂z/∂x = [2, 3].
        #expect(try evalText("net = linear(2, 1, weight: [[2, 3]], bias: [1]); grad(fn(x) => sum(net(x)))([1, 1])") == "tensor[2] [2, 3]")
        // ∂ sum(x²)/∂x = 2x on a tensor.
        #expect(try evalText("grad(fn(x) => sum(x * x))([1, -2, 3])") == "tensor[3] [2, -4, 6]")
    }

    @Test func gradNeedsAScalarResult() {
        #expect(errorHeader("grad(fn(x) => x * 2)([1, 2])").contains("grad: the function must return a single number"))
    }

    @Test func traceTablesShowAdjointsAndTangents() throws {
        let reverse = try evalText("fn f(x, y) => x * y + sin(x); trace(f, 2, 3)")
        let lines = reverse.split(separator: "\n").map(String.init)
        #expect(lines[0] == "reverse-mode trace of f(2, 3)")
        #expect(lines.contains { $0.hasPrefix("v₋₁  = x") && $0.contains("x̄ = v̄₁ · y + v̄₂ · cos x") })
        let forward = try evalText("fn f(x, y) => x * y + sin(x); trace(f, 2, 3, mode: \"forward\")")
        #expect(forward.split(separator: "\n").last?.hasPrefix("v₃   = v₁ + v₂") == true)
        // The last tangent is ∂f/∂x = y + cos x.
        let last = try evalNumber("fn f(x, y) => x * y + sin(x); trace(f, 2, 3, mode: \"forward\")[-1].derivative")
        #expect(close(last, 3 + cos(2.0), tolerance: 1e-5))
    }

    @Test func graphPrintsATreeAndDot() throws {
        let tree = try evalText("graph(fn(x) => sin(x) * x, 1)")
        #expect(tree.hasPrefix("v₂ = v₁ · x"))
        #expect(tree.contains("└─ v₀ = x   (1)  ↑ shown above"))
        #expect(try evalText("graph(fn(x) => sin(x), 1).dot").hasPrefix("digraph computation {"))
    }
}
