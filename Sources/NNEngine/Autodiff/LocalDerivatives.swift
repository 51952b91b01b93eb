import Foundation

/// The forward values and local derivatives of the tape's operations: for each node, how
/// a tangent flows forward through it (Jacobian–vector product, v̇ᵢ = Σⱼ ∂vᵢ/∂vⱼ · v̇ⱼ) and
/// how an adjoint flows back to one operand (vector–Jacobian product, v̄ⱼ += v̄ᵢ · ∂vᵢ/∂vⱼ).
enum TapeAlgebra {
    // MARK: forward values that are not plain tensor operations

    /// The matrix product, treating a vector on the left as a row and on the right as a
    /// column (NumPy's `@`), through the engine's matrix kernel.
    static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try a.matmul(b)
    }

    /// Softmax along the last axis, shifted by the row maximum so large inputs cannot overflow.
    static func softmax(_ x: Tensor) throws -> Tensor {
        if x.rank == 0 { return Tensor(scalar: x.scalars[0].isNaN ? .nan : 1) }
        let width = x.shape[x.rank - 1]
        var out = x
        guard width > 0 else { return out }
        out.scalars.withUnsafeMutableBufferPointer { p in
            for start in stride(from: 0, to: p.count, by: width) {
                var top = -Float.infinity
                for j in start..<start + width { top = Swift.max(top, p[j]) }
                var total: Float = 0
                for j in start..<start + width {
                    p[j] = Foundation.exp(p[j] - top)
                    total += p[j]
                }
                for j in start..<start + width { p[j] /= total }
            }
        }
        return out
    }

    // MARK: local derivatives

    /// ∂vᵢ/∂(operand `position`) of an element-wise node, as a tensor that broadcasts to
    /// the node's shape.
    static func elementwisePartial(_ node: TapeNode, _ operands: [Tensor], position: Int) -> Tensor {
        let y = node.value
        let shape = y.shape
        var out = Tensor(zeros: [])
        func zip(_ f: (Float, Float) -> Float) -> Tensor {
            Tensor.combine(operands[0], operands[1], into: &out, shape: shape, f)
            return out
        }
        switch node.operation {
        case .unary(let op):
            Tensor.combine(operands[0], y, into: &out, shape: shape) { op.derivative(input: $0, output: $1) }
            return out
        case .binary(let op):
            let first = position == 0
            switch op {
            case .add: return Tensor(scalar: 1)
            case .subtract: return Tensor(scalar: first ? 1 : -1)
            case .multiply: return operands[first ? 1 : 0]
            case .divide:
                return first ? zip { _, b in 1 / b } : zip { a, b in -a / (b * b) }
            case .power:
                if first { return zip { a, b in b == 0 ? 0 : b * Foundation.pow(a, b - 1) } }
                // y·log a; at a = 0 the limit of aᵇ·log a is 0 for b > 0.
                return zip { a, b in
                    if a == 0 { return b > 0 ? 0 : .nan }
                    return Foundation.pow(a, b) * Foundation.log(a)
                }
            case .modulo:
                return first ? Tensor(scalar: 1) : zip { a, b in -(a / b).rounded(.down) }
            case .minimum:
                return zip { a, b in (a <= b) == first ? 1 : 0 }
            case .maximum:
                return zip { a, b in (a >= b) == first ? 1 : 0 }
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                return Tensor(scalar: 0)
            }
        default:
            return Tensor(scalar: 0)
        }
    }

    /// The adjoint contribution v̄ᵢ · ∂vᵢ/∂vⱼ for operand `position` of `node`, in the operand's shape.
    static func adjointContribution(_ node: TapeNode, _ operands: [Tensor], adjoint: Tensor,
                                    position: Int) throws -> Tensor {
        let x = operands[position]
        switch node.operation {
        case .variable, .constant:
            return Tensor(zeros: x.shape)
        case .unary, .binary:
            let partial = elementwisePartial(node, operands, position: position)
            return try (adjoint * partial).reduced(toShape: x.shape)
        case .sum:
            return Tensor(repeating: adjoint.scalars[0], shape: x.shape)
        case .mean:
            return Tensor(repeating: adjoint.scalars[0] / Float(x.count), shape: x.shape)
        case .maxElement, .minElement:
            var out = Tensor(zeros: x.shape)
            out.scalars[try extremeIndex(node, x)] = adjoint.scalars[0]
            return out
        case .matmul:
            let (left, right, ybar) = promoted(operands[0], operands[1], adjoint)
            let result = position == 0
                ? try matmul(ybar, try right.transposed())
                : try matmul(try left.transposed(), ybar)
            return result.reshaped(x.shape)
        case .softmax:
            return try softmaxProduct(node.value, adjoint)
        case .transpose:
            return try adjoint.transposed()
        case .join(let axis, let stacked):
            // Each operand gets back its own piece of the joined adjoint.
            let sizes = operands.map { stacked ? 1 : $0.shape[axis] }
            return try adjoint.split(sizes: sizes, axis: axis)[position].reshaped(x.shape)
        }
    }

    /// The tangent v̇ᵢ of `node` from its operands' tangents (nil where the tangent is zero).
    static func tangent(_ node: TapeNode, _ operands: [Tensor], tangents: [Tensor?]) throws -> Tensor {
        let zero = Tensor(zeros: node.value.shape)
        switch node.operation {
        case .variable, .constant:
            return zero
        case .unary, .binary:
            var total = zero
            for (position, t) in tangents.enumerated() {
                guard let t else { continue }
                let partial = elementwisePartial(node, operands, position: position)
                total = try total + (partial * t)
            }
            return total
        case .sum:
            return tangents[0].map { $0.sum() } ?? zero
        case .mean:
            return tangents[0].map { $0.mean() } ?? zero
        case .maxElement, .minElement:
            guard let t = tangents[0] else { return zero }
            return Tensor(scalar: t.scalars[try extremeIndex(node, operands[0])])
        case .matmul:
            var total = zero
            if let ta = tangents[0] { total = try total + (try matmul(ta, operands[1])) }
            if let tb = tangents[1] { total = try total + (try matmul(operands[0], tb)) }
            return total
        case .softmax:
            return try tangents[0].map { try softmaxProduct(node.value, $0) } ?? zero
        case .transpose:
            return try tangents[0].map { try $0.transposed() } ?? zero
        case .join(let axis, let stacked):
            let parts = operands.indices.map { tangents[$0] ?? Tensor(zeros: operands[$0].shape) }
            return stacked ? try Tensor.stack(parts, axis: axis) : try Tensor.concatenate(parts, axis: axis)
        }
    }

    /// Where the largest (or smallest) element of `x` sits: the one element the result moves with.
    private static func extremeIndex(_ node: TapeNode, _ x: Tensor) throws -> Int {
        let index = node.operation == .maxElement ? try x.argmax() : try (-x).argmax()
        return Int(index.scalars[0])
    }

    /// y ⊙ (g − Σ(g ⊙ y)) along the last axis: softmax's Jacobian (symmetric) applied to g.
    private static func softmaxProduct(_ y: Tensor, _ g: Tensor) throws -> Tensor {
        if y.rank == 0 { return Tensor(scalar: 0) }
        let weighted = try (g * y).sum(axis: -1, keepDims: true)
        return try (try g - weighted) * y
    }

    /// Operands and adjoint of a matrix product viewed as matrices.
    private static func promoted(_ a: Tensor, _ b: Tensor, _ ybar: Tensor) -> (Tensor, Tensor, Tensor) {
        let left = a.rank == 1 ? a.reshaped([1, a.count]) : a
        let right = b.rank == 1 ? b.reshaped([b.count, 1]) : b
        return (left, right, ybar.reshaped([left.shape[0], right.shape[1]]))
    }
}
