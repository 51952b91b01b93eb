/// Numbers as nns source writes them: the shortest text that reads back as the same number,
/// whole numbers without `.0` (`6`, not `6.0`), `nan`, `inf` and `-inf` by name.
///
/// The one formatter for numbers everywhere text is made (layer options, optimizer
/// hyper-parameters, traces, the language's printing, exported scripts, JSON), so a number
/// never reads one way in one place and another way in the next.
public enum ShortestNumber {
    /// A Float64 (the language's numbers).
    public static func text(_ x: Double) -> String { shortest(x) }

    /// A Float32 (a tensor element): `0.1` stored in a tensor gives `0.1`, not
    /// `0.10000000149011612`.
    public static func text(_ x: Float) -> String { shortest(x) }

    /// The Float's shortest digits as a Double: `0.01` rather than 0.009999999776482582,
    /// for writers (JSON, Python) whose numbers are Float64.
    public static func widened(_ x: Float) -> Double {
        x.isFinite ? Double(x.description) ?? Double(x) : Double(x)
    }

    /// Whole numbers below 2⁵³ in magnitude print as integers: every one of them is exact
    /// in a Double, and beyond it Swift's exponent form is the shorter text.
    static let wholeLimit = 9_007_199_254_740_992.0

    /// Swift's `description` is already the shortest round-trip text for either width.
    private static func shortest<F: BinaryFloatingPoint & CustomStringConvertible>(_ x: F) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), Double(x).magnitude < wholeLimit {
            return x == 0 ? (x.sign == .minus ? "-0" : "0") : String(Int64(x))
        }
        return x.description
    }
}
