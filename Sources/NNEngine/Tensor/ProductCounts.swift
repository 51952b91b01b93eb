import CKernels

/// The matrix products' work since start-up, for benchmarks that turn epoch times into FLOP
/// rates: a dense count of a network's products overstates what ran when linear layers skip
/// their input's zero columns (`ZeroColumns`).
public enum ProductCounts {
    /// Multiply-adds the products ran: m·n·k of each, the convolutions' included.
    public static var multiplyAddsRun: Int64 { Int64(nns_multiply_adds_run()) }

    /// Multiply-adds that linear layers left out in training, over zero input columns:
    /// their forward and weight-gradient products, counted dense, less what they ran.
    public static var multiplyAddsSkipped: Int64 { Int64(nns_multiply_adds_skipped()) }
}
