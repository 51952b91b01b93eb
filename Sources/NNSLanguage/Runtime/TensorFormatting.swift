import NNEngine

/// Prints tensors as their shape and nested lists, `tensor[2×2] [[0.2, 0.4], [0.3, 0.1]]`,
/// eliding the middle of large ones the way NumPy does (first and last three along each long
/// axis once the tensor has more than `threshold` elements).
enum TensorFormatting {
    static let threshold = 1000
    static let edgeItems = 3
    /// Tensors whose one-line form is longer than this print one row per line.
    static let lineWidth = 76

    static func format(_ tensor: Tensor) -> String {
        let header = "tensor[" + tensor.shape.map(String.init).joined(separator: "×") + "]"
        if tensor.rank == 0 { return header + " " + NumberFormatting.format(tensor.scalars[0]) }
        let elide = tensor.count > threshold || TensorShapeCheck.sublistCount(tensor.shape) > threshold
        let oneLine = nested(tensor, axis: 0, offset: 0, elide: elide, indent: nil)
        if tensor.rank == 1 || header.count + 1 + oneLine.count <= lineWidth {
            return header + " " + oneLine
        }
        return header + "\n" + nested(tensor, axis: 0, offset: 0, elide: elide, indent: 0)
    }

    /// The elements as nested lists. With `indent`, sub-lists of the outer axes go on their
    /// own lines, aligned under the opening bracket.
    private static func nested(_ tensor: Tensor, axis: Int, offset: Int, elide: Bool, indent: Int?) -> String {
        let extent = tensor.shape[axis]
        let stride = tensor.shape[(axis + 1)...].reduce(1, *)
        let indices: [Int]
        var gapAfter: Int? = nil
        if elide && extent > 2 * edgeItems {
            indices = Array(0..<edgeItems) + Array((extent - edgeItems)..<extent)
            gapAfter = edgeItems - 1
        } else {
            indices = Array(0..<extent)
        }
        var parts: [String] = []
        for (position, i) in indices.enumerated() {
            if axis == tensor.rank - 1 {
                parts.append(NumberFormatting.format(tensor.scalars[offset + i]))
            } else {
                parts.append(nested(tensor, axis: axis + 1, offset: offset + i * stride, elide: elide,
                                    indent: indent.map { $0 + 1 }))
            }
            if position == gapAfter { parts.append("...") }
        }
        if let indent, axis < tensor.rank - 1 {
            let separator = "," + String(repeating: "\n", count: tensor.rank - 1 - axis)
                + String(repeating: " ", count: indent + 1)
            return "[" + parts.joined(separator: separator) + "]"
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
