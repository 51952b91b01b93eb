import Foundation
import Testing
@testable import NNSLanguage

/// An activation gives the same number whichever way it is reached: called on a number
/// (computed by the language in Float64) or as a layer in a pipeline (the engine's kernels).
/// The expected values are worked out by hand.
@Suite struct ActivationTests {
    static let cases: [(name: String, z: Double, expected: Double)] = [
        ("step", -1, 0), ("step", 0, 1), ("step", 2, 1),           // Heaviside, 1 at z = 0
        ("relu", -3, 0), ("relu", 0, 0), ("relu", 1.5, 1.5),
        ("sigmoid", 0, 0.5), ("sigmoid", 2, 1 / (1 + exp(-2.0))),
        ("tanh", 1, tanh(1.0)),
        ("gelu", 1, 0.5 * (1 + erf(1 / 2.0.squareRoot()))),       // x·Φ(x)
        ("silu", 1, 1 / (1 + exp(-1.0))), ("silu", -2, -2 / (1 + exp(2.0))),   // x·σ(x)
        ("softplus", 0, log(2.0)), ("softplus", 3, log(1 + exp(3.0))), ("softplus", 200, 200),
    ]

    /// Under `grad`, every activation's derivative against a central difference of its
    /// hand-written formula (in Float64, away from kinks).
    @Test(arguments: ["sigmoid", "tanh", "relu", "gelu", "silu", "softplus", "elu", "leaky_relu"])
    func gradientsMatchCentralDifferences(name: String) throws {
        let formulas: [String: (Double) -> Double] = [
            "sigmoid": { 1 / (1 + exp(-$0)) }, "tanh": { tanh($0) }, "relu": { max(0, $0) },
            "gelu": { $0 * 0.5 * (1 + erf($0 / 2.0.squareRoot())) }, "silu": { $0 / (1 + exp(-$0)) },
            "softplus": { log(1 + exp($0)) }, "elu": { $0 > 0 ? $0 : exp($0) - 1 },
            "leaky_relu": { $0 > 0 ? $0 : 0.01 * $0 },
        ]
        let f = try #require(formulas[name])
        for z in [-1.3, 0.4, 2.1] {
            let h = 1e-5
            let expected = (f(z + h) - f(z - h)) / (2 * h)
            let got = try #require(runNNS("grad(fn(x) => \(name)(x))(\(z))").value?.asNumber)
            #expect(abs(got - expected) < 1e-4 * max(1, abs(expected)), "\(name)'(\(z)): \(got) vs \(expected)")
            // and through a tensor on the tape (Float32)
            let tensor = try #require(runNNS("grad(fn(x) => sum(x |> \(name)))([\(z)])[0]").value?.asNumber)
            #expect(abs(tensor - expected) < 1e-3 * max(1, abs(expected)), "\(name)'(\(z)) on a tensor")
        }
    }

    @Test func newActivationsAreLayersThatPrintSaveAndTrace() throws {
        #expect(try evalText("linear(2, 3) |> silu |> linear(3, 1) |> softplus") == "linear(2, 3) |> silu |> linear(3, 1) |> softplus")
        let trace = try evalText("trace(fn(x) => silu(x) + softplus(x), 0.5)")
        #expect(trace.contains("1.3624"))   // σ(½)(1 + ½(1 − σ(½))) + σ(½), by hand
        #expect(trace.contains("silu") && trace.contains("softplus"))
    }

    @Test(arguments: cases.indices)
    func numberLayerAndTapeAgree(index: Int) throws {
        let (name, z, expected) = Self.cases[index]
        let asNumber = try #require(runNNS("\(name)(\(z))").value?.asNumber)
        let asLayer = try #require(runNNS("([\(z)] |> \(name))[0]").value?.asNumber)
        #expect(abs(asNumber - expected) < 1e-6, "\(name)(\(z)) as a function")
        #expect(abs(asLayer - expected) < 1e-6, "\(name)(\(z)) as a layer")
    }
}
