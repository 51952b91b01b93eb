import NNEngine

/// `x[i]`, `x[i, j]` on a traced vector or matrix inside `grad`/`trace`: element i of a
/// vector, row i (or element i, j) of a matrix, recorded as products with one-hot constants
/// (eᵢ @ x, x @ eⱼ) — the slicing machinery with every axis picked by an integer — so the
/// derivative flows back to exactly that element or row.
extension Interpreter {
    func tracedIndex(_ x: Traced, _ indices: [Value], at range: SourceRange) throws -> Value {
        try sliceTraced(x, indices.map { .position($0) }, at: range)
    }
}
