import NNEngine

/// tensor zeros ones rand randn shape argmax transpose reshape: making and reshaping tensors.
enum TensorBuiltins {
    static let list: [Builtin] = [
        Builtin("tensor", family: "tensors", [.required("data")],
                help: "a tensor from a number or (nested) list of numbers: tensor([[1, 2], [3, 4]])") { args in
            .tensor(try args.tensor("data"))
        },
        filled("zeros", 0, help: "a tensor of zeros: zeros([2, 3]) or zeros(5)"),
        filled("ones", 1, help: "a tensor of ones: ones([2, 3]) or ones(5)"),
        Builtin("rand", family: "tensors", [.required("shape")],
                help: "uniform random numbers in [0, 1) of the given shape (seed(n) fixes them)") { args in
            let shape = try checkedShape(args, "shape")
            return .tensor(Tensor(shape: shape, scalars: args.interpreter.random.uniforms(count: shape.reduce(1, *), low: 0, high: 1)))
        },
        Builtin("randn", family: "tensors", [.required("shape")],
                help: "standard normal random numbers of the given shape (seed(n) fixes them)") { args in
            let shape = try checkedShape(args, "shape")
            return .tensor(Tensor(shape: shape, scalars: args.interpreter.random.normals(count: shape.reduce(1, *))))
        },
        Builtin("shape", family: "tensors", [.required("x")], help: "the shape of a tensor as a list, e.g. [2, 3]") { args in
            .list(try args.tensor("x").shape.map { Value.number(Double($0)) })
        },
        Builtin("argmax", family: "tensors", [.required("x"), .optional("axis")],
                help: "the index of the largest element (per row with axis: 1, or -1 for the last axis)") { args in
            let t = try args.tensor("x")
            guard t.count > 0 else { throw args.error("x", "cannot take the argmax of an empty tensor") }
            let axis = try args.optionalWholeNumber("axis", minimum: -t.rank)
            return Value.fromTensorElement(try t.argmax(axis: axis))
        },
        Builtin("transpose", family: "tensors", [.required("x")], help: "a matrix's transpose (x.T does the same)") { args in
            if case .traced(let t) = args["x"] { return .traced(try t.transposed()) }
            return .tensor(try args.tensor("x").transposed())
        },
        Builtin("reshape", family: "tensors", [.required("x"), .required("shape"), .optional("w")],
                help: "the same elements under a new shape with the same count; one size may be -1; reshape(c, h, w) is the layer making rows [c, h, w] images") { args in
            if case .number = args["x"], case .number = args["shape"] { return try ConvolutionBuiltins.reshapeLayer(args) }
            let t = try args.tensor("x")
            var dims = try shapeNumbers(args, "shape")
            if let unknown = dims.firstIndex(of: -1), dims.filter({ $0 == -1 }).count == 1 {
                let known = dims.enumerated().filter { $0.offset != unknown }.reduce(1.0) { $0 * $1.element }
                guard known > 0, Double(t.count).truncatingRemainder(dividingBy: known) == 0 else {
                    throw args.error("shape", "cannot reshape \(t.count) elements to \(ShapeText.format(dims.map { Int($0) }))")
                }
                dims[unknown] = Double(t.count) / known
            }
            let shape = try TensorLimits.checkedShape(dims)
            try TensorShapeCheck.checkExtents(shape)
            guard shape.reduce(1, *) == t.count else {
                throw args.error("shape", "cannot reshape a tensor of shape \(ShapeText.format(t.shape)) (\(t.count) elements) to \(ShapeText.format(shape))",
                                 hint: "the new shape must hold the same number of elements")
            }
            return .tensor(t.reshaped(shape))
        },
    ]

    static func filled(_ name: String, _ value: Float, help: String) -> Builtin {
        Builtin(name, family: "tensors", [.required("shape")], help: help) { args in
            .tensor(Tensor(repeating: value, shape: try checkedShape(args, "shape")))
        }
    }

    /// A shape argument: a number or a list of numbers, checked for whole, non-negative
    /// sizes that fit in memory.
    static func checkedShape(_ args: BuiltinArguments, _ name: String) throws -> [Int] {
        let dims = try shapeNumbers(args, name)
        do {
            let shape = try TensorLimits.checkedShape(dims)
            try TensorShapeCheck.checkExtents(shape)
            return shape
        } catch let e as EngineError {
            throw args.error(name, e.message, hint: e.hint)
        }
    }

    static func shapeNumbers(_ args: BuiltinArguments, _ name: String) throws -> [Double] {
        switch args[name] {
        case .number(let n): return [n]
        case .list(let l):
            return try l.items.map { item in
                guard case .number(let n) = item else { throw args.error(name, mustBe: "a list of sizes such as [2, 3]") }
                return n
            }
        default:
            throw args.error(name, mustBe: "a size or a list of sizes such as [2, 3]")
        }
    }
}
