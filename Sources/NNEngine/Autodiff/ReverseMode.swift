/// Reverse mode (backpropagation): one sweep from the output back to the inputs gives the
/// derivative of a scalar output with respect to every value on the tape.
extension Tape {
    /// The adjoint v̄ᵢ = ∂output/∂vᵢ of every node up to `output` (nil for nodes the output
    /// does not depend on through a variable), seeded with v̄ₙ = 1.
    public func adjoints(of output: Traced) throws -> [Tensor?] {
        try check(output)
        let seed = nodes[output.id].value
        guard seed.count == 1 else {
            throw EngineError(
                "reverse mode needs a scalar output, got a tensor of shape \(Broadcasting.describe(seed.shape))",
                hint: "reduce the output to one number first, with sum(...) or mean(...)")
        }
        var adjoints = [Tensor?](repeating: nil, count: output.id + 1)
        adjoints[output.id] = Tensor(repeating: 1, shape: seed.shape)
        for i in stride(from: output.id, through: 0, by: -1) {
            let node = nodes[i]
            guard let adjoint = adjoints[i], node.dependsOnVariable, !node.operands.isEmpty else { continue }
            let operandValues = node.operands.map { nodes[$0].value }
            for (position, j) in node.operands.enumerated() where nodes[j].dependsOnVariable {
                let contribution = try TapeAlgebra.adjointContribution(
                    node, operandValues, adjoint: adjoint, position: position)
                // A value used by several operations collects the sum of their adjoints.
                if let existing = adjoints[j] {
                    adjoints[j] = try existing + contribution
                } else {
                    adjoints[j] = contribution
                }
            }
        }
        return adjoints
    }

    /// ∂output/∂input for each of `inputs` (zeros for an input the output does not use).
    public func gradients(of output: Traced, withRespectTo inputs: [Traced]) throws -> [Tensor] {
        for input in inputs { try check(input) }
        let all = try adjoints(of: output)
        return inputs.map { input in
            (input.id < all.count ? all[input.id] : nil) ?? Tensor(zeros: nodes[input.id].value.shape)
        }
    }
}
