import NNEngine
import NNSLanguage

/// How step-through shows one tensor: a single sample without its batch axis, the numbers
/// in full when small, otherwise the shape with mean/std/min/max.
enum TensorDisplay {
    /// A row like `  z¹   [2]     [0.520, 0.430]`, aligned by the symbol column. The engine's
    /// traces already show a one-sample pass as vectors, so tensors are shown as they are.
    static func row(_ symbol: String, _ tensor: Tensor, symbolWidth: Int = 10) -> String {
        let shown = tensor
        let pad = String(repeating: " ", count: max(symbolWidth - symbol.count, 1))
        let shape = "[" + NumberFormat.shape(shown.shape) + "]"
        return "    " + symbol + pad + shape.padding(toLength: max(shape.count, 9), withPad: " ", startingAt: 0)
            + " " + NumberFormat.tensor(shown)
    }

    /// Units (columns) of a `[m, n]` activation that are zero for every sample: relu's dead units.
    static func deadUnits(_ activation: Tensor) -> (dead: Int, units: Int) {
        let a = activation.rank == 1 ? activation.reshaped([1, activation.count]) : activation
        guard a.rank == 2, a.shape[1] > 0 else { return (0, 0) }
        let (m, n) = (a.shape[0], a.shape[1])
        var alive = [Bool](repeating: false, count: n)
        for i in 0..<m {
            for j in 0..<n where a.scalars[i * n + j] > 0 { alive[j] = true }
        }
        return (alive.filter { !$0 }.count, n)
    }

    /// The share of elements within 1% of a saturating activation's bounds: sigmoid near 0
    /// or 1, tanh near −1 or 1. Nil for other kinds.
    static func saturatedShare(_ a: Tensor, kind: String) -> Double? {
        guard a.count > 0 else { return nil }
        let test: (Float) -> Bool
        switch kind {
        case "sigmoid": test = { $0 < 0.01 || $0 > 0.99 }
        case "tanh": test = { abs($0) > 0.99 }
        default: return nil
        }
        return Double(a.scalars.filter(test).count) / Double(a.count)
    }

    /// `50%`, `4.7%`, `0.39%`.
    static func percent(_ share: Double) -> String {
        let p = share * 100
        if p == p.rounded() { return String(format: "%.0f%%", p) }
        return NumberFormat.significant(p, digits: 2) + "%"
    }
}
