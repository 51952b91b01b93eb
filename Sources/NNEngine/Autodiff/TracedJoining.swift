/// `concat` and `stack` on a tape: the joined value, whose adjoint is cut back into one
/// piece per operand.
extension Traced {
    /// `parts` joined along `axis`: end to end, or along a new axis when `stacked`.
    public static func join(_ parts: [Traced], axis: Int, stacked: Bool) throws -> Traced {
        guard let tape = parts.first?.tape else {
            throw EngineError("cannot \(stacked ? "stack" : "concatenate") an empty list of tensors",
                              hint: "give at least one tensor")
        }
        for part in parts { try tape.check(part) }
        let values = parts.map(\.value)
        let result = stacked ? try Tensor.stack(values, axis: axis) : try Tensor.concatenate(values, axis: axis)
        let normalized = stacked ? try Tensor.stackAxis(axis, rank: values[0].rank) : try values[0].normalizedAxis(axis)
        return tape.record(.join(axis: normalized, stacked: stacked), operands: parts.map(\.id), value: result)
    }
}
