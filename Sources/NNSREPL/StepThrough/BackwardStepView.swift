import NNEngine
import NNSLanguage

/// The pages of `:step backward`: the loss, then per notes layer from the top δˡ,
/// ∂C/∂Wˡ = δˡ·(aˡ⁻¹)ᵀ, ∂C/∂bˡ = δˡ and the gradient handed down, (Wˡ)ᵀδˡ.
public enum BackwardStepView {
    public static func pages(_ pass: RecordedPass) -> [String] {
        guard let trace = pass.backward, let output = pass.forward.last?.output,
              let loss = trace.lossFunction, let value = trace.loss else { return [] }
        let forward = pass.forward
        let layers = forward.map(\.layer)
        let ls = Notation.notesLayers(layers)
        let top = ls.last ?? 0
        let m = output.rank == 2 ? output.shape[0] : 1
        let fused = trace.steps.first?.fusedWithLoss ?? false
        guard let lastLayer = layers.last else { return [] }
        let outSymbol = (Notation.isAffine(lastLayer) ? "z" : "a") + Notation.superscript(top)
        var byIndex: [Int: BackwardTrace.Step] = [:]
        for step in trace.steps { byIndex[step.index] = step }

        var pages: [String] = []
        var lossPage = ["loss \(loss.rawValue):  \(Notation.lossFormula(loss)) = \(NumberFormat.significant(value))"]
        lossPage.append(TensorDisplay.row("ŷ = \(outSymbol)", output))
        if let target = pass.target { lossPage.append(TensorDisplay.row("y", target)) }
        if fused, let first = trace.steps.first, let delta = first.inputGradient {
            let over = loss == .bce ? "m·k" : "m"
            lossPage.append("  \(lastLayer) and \(loss.rawValue) together: δ\(Notation.superscript(top)) = (p − y)/\(over)")
            lossPage.append(TensorDisplay.row("δ" + Notation.superscript(top), delta))
        } else if let gradient = trace.lossGradient {
            lossPage.append("  ∂C/∂ŷ = \(Notation.gradientFormula(loss))" + (m > 1 ? ",  m = \(m)" : ""))
            lossPage.append(TensorDisplay.row("∂C/∂ŷ", gradient))
        }
        pages.append(lossPage.joined(separator: "\n"))

        // Notes layers from the top: l = top ... 1 (and 0 for layers before the first linear).
        for l in stride(from: top, through: 0, by: -1) {
            let members = forward.indices.filter { ls[$0] == l }
            guard !members.isEmpty else { continue }
            if let page = ImageStepView.backwardPage(l: l, members: members, forward: forward, byIndex: byIndex) {
                pages.append(page)
                continue
            }
            var lines: [String] = []
            let code = members.map { "net[\($0)] = \(layers[$0])" }.joined(separator: ",  ")
            guard let first = members.first, Notation.isAffine(layers[first]),
                  let affine = byIndex[first], let delta = affine.outputGradient else {
                lines.append("before the first linear layer: \(code)")
                if let lowest = members.compactMap({ byIndex[$0] }).last,
                   let gradient = lowest.inputGradient ?? lowest.outputGradient {
                    lines.append(TensorDisplay.row("∂C/∂x", gradient))
                }
                pages.append(lines.joined(separator: "\n"))
                continue
            }
            let sl = Notation.superscript(l), below = Notation.superscript(l - 1), above = Notation.superscript(l + 1)
            let activations = members.dropFirst().map { layers[$0] }
            lines.append("layer \(l)  " + code)
            let h = activations.count == 1 ? Notation.symbol(activations[0].kind) : "h"
            if l == top {
                if fused {
                    lines.append("  δ\(sl) = (p − y)/\(loss == .bce ? "m·k" : "m"), from the loss")
                } else if activations.isEmpty {
                    lines.append("  δ\(sl) = ∂C/∂ŷ")
                } else {
                    lines.append("  δ\(sl) = ∂C/∂a\(sl) ⊙ \(h)'(z\(sl))")
                }
            } else if activations.isEmpty {
                lines.append("  δ\(sl) = (W\(above))ᵀδ\(above)")
            } else {
                lines.append("  δ\(sl) = ((W\(above))ᵀδ\(above)) ⊙ \(h)'(z\(sl))")
            }
            if activations.count == 1, !(l == top && fused),
               let derivative = Notation.derivativeFormula(activations[0], output: "a" + sl) {
                lines.append("    " + derivative)
            }
            lines.append(TensorDisplay.row("δ" + sl, delta))
            let sum = m > 1 ? "Σ over the batch of " : ""
            for (name, gradient) in affine.parameterGradients {
                switch name {
                case "weight":
                    lines.append("  ∂C/∂W\(sl) = \(sum)δ\(sl)·(a\(below))ᵀ")
                    lines.append(TensorDisplay.row("∂C/∂W" + sl, gradient))
                case "bias":
                    lines.append("  ∂C/∂b\(sl) = \(sum)δ\(sl)")
                    lines.append(TensorDisplay.row("∂C/∂b" + sl, gradient))
                default:
                    lines.append(TensorDisplay.row("∂C/∂" + name, gradient))
                }
            }
            for index in members.dropFirst() {
                if let record = byIndex[index], !record.parameterGradients.isEmpty {
                    for (name, gradient) in record.parameterGradients {
                        lines.append(TensorDisplay.row("∂C/∂net[\(index)].\(name)", gradient))
                    }
                }
            }
            if let handed = affine.inputGradient {
                lines.append("  handed down: ∂C/∂a\(below) = (W\(sl))ᵀδ\(sl)")
                lines.append(TensorDisplay.row("∂C/∂a" + below, handed))
            }
            pages.append(lines.joined(separator: "\n"))
        }
        return pages
    }
}
