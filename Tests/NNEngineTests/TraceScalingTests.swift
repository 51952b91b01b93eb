import Foundation
import Testing
@testable import NNEngine

/// Traces and graphs take time linear in the number of steps: the reverse trace used to scan
/// every later step for each value (16,000 steps took minutes).
@Suite struct TraceScalingTests {
    @Test func twentyThousandStepsTraceQuickly() throws {
        let tape = Tape()
        let x = tape.variable(Tensor(scalar: 1), name: "x")
        let factor = tape.constant(1.0001)
        let zero = tape.constant(0)
        var y = x
        for _ in 0..<10_000 { y = try y * factor + zero }   // two steps per turn
        // CPU time of this thread, not wall-clock time: the bound then holds on a loaded machine.
        func cpuSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let start = cpuSeconds()
        let forward = try tape.forwardTrace(seed: x, output: y)
        let reverse = try tape.reverseTrace(output: y)
        let graph = try tape.graph(output: y)
        let seconds = cpuSeconds() - start
        #expect(forward.count == 20_001 && reverse.count == 20_001 && graph.nodes.count == 20_001)
        // d/dx (x · 1.0001^10000) = 1.0001^10000, computed here in Double.
        let expected = pow(1.0001, 10_000.0)
        #expect(abs(Double(forward.last!.derivative.scalars[0]) - expected) < 1e-2)
        #expect(abs(Double(reverse.last!.derivative.scalars[0]) - expected) < 1e-2)
        #expect(reverse.first!.symbol == "v₂₀₀₀₀" && reverse[1].derivativeExpression == "v̄₂₀₀₀₀")
        // Under a second of CPU for all three in a debug build (minutes before the fix).
        #expect(seconds < 2.5, "20,000 steps took \(seconds) s of CPU")
    }
}
