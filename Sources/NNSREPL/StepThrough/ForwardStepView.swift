import NNEngine
import NNSLanguage

/// The pages of `:step forward`: one per layer, each with the layer as nns code, the
/// formula in the notes' symbols and the numbers with their shapes.
public enum ForwardStepView {
    public static func pages(_ records: [ForwardTrace.Step]) -> [String] {
        let layers = records.map(\.layer)
        let ls = Notation.notesLayers(layers)
        var current = "a⁰"
        var pages: [String] = []
        for (position, record) in records.enumerated() {
            let l = ls[position]
            let layer = record.layer
            var lines = ["layer \(position + 1)/\(records.count)  net[\(record.index)] = \(layer)"]
            // The output's name: zˡ for an affine layer; else aˡ, with x as the input before
            // any linear layer, and a prime for a layer after a layer already giving aˡ
            // (dropout after relu; pooling and flatten after a conv's activation).
            let output: String
            if Notation.isAffine(layer) {
                output = "z" + Notation.superscript(l)
            } else {
                if position == 0 { current = "x" }
                let a = "a" + Notation.superscript(l)
                output = current.hasPrefix(a) && current.dropFirst(a.count).allSatisfy({ $0 == "′" }) ? current + "′" : a
            }
            if let image = ImageStepView.forward(record, input: current, output: output) {
                lines += image
            } else if Notation.isAffine(layer) {
                let W = "W" + Notation.superscript(l), b = "b" + Notation.superscript(l)
                lines.append("  \(output) = \(W)·\(current) + \(b)")
                lines.append(TensorDisplay.row(current, record.input))
                if let weight = layer.parameters.first(where: { $0.name == "weight" }) {
                    lines.append(TensorDisplay.row(W, weight.value))
                }
                if let bias = layer.parameters.first(where: { $0.name == "bias" }) {
                    lines.append(TensorDisplay.row(b, bias.value))
                }
                lines.append(TensorDisplay.row(output, record.output))
            } else {
                lines.append("  " + Notation.activationFormula(layer, input: current, output: output))
                lines.append(TensorDisplay.row(current, record.input))
                lines.append(TensorDisplay.row(output, record.output))
                if layer.kind == "relu" {
                    let (dead, units) = TensorDisplay.deadUnits(record.output)
                    if units > 0 {
                        lines.append("    dead units: \(dead) of \(units) (\(TensorDisplay.percent(Double(dead) / Double(units)))) give 0 for every sample")
                    }
                }
                if let share = TensorDisplay.saturatedShare(record.output, kind: layer.kind), share > 0 {
                    lines.append("    saturated: \(TensorDisplay.percent(share)) of values within 1% of a bound")
                }
            }
            current = output
            if position == records.count - 1 {
                lines.append("  output ŷ = \(current)")
            }
            pages.append(lines.joined(separator: "\n"))
        }
        return pages
    }
}
