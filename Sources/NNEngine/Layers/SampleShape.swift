/// What composition knows of the shape of one sample as it flows between layers: its
/// extents without the batch axis (`[784]`, `[32, 13, 13]`), each known or `nil` where it
/// depends on an input not seen yet (`conv2d(1, 32, 3)` first in a network knows its input
/// has 1 channel, not its height). A whole shape unknown (activations first) is `nil`.
public typealias SampleShape = [Int?]

/// Why a layer cannot take the shape the layer before it gives; `Network` turns it into an
/// error that names both layers.
public enum ShapeProblem: Error, Equatable {
    /// "layer 2 expects 128 inputs but layer 1 gives 256": what this layer expects and what
    /// it was given, in the same unit (inputs, channels, a shape).
    case expects(String, gives: String, fix: String)
    /// "maxpool(2) at layer 5 needs at least 2×2 input but gets 1×1": a problem of this layer
    /// alone, whatever the layer before.
    case needs(String, fix: String)
}

public enum SampleShapes {
    /// `[32, 13, 13]` as `32×13×13`, unknown extents as `?`.
    public static func text(_ shape: SampleShape) -> String {
        shape.map { $0.map(String.init) ?? "?" }.joined(separator: "×")
    }

    /// The batch form users see in `summary`: `[m, 32, 13, 13]`.
    public static func batchText(_ shape: SampleShape?) -> String {
        guard let shape else { return "[m, n]" }
        return "[" + (["m"] + shape.map { $0.map(String.init) ?? "?" }).joined(separator: ", ") + "]"
    }

    /// The number of features of a flat sample, when known (`[784]` → 784).
    public static func width(_ shape: SampleShape?) -> Int? {
        guard let shape, shape.count == 1 else { return nil }
        return shape[0]
    }

    /// Whether `given` can be what `expected` describes (unknown extents match anything).
    public static func fits(_ given: SampleShape, _ expected: SampleShape) -> Bool {
        given.count == expected.count && zip(given, expected).allSatisfy { g, e in g == nil || e == nil || g == e }
    }

    /// The two merged, each extent known where either knows it.
    public static func merged(_ given: SampleShape, _ expected: SampleShape) -> SampleShape {
        zip(given, expected).map { $0 ?? $1 }
    }

    /// The product of the extents, when all are known.
    public static func count(_ shape: SampleShape) -> Int? {
        var n = 1
        for extent in shape {
            guard let e = extent else { return nil }
            n *= e
        }
        return n
    }
}
