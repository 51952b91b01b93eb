import NNEngine

/// The backward steps, as the notes' delta method: the loss, then per layer from the top
/// δˡ, ∂C/∂Wˡ = δˡ·(aˡ⁻¹)ᵀ, ∂C/∂bˡ = δˡ and the gradient handed down; then, with a learning
/// rate, one SGD step w ← w − η·∂C/∂w per layer (shown, not applied to the network).
extension WalkPage {
    mutating func buildBackward() {
        guard let trace = pass.backward, let output = pass.forward.last?.output,
              let loss = trace.lossFunction, let value = trace.loss else { return }
        let top = linears.count
        let fused = trace.steps.first?.fusedWithLoss ?? false
        var byIndex: [Int: BackwardTrace.Step] = [:]
        for step in trace.steps { byIndex[step.index] = step }

        var lossStep = Step(title: "The loss: \(loss.rawValue)")
        lossStep.lines.append(Notation.lossFormula(loss))
        if let target = pass.target {
            let label: Int? = loss == .crossEntropy && target.count == 1 && output.count > 1 ? Int(target.scalars[0]) : nil
            lossStep.lines.append("ŷ = \(Self.values(output)),  y = " + (label.map { "class \($0)" } ?? Self.values(target)))
            let oneHot = target.count == output.count && target.scalars.allSatisfy { $0 == 0 || $0 == 1 } && target.scalars.filter { $0 == 1 }.count == 1
            if loss == .crossEntropy, let c = label ?? (oneHot ? target.scalars.firstIndex(of: 1) : nil), c >= 0, c < output.count {
                // One example of class c: C = −log ŷ_c.
                lossStep.lines.append("C = −log ŷ\(Self.sub(c + 1)) = −log \(Self.number(output.scalars[c])) = \(Self.number(value))")
            } else if loss == .mse, target.count == output.count, output.count <= 4 {
                let squares = (0..<output.count).map { "(\(Self.number(output.scalars[$0])) − \(Self.operand(target.scalars[$0])))²" }
                let sum = squares.count == 1 ? squares[0] : "(" + squares.joined(separator: " + ") + ")"
                lossStep.lines.append("C = ½·\(sum) = \(Self.number(value))")
            } else {
                lossStep.lines.append("C = \(Self.number(value))")
            }
        }
        if !fused, let gradient = trace.lossGradient {
            lossStep.lines.append("∂C/∂ŷ = \(Notation.gradientFormula(loss)) = " + Self.values(gradient))
        }
        append(lossStep)

        for l in stride(from: top, through: 1, by: -1) {
            let members = pass.forward.indices.filter { notesLayer[$0] == l }
            let affineRecord = pass.forward[members[0]]
            guard let affine = byIndex[affineRecord.index], let delta = affine.outputGradient else { continue }
            let sl = Self.sup(l), below = Self.sup(l - 1), above = Self.sup(l + 1)
            let activations = members.dropFirst().map { pass.forward[$0].layer }
            let h = activations.count == 1 ? Notation.symbol(activations[0].kind) : "h"

            var deltaStep = Step(title: "Layer \(l): δ\(sl)")
            if l == top && fused {
                deltaStep.lines.append("δ\(sl) = (p − y)/\(loss == .bce ? "m·k" : "m"): \(activations.last.map { "\($0)" } ?? "the output") and \(loss.rawValue) together")
            } else if activations.isEmpty {
                deltaStep.lines.append(l == top ? "δ\(sl) = ∂C/∂ŷ" : "δ\(sl) = (W\(above))ᵀδ\(above)")
            } else {
                let g = l == top ? "∂C/∂a\(sl)" : "((W\(above))ᵀδ\(above))"
                deltaStep.lines.append("δ\(sl) = \(g) ⊙ \(h)'(z\(sl))")
                if activations.count == 1, let d = Notation.derivativeFormula(activations[0], output: "a" + sl) {
                    deltaStep.lines.append(d)
                }
            }
            // Each unit's δ = ∂C/∂a · h'(z), with h'(z) read off the recorded pass as δ / ∂C/∂a.
            let activationStep = members.count == 2 ? byIndex[pass.forward[members[1]].index] : nil
            if small(l), !(l == top && fused), let g = activationStep?.outputGradient, g.count == delta.count {
                for j in 0..<delta.count {
                    let unit = "δ\(sl)\(Self.sub(j + 1))"
                    let line: String
                    if g.scalars[j] == 0 {
                        line = "\(unit) = 0, as ∂C/∂a\(sl)\(Self.sub(j + 1)) = 0"
                    } else {
                        let derivative = delta.scalars[j] / g.scalars[j]
                        line = "\(unit) = ∂C/∂a\(sl)\(Self.sub(j + 1)) · \(h)'(z\(sl)\(Self.sub(j + 1))) = \(Self.operand(g.scalars[j]))·\(Self.operand(derivative)) = \(Self.number(delta.scalars[j]))"
                    }
                    deltaStep.lines.append(line)
                    note(unitSlot(l, j), line)
                }
            } else if small(l) {
                for j in 0..<delta.count { note(unitSlot(l, j), "δ\(sl)\(Self.sub(j + 1)) = \(Self.number(delta.scalars[j]))") }
            }
            deltaStep.lines.append("δ\(sl) = " + Self.values(delta))
            show(delta, column: l, kind: "d", label: "δ", in: &deltaStep)
            append(deltaStep)

            let a = affineRecord.input
            var gradientStep = Step(title: "Layer \(l): ∂C/∂W\(sl) = δ\(sl)·(a\(below))ᵀ and ∂C/∂b\(sl) = δ\(sl)")
            if let dW = affine.weightGradient {
                let (rows, cols) = (delta.count, a.count)
                let written = rows * cols <= Self.unitLimit
                for j in 0..<rows where small(l) && small(l - 1) {
                    for i in 0..<cols {
                        let line = "∂C/∂W\(sl)\(Self.sub(j + 1))\(Self.sub(i + 1)) = δ\(sl)\(Self.sub(j + 1))·a\(below)\(Self.sub(i + 1)) = \(Self.operand(delta.scalars[j]))·\(Self.operand(a.scalars[i])) = \(Self.number(dW.scalars[j * cols + i]))"
                        if written { gradientStep.lines.append(line) }
                        note(edgeSlot(l, j, i), line)
                    }
                }
                gradientStep.lines.append("∂C/∂W\(sl) = " + NumberFormat.tensor(dW))
                if !(small(l) && small(l - 1)) { note("E\(l)", "∂C/∂W\(sl) = δ\(sl)·(a\(below))ᵀ: " + NumberFormat.summary(dW)) }
            }
            if let db = affine.biasGradient {
                gradientStep.lines.append("∂C/∂b\(sl) = δ\(sl) = " + Self.values(db))
            }
            for index in members.dropFirst().map({ pass.forward[$0].index }) {
                for (name, gradient) in byIndex[index]?.parameterGradients ?? [] {
                    gradientStep.lines.append("∂C/∂net[\(index)].\(name) = " + NumberFormat.tensor(gradient))
                }
            }
            if l > 1, let handed = affine.inputGradient {
                gradientStep.lines.append("handed down: ∂C/∂a\(below) = (W\(sl))ᵀδ\(sl)")
                let weight = linears[l - 1].weight
                if small(l - 1), delta.count <= Self.fanInLimit {
                    for i in 0..<handed.count {
                        let terms = (0..<delta.count).map { j in
                            Self.operand(weight.scalars[j * handed.count + i]) + "·" + Self.operand(delta.scalars[j])
                        }
                        gradientStep.lines.append("∂C/∂a\(below)\(Self.sub(i + 1)) = " + terms.joined(separator: " + ") + " = " + Self.number(handed.scalars[i]))
                    }
                }
                gradientStep.lines.append("∂C/∂a\(below) = " + Self.values(handed))
            }
            append(gradientStep)
        }
    }

    /// One SGD step per layer, first layer first: each weight's old value, gradient and new value.
    mutating func buildUpdate() {
        guard let trace = pass.backward, let lr = learningRate else { return }
        var byIndex: [Int: BackwardTrace.Step] = [:]
        for step in trace.steps { byIndex[step.index] = step }
        let eta = Float(lr)
        for (k, linear) in linears.enumerated() {
            let l = k + 1, sl = Self.sup(l)
            guard let record = byIndex[linear.index] else { continue }
            var step = Step(title: "SGD step, layer \(l): w ← w − η·∂C/∂w,  η = \(NumberFormatting.format(lr))")
            for (name, gradient) in record.parameterGradients {
                guard let old = Self.parameter(record.layer, name) else { continue }
                let new = Tensor(shape: old.shape, scalars: zip(old.scalars, gradient.scalars).map { $0 - eta * $1 })
                let symbol = name == "weight" ? "W" + sl : name == "bias" ? "b" + sl : "net[\(linear.index)].\(name)"
                let columnsOf = old.rank == 2 ? old.shape[1] : 1
                for e in 0..<old.count {
                    let index = old.rank == 2 ? Self.sub(e / columnsOf + 1) + Self.sub(e % columnsOf + 1) : Self.sub(e + 1)
                    let line = "\(symbol)\(index): \(Self.number(old.scalars[e])) − \(NumberFormatting.format(lr))·\(Self.operand(gradient.scalars[e])) = \(Self.number(new.scalars[e]))"
                    if old.count <= Self.unitLimit { step.lines.append(line) }
                    if name == "weight", old.rank == 2, small(k), small(l) {
                        note(edgeSlot(l, e / columnsOf, e % columnsOf), "new " + line)
                    }
                }
                step.lines.append("new \(symbol) = " + NumberFormat.tensor(new))
                if name == "weight" {
                    let largest = gradient.scalars.map { abs(eta * $0) }.max() ?? 0
                    step.lines.append("largest change |Δw| = " + Self.number(largest))
                    step.weights.append((l, new))
                    if !(small(k) && small(l)) { note("E\(l)", "new \(symbol): " + NumberFormat.summary(new)) }
                }
            }
            append(step)
        }
        steps[steps.count - 1].lines.append("(the page shows the step; the network itself is unchanged)")
    }
}
