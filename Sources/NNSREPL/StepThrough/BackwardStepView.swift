import NNEngine

/// The pages of `:step backward`: the loss, then per notes layer from the top δˡ,
/// ∂C/∂Wˡ = δˡ·(aˡ⁻¹)ᵀ, ∂C/∂bˡ = δˡ and the gradient handed down, (Wˡ)ᵀδˡ.
public enum BackwardStepView {
    public static func pages(forward: [ForwardRecord], backward: [BackwardRecord], loss: LossEvaluation) -> [String] {
        guard let output = forward.last?.output else { return [] }
        let layers = forward.map(\.layer)
        let ls = Notation.notesLayers(layers)
        let top = ls.last ?? 0
        let m = output.rank == 2 ? output.shape[0] : 1
        let outSymbol = (Notation.isAffine(layers.last!) ? "z" : "a") + Notation.superscript(top)
        var byIndex: [Int: BackwardRecord] = [:]
        for record in backward { byIndex[record.index] = record }

        var pages: [String] = []
        var lossPage = ["loss \(loss.name):  \(lossFormula(loss.name)) = \(NumberFormat.significant(loss.value))"]
        lossPage.append(TensorDisplay.row("ŷ = \(outSymbol)", output))
        lossPage.append(TensorDisplay.row("y", loss.target))
        if loss.fusedWithFinalLayer {
            lossPage.append("  δ\(Notation.superscript(top)) = (p − y)/m: \(layers.last!) and \(loss.name) together")
        } else {
            lossPage.append("  ∂C/∂ŷ = \(gradientFormula(loss.name))" + (m > 1 ? ",  m = \(m)" : ""))
        }
        lossPage.append(TensorDisplay.row(loss.fusedWithFinalLayer ? "δ" + Notation.superscript(top) : "∂C/∂ŷ",
                                          loss.outputGradient))
        pages.append(lossPage.joined(separator: "\n"))

        // Notes layers from the top: l = top ... 1 (and 0 for layers before the first linear).
        for l in stride(from: top, through: 0, by: -1) {
            let members = forward.indices.filter { ls[$0] == l }
            guard !members.isEmpty else { continue }
            var lines: [String] = []
            let code = members.map { "net[\($0)] = \(layers[$0])" }.joined(separator: ",  ")
            guard let first = members.first, Notation.isAffine(layers[first]),
                  let affine = byIndex[first] else {
                lines.append("before the first linear layer: \(code)")
                if let lowest = members.compactMap({ byIndex[$0] }).last {
                    lines.append(TensorDisplay.row("∂C/∂x", lowest.inputGradient ?? lowest.outputGradient))
                }
                pages.append(lines.joined(separator: "\n"))
                continue
            }
            let sl = Notation.superscript(l), below = Notation.superscript(l - 1), above = Notation.superscript(l + 1)
            let activations = members.dropFirst().map { layers[$0] }
            lines.append("layer \(l)  " + code)
            let h = activations.count == 1 ? Notation.symbol(activations[0].kind) : "h"
            if l == top {
                if loss.fusedWithFinalLayer {
                    lines.append("  δ\(sl) = (p − y)/m, from the loss")
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
            if activations.count == 1, !(l == top && loss.fusedWithFinalLayer),
               let derivative = Notation.derivativeFormula(activations[0].kind, output: "a" + sl) {
                lines.append("    " + derivative)
            }
            lines.append(TensorDisplay.row("δ" + sl, affine.outputGradient))
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

    static func lossFormula(_ name: String) -> String {
        switch name {
        case "mse": return "C = (1/m) Σ ½‖ŷ − y‖²"
        case "bce": return "C = −(1/m) Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]"
        case "cross_entropy": return "C = −(1/m) Σ y·log p"
        default: return "C"
        }
    }

    static func gradientFormula(_ name: String) -> String {
        switch name {
        case "mse": return "(ŷ − y)/m"
        case "bce": return "(ŷ − y) / (ŷ(1 − ŷ)·m)"
        case "cross_entropy": return "−y / (p·m)"
        default: return "the loss's derivative"
        }
    }
}
