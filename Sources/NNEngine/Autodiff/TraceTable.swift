/// One line of an evaluation trace: a value vᵢ, how it was computed, and its tangent v̇ᵢ
/// (forward mode) or adjoint v̄ᵢ (reverse mode). Plain data; presentation is the caller's.
public struct TraceRow: Equatable, Sendable {
    /// Position on the tape.
    public let id: Int
    /// The i of vᵢ: inputs are 1−n … 0, intermediate values 1, 2, ….
    public let index: Int
    /// `v₁`, `v₀`, …
    public let symbol: String
    /// An input's name (`x`); nil for intermediate values.
    public let name: String?
    public let isInput: Bool
    /// Whether this is the function's result.
    public let isOutput: Bool
    /// The right-hand side of `vᵢ = …`: `sin v₁`, `x²`, `v₁ · v₂`; an input's name.
    public let expression: String
    public let value: Tensor
    /// `v̇₁` or `ẋ` (forward), `v̄₁` or `x̄` (reverse).
    public let derivativeSymbol: String
    /// The rule that gave the derivative: `cos v₁ · v̇₁` (forward), `v̄₂ · cos v₁` (reverse).
    public let derivativeExpression: String
    /// The tangent or adjoint itself (zeros where nothing flows).
    public let derivative: Tensor
}

extension Tape {
    /// The forward-mode trace: inputs, then every operation in evaluation order, each with
    /// its tangent when `seed` moves with tangent `direction` (ẋ = 1 by default). With an
    /// `output`, only the operations the output depends on are listed.
    public func forwardTrace(seed: Traced, direction: Tensor? = nil, output: Traced? = nil) throws -> [TraceRow] {
        if let output { try check(output) }
        let tangents = try tangents(seed: seed, direction: direction)
        let notation = TraceNotation(tape: self, output: output?.id)
        let last = output?.id ?? notation.shown.last
        return notation.shown.map { id in
            let node = nodes[id]
            let rule: String
            if node.operation == .variable {
                rule = id == seed.id ? "1" : "0"
            } else {
                rule = notation.tangentExpression(id)
            }
            return row(id, notation, isOutput: id == last, derivativeSymbol: notation.dotted(id),
                       rule: rule, derivative: tangents[id])
        }
    }

    /// The reverse-mode trace: from the output (v̄ = 1) back to the inputs, each value with
    /// its adjoint v̄ᵢ = ∂output/∂vᵢ; only the values the output depends on are listed.
    public func reverseTrace(output: Traced) throws -> [TraceRow] {
        let adjoints = try adjoints(of: output)
        let notation = TraceNotation(tape: self, output: output.id)
        return notation.shown.reversed().map { id in
            row(id, notation, isOutput: id == output.id, derivativeSymbol: notation.barred(id),
                rule: notation.adjointExpression(id, output: output.id),
                derivative: id < adjoints.count ? adjoints[id] : nil)
        }
    }

    private func row(_ id: Int, _ notation: TraceNotation, isOutput: Bool, derivativeSymbol: String,
                     rule: String, derivative: Tensor?) -> TraceRow {
        let node = nodes[id]
        return TraceRow(
            id: id, index: notation.number(id), symbol: notation.symbol(id), name: node.name,
            isInput: node.operation == .variable, isOutput: isOutput,
            expression: notation.expression(id), value: node.value,
            derivativeSymbol: derivativeSymbol, derivativeExpression: rule,
            derivative: derivative ?? Tensor(zeros: node.value.shape))
    }
}
