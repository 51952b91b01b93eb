import Foundation
import Testing
@testable import NNEngine

struct InitTests {
    func standardDeviation(_ t: Tensor) -> Double {
        let n = Double(t.count)
        let mean = t.scalars.reduce(0.0) { $0 + Double($1) } / n
        return (t.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
    }

    @Test func distributionsHaveTheDocumentedSpread() {
        let s = RandomSource(seed: 1)
        let (o, i) = (200, 300)
        let he = WeightInit.he.weights(outputs: o, inputs: i, source: s)
        #expect(he.shape == [200, 300])
        #expect(abs(standardDeviation(he) / (2.0 / 300).squareRoot() - 1) < 0.02)
        let xavier = WeightInit.xavier.weights(outputs: o, inputs: i, source: s)
        #expect(abs(standardDeviation(xavier) / (2.0 / 500).squareRoot() - 1) < 0.02)
        let normal = WeightInit.normal.weights(outputs: o, inputs: i, source: s)
        #expect(abs(standardDeviation(normal) / 0.01 - 1) < 0.02)
        let uniform = WeightInit.uniform.weights(outputs: o, inputs: i, source: s)
        let bound = 1 / 300.0.squareRoot()
        #expect(uniform.scalars.allSatisfy { abs(Double($0)) <= bound })
        #expect(abs(standardDeviation(uniform) / (bound / 3.0.squareRoot()) - 1) < 0.02)  // U(−b, b): b/√3
        #expect(WeightInit.zeros.weights(outputs: 3, inputs: 2, source: s).scalars == [0, 0, 0, 0, 0, 0])
    }

    @Test func biasesStartAtZero() throws {
        let l = try Linear(inputs: 3, outputs: 4, initializer: .he, source: RandomSource(seed: 2))
        #expect(l.bias.value.scalars == [0, 0, 0, 0])
    }

    @Test func autoIsHeBeforeReLUFamilyAndXavierOtherwise() throws {
        // The same seed draws the same standard normals; only the scale differs.
        func firstLayer(_ next: Layer?) throws -> Linear {
            let l = try Linear(inputs: 50, outputs: 40, source: RandomSource(seed: 3))
            if let next { _ = try Network([l, next]) } else { _ = try Network([l]) }
            return l
        }
        let reference = try Linear(inputs: 50, outputs: 40, initializer: .he, source: RandomSource(seed: 3))
        for next in [Activation(.relu), Activation(.leakyRelu(alpha: 0.01)), Activation(.elu(alpha: 1)), Activation(.gelu)] {
            let l = try firstLayer(next)
            #expect(l.effectiveInitializer == .he)
            for (a, b) in zip(l.weight.value.scalars, reference.weight.value.scalars) {
                #expect(abs(a - b) <= 1e-6 * max(1, abs(b)))
            }
        }
        let xavier = try Linear(inputs: 50, outputs: 40, initializer: .xavier, source: RandomSource(seed: 3))
        for next: Layer? in [Activation(.tanh), Activation(.sigmoid), Softmax(), nil] {
            let l = try firstLayer(next)
            #expect(l.weight.value == xavier.weight.value)
            #expect(l.effectiveInitializer == .xavier)
        }
        // dropout and batchnorm are looked through
        let l = try Linear(inputs: 50, outputs: 40, source: RandomSource(seed: 3))
        _ = try Network([l, try Dropout(p: 0.5), try BatchNorm(features: 40), Activation(.relu)])
        #expect(l.effectiveInitializer == .he)
    }

    @Test func autoLeavesGivenOrChangedWeightsAlone() throws {
        let given = try Linear(inputs: 2, outputs: 1, weight: Tensor(rows: [[0.6, 0.5]]))
        _ = try Network([given, Activation(.relu)])
        #expect(given.weight.value.scalars == [0.6, 0.5])

        let edited = try Linear(inputs: 2, outputs: 1, source: RandomSource(seed: 4))
        edited.weight.value = Tensor(rows: [[1, 2]])
        _ = try Network([edited, Activation(.relu)])
        #expect(edited.weight.value.scalars == [1, 2])

        // resolved once: a later composition does not rescale again
        let l = try Linear(inputs: 8, outputs: 8, source: RandomSource(seed: 5))
        _ = try Network([l, Activation(.relu)])
        let after = l.weight.value
        _ = try Network([l, Activation(.relu)])
        #expect(l.weight.value == after)
    }

    @Test func explicitInitIsNotRescaled() throws {
        let a = try Linear(inputs: 10, outputs: 10, initializer: .xavier, source: RandomSource(seed: 6))
        let before = a.weight.value
        _ = try Network([a, Activation(.relu)])
        #expect(a.weight.value == before)
    }

    @Test func initNamesAreTheLanguages() {
        #expect(WeightInit.allCases.map(\.rawValue).sorted() == ["auto", "he", "normal", "uniform", "xavier", "zeros"])
    }
}
