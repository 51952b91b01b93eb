import Foundation

/// Rosenblatt's perceptron learning rule for a network `linear(n, k) |> step`: one example
/// at a time, predict ŷ = step(W·x + b) and correct the weights by the error,
///
///     w ← w + η (y − ŷ) x,    b ← b + η (y − ŷ)
///
/// (nothing changes when ŷ = y). It needs no gradient — the step has none — and converges
/// whenever a line (hyperplane) separates the classes, as for AND, OR, NAND, NOR and NOT; on
/// XOR, which no line separates, it never settles.
///
/// Targets: labels 0/1 for one output unit; labels 0..<k as one-hot rows for k units (one
/// perceptron per class); or a `[m, k]` matrix of 0/1 targets. Each history row records,
/// after the epoch's updates, the accuracy on the whole data set and the loss
/// ½‖ŷ − y‖² averaged over the examples (for one unit: half the share misclassified).
public enum PerceptronRule {
    /// Trains `network` in place and returns its history, one row per epoch.
    public static func train(_ network: Network, _ data: Dataset, epochs: Int, learningRate: Double = 1,
                             shuffle: Bool = true, seed: UInt64? = nil,
                             onEpoch: ((History.Row) -> Void)? = nil,
                             shouldStop: (() -> Bool)? = nil) throws -> History {
        let linear = try perceptronLayer(network)
        guard epochs >= 1 else { throw EngineError("epochs must be at least 1, got \(epochs)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw EngineError("the perceptron rule's learning rate η must be positive, got \(formatOption(learningRate))",
                              hint: "η = 1 is the classic choice; with zero initial weights any η > 0 learns the same")
        }
        guard linear.inputs == data.inputWidth else {
            throw EngineError("the perceptron takes \(linear.inputs) inputs but the data has \(data.inputWidth) features")
        }
        let units = linear.weight.value.shape[0]
        let targets = try targetRows(data, units: units)
        let inputs = data.x.scalars
        let n = data.inputWidth
        var generator = Xoshiro256StarStar(seed: seed ?? RandomSource.shared.withGenerator { $0.next() })
        var history = History(hasAccuracy: true, hasValidation: false)
        let eta = Float(learningRate)
        var w = linear.weight.value.scalars
        var b = linear.bias.value.scalars
        var order = Array(0..<data.count)
        for epoch in 1...epochs {
            let start = Date()
            if shuffle { generator.shuffle(&order) }
            for i in order {
                for unit in 0..<units {
                    let error = targets[i * units + unit] - predict(w, b, inputs, example: i, unit: unit, n: n)
                    guard error != 0 else { continue }
                    for j in 0..<n { w[unit * n + j] += eta * error * inputs[i * n + j] }
                    b[unit] += eta * error
                }
            }
            linear.weight.value = Tensor(shape: [units, n], scalars: w)
            linear.bias.value = Tensor(shape: [units], scalars: b)
            let (loss, accuracy) = score(w, b, inputs, targets, count: data.count, units: units, n: n)
            let row = History.Row(epoch: epoch, loss: loss, accuracy: accuracy, validationLoss: nil,
                                  validationAccuracy: nil, seconds: Date().timeIntervalSince(start),
                                  learningRate: learningRate, examples: data.count)
            history.rows.append(row)
            onEpoch?(row)
            if shouldStop?() == true {
                history.interrupted = epoch < epochs
                break
            }
        }
        return history
    }

    /// The linear layer of `linear(n, k) |> step`, or an error that says what the rule needs.
    static func perceptronLayer(_ network: Network) throws -> Linear {
        let layers = network.layers
        guard layers.count == 2, let linear = layers[0] as? Linear,
              let step = layers[1] as? Activation, step.function == .step else {
            throw EngineError("the perceptron rule trains a network `linear(n, k) |> step`, got \(network.description)",
                              hint: "for hidden layers or other activations, train by backpropagation (drop rule: \"perceptron\")")
        }
        return linear
    }

    /// The 0/1 target of each example for each unit, row-major `[m, units]`.
    static func targetRows(_ data: Dataset, units: Int) throws -> [Float] {
        switch data.targets {
        case .labels(let labels, let k):
            if units == 1 {
                guard k <= 2 else {
                    throw EngineError("one perceptron separates two classes, but the data has \(k)",
                                      hint: "use linear(n, \(k)) |> step: one unit per class")
                }
                return labels.map { Float($0) }
            }
            guard k <= units else {
                throw EngineError("\(units) perceptron units cannot stand for \(k) classes", hint: "use linear(n, \(k)) |> step")
            }
            var rows = [Float](repeating: 0, count: labels.count * units)
            for (i, label) in labels.enumerated() { rows[i * units + Int(label)] = 1 }
            return rows
        case .matrix(let values, let width):
            guard width == units else {
                throw EngineError("the network has \(units) output units but the targets have \(width) columns")
            }
            guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw EngineError("perceptron targets must be 0 or 1", hint: "a step unit outputs 0 or 1")
            }
            return values
        }
    }

    /// step(w·x + b) for one example and unit, as the step layer computes it (1 for z ≥ 0).
    @inline(__always)
    static func predict(_ w: [Float], _ b: [Float], _ x: [Float], example i: Int, unit: Int, n: Int) -> Float {
        var z = b[unit]
        for j in 0..<n { z += w[unit * n + j] * x[i * n + j] }
        return z >= 0 ? 1 : 0
    }

    /// Mean ½‖ŷ − y‖² and the share of examples whose every unit is right.
    static func score(_ w: [Float], _ b: [Float], _ x: [Float], _ y: [Float], count: Int, units: Int, n: Int) -> (Double, Double) {
        var loss = 0.0
        var correct = 0
        for i in 0..<count {
            var allRight = true
            for unit in 0..<units {
                let error = Double(y[i * units + unit] - predict(w, b, x, example: i, unit: unit, n: n))
                loss += 0.5 * error * error
                if error != 0 { allRight = false }
            }
            if allRight { correct += 1 }
        }
        return (loss / Double(count), Double(correct) / Double(count))
    }
}
