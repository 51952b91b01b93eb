import Foundation
import Testing
@testable import NNSLanguage

/// An activation gives the same number whichever way it is reached: called on a number
/// (computed by the language in Float64) or as a layer in a pipeline (the engine's kernels).
/// The expected values are worked out by hand.
@Suite struct ActivationAgreementTests {
    static let cases: [(name: String, z: Double, expected: Double)] = [
        ("step", -1, 0), ("step", 0, 1), ("step", 2, 1),           // Heaviside, 1 at z = 0
        ("relu", -3, 0), ("relu", 0, 0), ("relu", 1.5, 1.5),
        ("sigmoid", 0, 0.5), ("sigmoid", 2, 1 / (1 + exp(-2.0))),
        ("tanh", 1, tanh(1.0)),
        ("gelu", 1, 0.5 * (1 + erf(1 / 2.0.squareRoot()))),       // x·Φ(x)
    ]

    @Test(arguments: cases.indices)
    func numberLayerAndTapeAgree(index: Int) throws {
        let (name, z, expected) = Self.cases[index]
        let asNumber = try #require(runNNS("\(name)(\(z))").value?.asNumber)
        let asLayer = try #require(runNNS("([\(z)] |> \(name))[0]").value?.asNumber)
        #expect(abs(asNumber - expected) < 1e-6, "\(name)(\(z)) as a function")
        #expect(abs(asLayer - expected) < 1e-6, "\(name)(\(z)) as a layer")
    }
}
