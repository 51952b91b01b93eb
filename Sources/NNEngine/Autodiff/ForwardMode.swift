/// Forward mode: tangents v̇ᵢ = ∂vᵢ/∂x · ẋ carried alongside the values, one sweep per
/// input direction.
extension Tape {
    /// The tangent v̇ᵢ of every node when `seed` moves with tangent `direction` (default
    /// ẋ = 1 in every element) and the other variables stay fixed. Nodes that do not depend
    /// on the seed have tangent nil (zero).
    public func tangents(seed: Traced, direction: Tensor? = nil) throws -> [Tensor?] {
        try check(seed)
        let seedValue = nodes[seed.id].value
        guard nodes[seed.id].operation == .variable else {
            throw EngineError("the seed of forward mode must be an input variable",
                              hint: "seed one of the function's arguments")
        }
        let start = direction ?? Tensor(repeating: 1, shape: seedValue.shape)
        guard start.shape == seedValue.shape else {
            throw EngineError(
                "the direction has shape \(Broadcasting.describe(start.shape)) but the input has "
                    + "shape \(Broadcasting.describe(seedValue.shape))",
                hint: "give a direction of the input's shape")
        }
        var tangents = [Tensor?](repeating: nil, count: nodes.count)
        tangents[seed.id] = start
        for node in nodes[(seed.id + 1)...] where !node.operands.isEmpty {
            let operandTangents = node.operands.map { tangents[$0] }
            guard operandTangents.contains(where: { $0 != nil }) else { continue }
            tangents[node.id] = try TapeAlgebra.tangent(
                node, node.operands.map { nodes[$0].value }, tangents: operandTangents)
        }
        return tangents
    }
}
