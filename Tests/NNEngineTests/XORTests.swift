import Foundation
import Testing
@testable import NNEngine

struct XORTests {
    /// linear(2,4) |> tanh |> linear(4,1) |> sigmoid, full-batch gradient descent by hand
    /// (p ← p − lr·∂C/∂p), from a fixed seed.
    @Test(.timeLimit(.minutes(1)))
    func learnsXOR() throws {
        let source = RandomSource(seed: 2024)
        let net = try Network([try Linear(inputs: 2, outputs: 4, source: source), Activation(.tanh),
                               try Linear(inputs: 4, outputs: 1, source: source), Activation(.sigmoid)])
        let x = Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]])
        let y = Tensor([0, 1, 1, 0])
        let start = Date()
        var loss = Double.infinity
        for _ in 0..<2000 {
            loss = try net.lossAndGradients(input: x, target: y, loss: .bce)
            for (_, p) in net.namedParameters where p.isTrainable {
                for i in 0..<p.value.count { p.value.scalars[i] -= 1.0 * p.grad.scalars[i] }
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        let out = try net.forward(x)
        let predictions = out.scalars.map { $0 > 0.5 ? Float(1) : 0 }
        #expect(predictions == y.scalars, "outputs \(out.scalars), loss \(loss)")
        #expect(loss < 0.05)
        #expect(elapsed < 1.0, "took \(elapsed) s")
    }
}
