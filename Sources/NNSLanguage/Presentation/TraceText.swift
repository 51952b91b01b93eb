import Foundation
import NNEngine

/// Evaluation traces as text, laid out the way the lecture notes write them:
///
///     forward mode at x = 1, seeded with ẋ = 1
///       v₀ = x       = 1          ẋ  = 1           = 1
///       v₁ = x²      = 1          v̇₁ = 2x · ẋ      = 2
///       v₂ = sin v₁  = 0.8415     v̇₂ = cos v₁ · v̇₁ = 1.0806
///
/// Presentation-neutral: plain strings the host prints.
enum TraceText {
    /// The forward-mode table, then the derivative with respect to the seeded input.
    static func forward(_ rows: [TraceRow], point: String, seedName: String, functionName: String) -> String {
        var lines = ["forward mode at \(point), seeded with \(dotted(seedName)) = 1 (tangents v̇ᵢ = ∂vᵢ/∂\(seedName))"]
        lines += table(rows)
        if let last = rows.last {
            lines.append("  ∂\(functionName)/∂\(seedName) = \(last.derivativeSymbol) = \(value(last.derivative))")
        }
        return lines.joined(separator: "\n")
    }

    /// The reverse-mode table (output first, v̄ₙ = 1), then every input's adjoint.
    static func reverse(_ rows: [TraceRow], point: String, functionName: String) -> String {
        let seed = rows.first?.derivativeSymbol ?? "v̄"
        var lines = ["reverse mode at \(point), seeded with \(seed) = 1 (adjoints v̄ᵢ = ∂\(functionName)/∂vᵢ)"]
        lines += table(rows)
        let inputs = rows.filter(\.isInput).sorted { $0.index < $1.index }
        let results = inputs.map { "∂\(functionName)/∂\($0.name ?? $0.symbol) = \($0.derivativeSymbol) = \(value($0.derivative))" }
        if !results.isEmpty { lines.append("  " + results.joined(separator: ",  ")) }
        return lines.joined(separator: "\n")
    }

    /// Rows as aligned columns: `vᵢ = expression = value    v̇ᵢ = rule = derivative`.
    static func table(_ rows: [TraceRow]) -> [String] {
        let columns: [[String]] = [
            rows.map(\.symbol), rows.map(\.expression), rows.map { value($0.value) },
            rows.map(\.derivativeSymbol), rows.map(\.derivativeExpression), rows.map { value($0.derivative) },
        ]
        let widths: [Int] = columns.map { column in column.map(\.count).max() ?? 0 }
        var lines: [String] = []
        for i in rows.indices {
            var line = "  " + pad(columns[0][i], widths[0])
            line += " = " + pad(columns[1][i], widths[1])
            line += " = " + pad(columns[2][i], widths[2])
            line += "    " + pad(columns[3][i], widths[3])
            line += " = " + pad(columns[4][i], widths[4])
            line += " = " + columns[5][i]
            lines.append(line)
        }
        return lines
    }

    /// `x = 1, y = 2` for the header.
    static func point(names: [String], values: [Tensor]) -> String {
        zip(names, values).map { "\($0) = \(value($1))" }.joined(separator: ", ")
    }

    /// A value in a trace: a scalar to 4 decimals (whole numbers bare), a short vector in
    /// full, anything larger by its shape.
    static func value(_ t: Tensor) -> String {
        if t.count == 1 { return number(Double(t.scalars[0])) }
        if t.rank == 1 && t.count <= 4 { return "[" + t.scalars.map { number(Double($0)) }.joined(separator: ", ") + "]" }
        return "tensor" + ShapeText.format(t.shape)
    }

    static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), abs(x) < 1e9 { return String(Int64(x)) }
        if abs(x) >= 1e6 || abs(x) < 1e-4 { return String(format: "%.4e", x) }
        var text = String(format: "%.4f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// `ẋ` for `x`: the tangent mark on the first letter of a name.
    static func dotted(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + "\u{307}" + name.dropFirst()
    }

    private static let subscriptDigits = Array("₀₁₂₃₄₅₆₇₈₉")

    static func subscripted(_ n: Int) -> String {
        String(String(n).map { subscriptDigits[$0.wholeNumberValue ?? 0] })
    }
}
