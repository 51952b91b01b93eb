import Foundation
import NNEngine

/// How the REPL writes numbers and tensors: a fixed number of significant digits, so the
/// hand-worked example reads as in the notes (0.520, 0.627, −0.0542), and a summary line
/// (shape, mean, std, min, max) for tensors too large to read element by element.
public enum NumberFormat {
    /// `value` with `digits` significant digits, keeping trailing zeros (`-0.0340`), switching
    /// to exponent form for very small or very large magnitudes.
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude < 1e-4 || magnitude >= 1e7 {
            return String(format: "%.\(max(digits - 1, 0))e", value)
        }
        let exponent = Int(floor(log10(magnitude)))
        let decimals = max(digits - 1 - exponent, 0)
        var text = String(format: "%.\(decimals)f", value)
        // Rounding can carry into a new leading digit (0.9996 → "1.000"); one digit fewer then.
        if decimals > 0, let rounded = Double(text), abs(rounded) >= pow(10, Double(exponent + 1)) {
            text = String(format: "%.\(decimals - 1)f", value)
        }
        return text == "-0" ? "0" : text
    }

    /// A shape the way the language prints it: `2×3`, `5`, or `scalar`.
    public static func shape(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }

    /// Tensors with at most this many elements are printed in full.
    public static let fullPrintLimit = 16

    /// The elements as nested lists (`[[0.200, 0.400], [0.300, 0.100]]`) when small enough,
    /// otherwise the statistics line of `summary(_:)`.
    public static func tensor(_ tensor: Tensor, digits: Int = 3) -> String {
        if tensor.count > fullPrintLimit { return summary(tensor, digits: digits) }
        return nested(tensor.scalars[...], shape: tensor.shape[...], digits: digits)
    }

    /// `mean 0.0012  std 0.0513  min -0.213  max 0.197` — what a large tensor is shown as.
    public static func summary(_ tensor: Tensor, digits: Int = 3) -> String {
        let stats = TensorStatistics(tensor)
        return "mean \(significant(stats.mean, digits: digits))  std \(significant(stats.std, digits: digits))"
            + "  min \(significant(stats.min, digits: digits))  max \(significant(stats.max, digits: digits))"
    }

    private static func nested(_ scalars: ArraySlice<Float>, shape: ArraySlice<Int>, digits: Int) -> String {
        guard let first = shape.first else {
            return scalars.first.map { significant(Double($0), digits: digits) } ?? "[]"
        }
        let inner = shape.dropFirst()
        let stride = inner.reduce(1, *)
        var parts: [String] = []
        parts.reserveCapacity(first)
        for i in 0..<first {
            let start = scalars.startIndex + i * stride
            parts.append(nested(scalars[start..<(start + stride)], shape: inner, digits: digits))
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}

/// Mean, standard deviation (population), minimum and maximum of a tensor's elements,
/// accumulated in Float64.
public struct TensorStatistics: Equatable {
    public var mean: Double
    public var std: Double
    public var min: Double
    public var max: Double
    public var count: Int

    public init(_ tensor: Tensor) {
        count = tensor.count
        guard count > 0 else { mean = .nan; std = .nan; min = .nan; max = .nan; return }
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        for x in tensor.scalars {
            let v = Double(x)
            sum += v
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        let m = sum / Double(count)
        var squares = 0.0
        for x in tensor.scalars { let d = Double(x) - m; squares += d * d }
        mean = m
        std = (squares / Double(count)).squareRoot()
        min = lo
        max = hi
    }
}
