import NNEngine

/// `range(n)`, `range(a, b)`, `range(a, b, step)`: a lazy sequence of numbers, so
/// `for i in range(1e9)` needs no memory.
public final class RangeValue: ObjectValue {
    public let start: Double
    public let end: Double
    public let step: Double

    public init(start: Double, end: Double, step: Double) {
        self.start = start
        self.end = end
        self.step = step
    }

    public var kindName: String { "range" }

    public var length: Int? {
        let n = ((end - start) / step).rounded(.up)
        return n > 0 ? Int(n) : 0
    }

    public func element(at index: Int) throws -> Value? { .number(start + Double(index) * step) }

    public var displayText: String {
        let parts = step == 1 ? [start, end] : [start, end, step]
        return "range(" + parts.map(NumberFormatting.format).joined(separator: ", ") + ")"
    }

    /// Its numbers as a list (ranges convert to lists and tensors where those are expected).
    public var items: [Value] {
        (0..<(length ?? 0)).map { .number(start + Double($0) * step) }
    }

    public func jsonText(_ encoder: JSONEncoderContext) -> String {
        encoder.array((0..<(length ?? 0)).map { encoder.number(start + Double($0) * step) })
    }
}
