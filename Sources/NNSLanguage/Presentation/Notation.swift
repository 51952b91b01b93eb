import NNEngine

/// The lecture notes' symbols: zˡ = Wˡ·aˡ⁻¹ + bˡ, aˡ = h(zˡ), δˡ, with l counting the
/// linear layers (a⁰ is the input), and each activation's formula as the notes write it.
public enum Notation {
    public static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(n).map { $0 == "-" ? "⁻" : digits[Int(String($0))!] })
    }

    /// Whether a layer is the affine step zˡ = Wˡ·aˡ⁻¹ + bˡ that starts a notes layer.
    public static func isAffine(_ layer: Layer) -> Bool { layer.isAffine }

    /// For each layer of the network, the notes' layer number l it belongs to (0 for
    /// anything before the first linear layer).
    public static func notesLayers(_ layers: [Layer]) -> [Int] {
        var l = 0
        return layers.map { layer in
            if isAffine(layer) { l += 1 }
            return l
        }
    }

    /// The activation's symbol in formulas: σ for sigmoid, h otherwise named.
    public static func symbol(_ kind: String) -> String {
        switch kind {
        case "sigmoid": return "σ"
        case "tanh": return "tanh"
        case "relu": return "relu"
        case "softmax": return "softmax"
        default: return kind
        }
    }

    /// `a¹ = σ(z¹)` with the function's definition, as the layer writes it.
    public static func activationFormula(_ layer: Layer, input: String, output: String) -> String {
        layer.formula(input: input, output: output)
    }

    /// The derivative h'(z) in the notes' form, for the backward view.
    public static func derivativeFormula(_ layer: Layer, output a: String) -> String? {
        layer.derivativeFormula(output: a)
    }

    /// The loss's definition in the notes' symbols.
    public static func lossFormula(_ loss: Loss) -> String {
        switch loss {
        case .mse: return "C = (1/m) Σ ½‖ŷ − y‖²"
        case .bce: return "C = −mean[y·log ŷ + (1 − y)·log(1 − ŷ)]"
        case .crossEntropy: return "C = −(1/m) Σ y·log softmax(z)"
        }
    }

    /// ∂C/∂ŷ of the loss, in the notes' symbols.
    public static func gradientFormula(_ loss: Loss) -> String {
        switch loss {
        case .mse: return "(ŷ − y)/m"
        case .bce: return "(ŷ − y) / (ŷ(1 − ŷ)·m·k)"
        case .crossEntropy: return "(softmax(z) − y)/m, on logits z"
        }
    }
}

extension Notation {
    /// `₁₂` for 12: the notes' unit and weight indices (z¹₁, W²₁₂).
    public static func `subscript`(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return String(String(n).map { $0 == "-" ? "₋" : digits[Int(String($0))!] })
    }
}
