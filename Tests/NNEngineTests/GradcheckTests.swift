import Foundation
import Testing
@testable import NNEngine

/// Central-difference gradient checks of every layer and loss.
///
/// Approach: a small, independent Float64 reference forward (`ReferenceNetwork`, written
/// from the formulas, sharing no code with the engine) evaluates C at the engine's Float32
/// parameters converted exactly to Double. Each parameter and input element is perturbed by
/// ±h (h = 1e−6) *in Double*, so the differences are free of Float32 rounding; the engine's
/// analytic Float32 gradients must agree to 1e−5 + 1e−4·|reference|. A dropout mask is the
/// one the engine drew for its pass (a constant of the function being differentiated).
struct GradcheckTests {
    enum Case: CustomStringConvertible {
        case activation(UnaryOp)
        case softmax, dropout(Double), batchnorm(PassMode), none
        var description: String {
            switch self {
            case .activation(let f): "\(f)"
            case .softmax: "softmax"
            case .dropout(let p): "dropout(\(p))"
            case .batchnorm(let m): "batchnorm(\(m))"
            case .none: "none"
            }
        }
    }

    static let hiddenCases: [Case] = [
        .activation(.sigmoid), .activation(.tanh), .activation(.relu),
        .activation(.leakyRelu(alpha: 0.2)), .activation(.elu(alpha: 1)), .activation(.gelu),
        .activation(UnaryOp(SiLU.self)), .activation(UnaryOp(Softplus.self)),
        .activation(.identity), .activation(.step), .softmax,
        .dropout(0.3), .batchnorm(.training), .batchnorm(.inference),
    ]

    /// linear(4,5) |> HIDDEN |> linear(5,3), with mse, on a batch of 6.
    @Test(arguments: hiddenCases)
    func hiddenLayer(_ hidden: Case) throws {
        let source = RandomSource(seed: 11)
        var layers: [Layer] = [try Linear(inputs: 4, outputs: 5, source: source)]
        var mode = PassMode.training
        switch hidden {
        case .activation(let f): layers.append(Activation(f))
        case .softmax: layers.append(Softmax())
        case .dropout(let p): layers.append(try Dropout(p: p, source: source))
        case .batchnorm(let m):
            let bn = try BatchNorm(features: 5)
            bn.weight.value = randomTensor([5], source, low: 0.5, high: 1.5)
            bn.bias.value = randomTensor([5], source)
            bn.runningMean.value = randomTensor([5], source)
            bn.runningVar.value = randomTensor([5], source, low: 0.5, high: 2)
            layers.append(bn)
            mode = m
        case .none: break
        }
        layers.append(try Linear(inputs: 5, outputs: 3, source: source))
        let net = try Network(layers)
        try check(net, loss: .mse, x: randomTensor([6, 4], source), target: randomTensor([6, 3], source), mode: mode)
        if case .activation(.relu) = hidden {
            net.fusesLinearReLU = false       // the unfused relu path too
            try check(net, loss: .mse, x: randomTensor([6, 4], source), target: randomTensor([6, 3], source), mode: mode)
        }
    }

    @Test func dropoutInInferenceIsIdentity() throws {
        let source = RandomSource(seed: 12)
        let net = try Network([try Linear(inputs: 3, outputs: 4, source: source), try Dropout(p: 0.5, source: source),
                               try Linear(inputs: 4, outputs: 2, source: source)])
        try check(net, loss: .mse, x: randomTensor([5, 3], source), target: randomTensor([5, 2], source), mode: .inference)
    }

    enum LossCase: String, CaseIterable, CustomStringConvertible {
        case mse, bceOnSigmoid, bceOnSoftmax, crossEntropyLogitsIndices, crossEntropyLogitsOneHot,
             crossEntropySoftmaxIndices, crossEntropySoftmaxProbabilities
        var description: String { rawValue }
    }

    /// linear(4,3) |> tanh |> linear(3,K) [|> final], each loss with each final layer it meets.
    @Test(arguments: LossCase.allCases)
    func loss(_ c: LossCase) throws {
        let source = RandomSource(seed: 13)
        let m = 7, k = 3
        var layers: [Layer] = [try Linear(inputs: 4, outputs: 3, source: source), Activation(.tanh),
                               try Linear(inputs: 3, outputs: k, source: source)]
        let loss: Loss
        var target: Tensor
        switch c {
        case .mse:
            loss = .mse
            target = randomTensor([m, k], source)
        case .bceOnSigmoid:
            loss = .bce
            layers.append(Activation(.sigmoid))
            target = randomTensor([m, k], source, low: 0, high: 1)
        case .bceOnSoftmax:
            loss = .bce
            layers.append(Softmax())
            target = randomTensor([m, k], source, low: 0, high: 1)
        case .crossEntropyLogitsIndices, .crossEntropySoftmaxIndices:
            loss = .crossEntropy
            if c == .crossEntropySoftmaxIndices { layers.append(Softmax()) }
            target = Tensor((0..<m).map { Float($0 % k) })
        case .crossEntropyLogitsOneHot:
            loss = .crossEntropy
            target = Tensor(zeros: [m, k])
            for i in 0..<m { target[i, (i * 2) % k] = 1 }
        case .crossEntropySoftmaxProbabilities:
            loss = .crossEntropy
            layers.append(Softmax())
            target = randomTensor([m, k], source, low: 0.1, high: 1)
            for i in 0..<m {   // rows summing to 1
                let s = (0..<k).reduce(Float(0)) { $0 + target[i, $1] }
                for j in 0..<k { target[i, j] /= s }
            }
        }
        let net = try Network(layers)
        try check(net, loss: loss, x: randomTensor([m, 4], source), target: target, mode: .training)
    }

    /// Runs the engine's pass and compares every gradient with central differences of the reference.
    func check(_ net: Network, loss: Loss, x: Tensor, target: Tensor, mode: PassMode,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (c, dx) = try net.lossAndInputGradient(input: x, target: target, loss: loss, mode: mode)
        var reference = ReferenceNetwork(net, mode: mode, input: x)
        let c64 = reference.loss(loss, target: target)
        #expect(abs(c - c64) <= 1e-5 * max(1, abs(c64)), "loss \(c) vs reference \(c64)", sourceLocation: sourceLocation)

        let h = 1e-6
        func numeric(_ key: String, _ i: Int) -> Double {
            let saved = reference.values[key]![i]
            reference.values[key]![i] = saved + h
            let up = reference.loss(loss, target: target)
            reference.values[key]![i] = saved - h
            let down = reference.loss(loss, target: target)
            reference.values[key]![i] = saved
            return (up - down) / (2 * h)
        }
        var checked = 0
        for (name, p) in net.namedParameters where p.isTrainable {
            #expect(p.grad.shape == p.value.shape, "\(name) grad shape", sourceLocation: sourceLocation)
            for i in 0..<p.value.count {
                let n = numeric(name, i), a = Double(p.grad.scalars[i])
                #expect(abs(a - n) <= 1e-5 + 1e-4 * abs(n), "∂C/∂\(name)[\(i)] = \(a), numeric \(n)",
                        sourceLocation: sourceLocation)
                checked += 1
            }
        }
        #expect(dx.shape == x.shape, sourceLocation: sourceLocation)
        for i in 0..<x.count {
            let n = numeric("input", i), a = Double(dx.scalars[i])
            #expect(abs(a - n) <= 1e-5 + 1e-4 * abs(n), "∂C/∂x[\(i)] = \(a), numeric \(n)", sourceLocation: sourceLocation)
        }
        #expect(checked > 0, sourceLocation: sourceLocation)
    }
}

func randomTensor(_ shape: [Int], _ source: RandomSource, low: Double = -1, high: Double = 1) -> Tensor {
    Tensor(shape: shape, scalars: source.uniforms(count: shape.reduce(1, *), low: low, high: high))
}

/// An independent Float64 forward pass and loss, from the formulas. `values` holds each
/// state_dict tensor (and the input, as "input") as Doubles, to be perturbed.
struct ReferenceNetwork {
    var values: [String: [Double]] = [:]
    let layers: [Layer]
    let mode: PassMode
    let rows: Int
    var dropoutMasks: [Int: [Double]] = [:]

    init(_ net: Network, mode: PassMode, input: Tensor) {
        layers = net.layers
        self.mode = mode
        rows = input.rank >= 2 ? input.shape[0] : 1
        values["input"] = input.scalars.map(Double.init)
        for (name, p) in net.namedParameters { values[name] = p.value.scalars.map(Double.init) }
        for (i, layer) in net.layers.enumerated() {
            if let d = layer as? Dropout, mode == .training { dropoutMasks[i] = d.mask.scalars.map(Double.init) }
        }
        // batchnorm's running statistics moved during the engine's training pass; the
        // reference's inference must use the ones the engine used, i.e. before the pass
        // (the inference pass does not move them, so they are the current ones).
    }

    func forward() -> [Double] {
        var a = values["input"]!
        var width = a.count / rows
        var sample = [width]   // one sample's shape, for the convolutional layers
        for (i, layer) in layers.enumerated() {
            switch layer {
            case let l as Linear:
                let w = values["\(i).weight"]!, b = values["\(i).bias"]!
                var z = [Double](repeating: 0, count: rows * l.outputs)
                for r in 0..<rows {
                    for o in 0..<l.outputs {
                        var s = b[o]
                        for j in 0..<l.inputs { s += w[o * l.inputs + j] * a[r * l.inputs + j] }
                        z[r * l.outputs + o] = s
                    }
                }
                a = z
                width = l.outputs
                sample = [width]
            case let f as Activation:
                a = a.map { ReferenceNetwork.apply(f.function, $0) }
            case is Softmax:
                a = ReferenceNetwork.softmaxRows(a, width)
            case is Dropout:
                if let mask = dropoutMasks[i] { a = zip(a, mask).map(*) }
            case is BatchNorm:
                let gamma = values["\(i).weight"]!, beta = values["\(i).bias"]!
                for j in 0..<width {
                    let column = (0..<rows).map { a[$0 * width + j] }
                    let mean: Double, variance: Double
                    if mode == .training {
                        mean = column.reduce(0, +) / Double(rows)
                        variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows)
                    } else {
                        mean = values["\(i).running_mean"]![j]
                        variance = values["\(i).running_var"]![j]
                    }
                    for r in 0..<rows {
                        a[r * width + j] = gamma[j] * (column[r] - mean) / (variance + 1e-5).squareRoot() + beta[j]
                    }
                }
            default:
                guard let next = convolutionalForward(layer, index: i, a, sample: &sample) else { fatalError("no reference for \(layer)") }
                a = next
                width = sample.reduce(1, *)
            }
        }
        return a
    }

    func loss(_ loss: Loss, target: Tensor) -> Double {
        let out = forward()
        let k = out.count / rows
        // targets as dense rows
        var y = target.scalars.map(Double.init)
        if loss == .crossEntropy && target.rank == 1 && k > 1 {
            y = [Double](repeating: 0, count: rows * k)
            for r in 0..<rows { y[r * k + Int(target.scalars[r])] = 1 }
        }
        switch loss {
        case .mse:
            return zip(out, y).map { 0.5 * ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(rows)
        case .bce:
            return -zip(out, y).map { p, t in t * log(p) + (1 - t) * log(1 - p) }.reduce(0, +) / Double(out.count)
        case .crossEntropy:
            let p = layers.last is Softmax ? out : ReferenceNetwork.softmaxRows(out, k)
            return -zip(p, y).map { $1 * log($0) }.reduce(0, +) / Double(rows)
        }
    }

    /// The activations written out independently in Double (not through the engine's table).
    static func apply(_ f: UnaryOp, _ x: Double) -> Double {
        let alpha = Double(f.alpha)
        switch f.name {
        case "sigmoid": return 1 / (1 + exp(-x))
        case "tanh": return tanh(x)
        case "relu": return max(0, x)
        case "leaky_relu": return x > 0 ? x : alpha * x
        case "elu": return x > 0 ? x : alpha * (exp(x) - 1)
        case "gelu": return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        case "silu": return x / (1 + exp(-x))
        case "softplus": return log(1 + exp(x))
        case "identity": return x
        case "step": return x >= 0 ? 1 : 0
        default:
            Issue.record("no reference for \(f.name)")
            return .nan
        }
    }

    static func softmaxRows(_ a: [Double], _ k: Int) -> [Double] {
        var p = a
        for start in stride(from: 0, to: a.count, by: k) {
            let row = a[start..<start + k]
            let m = row.max()!
            let s = row.map { exp($0 - m) }.reduce(0, +)
            for j in 0..<k { p[start + j] = exp(a[start + j] - m) / s }
        }
        return p
    }
}
