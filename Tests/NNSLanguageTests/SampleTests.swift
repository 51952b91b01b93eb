import Foundation
import Testing
@testable import NNSLanguage

/// Runs each sample and checks its key numbers against values computed here independently.
@Suite struct SampleTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples")

    func runSample(_ name: String) throws -> String {
        let host = CapturingHost()
        let interpreter = Interpreter(host: host)
        try NNSLanguage.withInterpreterStack {
            try interpreter.runFile(at: SampleTests.samples.appendingPathComponent(name).path)
        }
        return host.output
    }

    /// The numbers printed on the line that starts with `label` (after trimming).
    func numbers(on label: String, in output: String) -> [Double] {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else {
            Issue.record("no line \(label)")
            return []
        }
        let text = line.split(separator: "=").last.map(String.init) ?? ""
        return text.split(whereSeparator: { "[], ".contains($0) }).compactMap { Double($0) }
    }

    func rounded(_ x: Double, _ digits: Int) -> Double {
        let scale = pow(10.0, Double(digits))
        return (x * scale).rounded() / scale
    }

    @Test func handworkedReproducesTheNotes() throws {
        let out = try runSample("handworked.nns")
        // The 2-2-1 example by hand, in Float64.
        func σ(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let x = [0.5, 0.8], W1 = [[0.2, 0.4], [0.3, 0.1]], b1 = [0.1, 0.2], W2 = [0.6, 0.5], b2 = 0.3, y = 1.0
        let z1 = (0..<2).map { W1[$0][0] * x[0] + W1[$0][1] * x[1] + b1[$0] }
        let a1 = z1.map(σ)
        let z2 = W2[0] * a1[0] + W2[1] * a1[1] + b2
        let yHat = σ(z2)
        let C = 0.5 * (yHat - y) * (yHat - y)
        let d2 = (yHat - y) * yHat * (1 - yHat)
        let d1 = (0..<2).map { W2[$0] * d2 * a1[$0] * (1 - a1[$0]) }

        #expect(numbers(on: "z¹", in: out) == z1.map { rounded($0, 3) })
        #expect(numbers(on: "a¹", in: out) == a1.map { rounded($0, 3) })
        #expect(numbers(on: "z²", in: out) == [rounded(z2, 3)])
        #expect(numbers(on: "ŷ", in: out) == [rounded(yHat, 3)])
        #expect(numbers(on: "Cost", in: out) == [rounded(C, 4)])
        #expect(numbers(on: "δ² ", in: out) == [rounded(d2, 4)])
        #expect(numbers(on: "∂C/∂W²", in: out) == a1.map { rounded(d2 * $0, 4) })
        #expect(numbers(on: "∂C/∂b²", in: out) == [rounded(d2, 4)])
        #expect(numbers(on: "δ¹ ", in: out) == d1.map { rounded($0, 5) })
        #expect(numbers(on: "∂C/∂W¹", in: out) == [d1[0] * x[0], d1[0] * x[1], d1[1] * x[0], d1[1] * x[1]].map { rounded($0, 5) })
        #expect(numbers(on: "∂C/∂b¹", in: out) == d1.map { rounded($0, 5) })
        // The notes' figures.
        #expect(rounded(yHat, 3) == 0.727 && rounded(C, 4) == 0.0373 && rounded(d2, 4) == -0.0542)
        #expect(out.contains("max relative error): true"))
    }

    @Test func gatesSampleComputesEveryTruthTable() throws {
        let out = try runSample("gates.nns")
        // Each row prints "[x₁, x₂] | target | perceptron": they must agree on all 18 rows.
        let rows = out.split(separator: "\n").filter { $0.contains("] |") }
        #expect(rows.count == 4 * 5 + 2)
        for row in rows {
            let parts = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(parts[1] == parts[2], "\(row)")
        }
    }

    @Test func xorSampleLearnsXor() throws {
        let out = try runSample("xor.nns")
        #expect(out.contains("Accuracy: 100 %"))
        let classes = out.split(separator: "\n").filter { $0.contains("] |") }.map { $0.split(separator: "|").last!.trimmingCharacters(in: .whitespaces) }
        #expect(classes == ["0", "1", "1", "0"])
    }
}
