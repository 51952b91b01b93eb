import NNEngine

/// `x[i]` on a traced vector or matrix inside `grad`/`trace`: element i of a vector, row i of
/// a matrix, recorded as the product eᵢ @ x with a one-hot constant eᵢ, so the derivative
/// flows back to exactly that element or row.
extension Interpreter {
    func tracedIndex(_ x: Traced, _ indices: [Value], at range: SourceRange) throws -> Value {
        let value = x.value
        guard value.rank == 1 || value.rank == 2 else {
            throw error("indexing a differentiated tensor of rank \(value.rank) is not supported", at: range,
                        hint: "index vectors and matrices inside grad and trace")
        }
        let i = try position(indices, count: value.shape[0], kind: "tensor", at: range)
        var picker = Tensor(zeros: [value.shape[0]])
        picker.scalars[i] = 1
        do { return .traced(try x.constant(picker).matmul(x)) } catch { throw located(error, at: range) }
    }
}
