/// How numbers print: the shortest text that reads back as the same number, with whole
/// numbers shown without `.0` (`6`, not `6.0`), as a user writes them.
enum NumberFormatting {
    /// A language number (Float64).
    static func format(_ x: Double) -> String { shortest(x) }

    /// A tensor element (Float32): the shortest text that reads back as the same Float, so
    /// `0.1` stored in a tensor prints as `0.1`, not `0.10000000149011612`.
    static func format(_ x: Float) -> String { shortest(x) }

    /// Swift's `description` is already the shortest round-trip text for either width.
    private static func shortest<F: BinaryFloatingPoint & CustomStringConvertible>(_ x: F) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), abs(x) < 1e16 {
            return x == 0 ? (x.sign == .minus ? "-0" : "0") : String(Int64(x))
        }
        return x.description
    }
}
