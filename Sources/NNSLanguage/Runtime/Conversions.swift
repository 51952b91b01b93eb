import NNEngine

/// Converting values to what builtins and operators compute on. Each returns nil when the
/// value is of another kind, and throws when it is of the right kind but malformed (a ragged
/// list), so callers can say which parameter was wrong.
extension Value {
    /// A number, a bool as 0/1, a tensor/parameter, or a (nested) list of numbers as a tensor.
    public func asTensor() throws -> Tensor? {
        switch self {
        case .tensor(let t): return t
        case .parameter(let p): return p.value
        case .traced(let t): return t.value
        case .number(let x): return Tensor(scalar: Float(x))
        case .list(let list): return try Value.tensor(fromList: list.items)
        case .bool(let b): return Tensor(scalar: b ? 1 : 0)
        case .object(let range as RangeValue):
            guard let n = range.length else { return nil }
            try TensorLimits.checkAllocation(elements: n)
            return Tensor((0..<n).map { Float(range.start + Double($0) * range.step) })
        default: return nil
        }
    }

    /// A number, or a one-element tensor's element.
    public var asNumber: Double? {
        switch self {
        case .number(let x): return x
        case .tensor(let t): return t.count == 1 ? Double(t.scalars[0]) : nil
        case .parameter(let p): return p.value.count == 1 ? Double(p.value.scalars[0]) : nil
        case .traced(let t): return t.value.count == 1 ? Double(t.value.scalars[0]) : nil
        default: return nil
        }
    }

    /// A layer or network as a network (a layer is a one-layer network sharing that layer).
    public func asNetwork() throws -> Network? {
        switch self {
        case .network(let n): return n
        case .layer(let layer): return try Network([layer])
        case .function(let f):
            if let make = f.bareLayer { return try Network([make()]) }
            return nil
        default: return nil
        }
    }

    /// The layers a layer, bare layer name or network stands for in a pipeline.
    public func asLayers() throws -> [Layer]? {
        switch self {
        case .network(let n): return n.layers
        case .layer(let layer): return [layer]
        case .function(let f):
            if let make = f.bareLayer { return [try make()] }
            return nil
        default: return nil
        }
    }

    /// A tensor from nested lists of numbers: `[[1, 2], [3, 4]]` → `tensor[2×2]`. Tensors
    /// inside the list count as the nested lists they print as, so `[t1, t2]` stacks them.
    static func tensor(fromList items: [Value]) throws -> Tensor {
        var builder = NestedListReader()
        try builder.read(items, depth: 0)
        // An empty list is a tensor with no elements.
        if builder.leafDepth == nil { return Tensor(shape: builder.shape, scalars: []) }
        return Tensor(shape: builder.shape, scalars: builder.scalars)
    }
}

/// Reads nested lists into a shape and row-major elements, rejecting ragged lists.
private struct NestedListReader {
    var shape: [Int] = []
    var scalars: [Float] = []
    /// The depth of the lists that hold numbers, once one number was seen.
    var leafDepth: Int? = nil

    mutating func read(_ items: [Value], depth: Int) throws {
        guard depth < 32 else { throw BuiltinError("a list nested more than 32 deep cannot be a tensor") }
        try extent(items.count, at: depth)
        for item in items {
            switch item {
            case .number(let x):
                try leaves(at: depth)
                scalars.append(Float(x))
            case .bool(let b):
                try leaves(at: depth)
                scalars.append(b ? 1 : 0)
            case .list(let inner):
                if let leafDepth, leafDepth <= depth { throw Self.mixed() }
                try read(inner.items, depth: depth + 1)
            case .tensor, .parameter:
                let t = item.tensorValue!
                for (axis, n) in t.shape.enumerated() { try extent(n, at: depth + 1 + axis) }
                try leaves(at: depth + t.rank)
                scalars += t.scalars
            default:
                throw BuiltinError("a list with a \(item.kindName) in it cannot be a tensor",
                                   hint: "tensors hold numbers only")
            }
        }
    }

    private mutating func extent(_ n: Int, at depth: Int) throws {
        if depth == shape.count {
            shape.append(n)
        } else if depth < shape.count, shape[depth] != n {
            throw BuiltinError("a ragged list cannot be a tensor: a row has \(n) elements where another has \(shape[depth])",
                               hint: "every row must have the same length")
        } else if depth > shape.count {
            throw Self.mixed()
        }
    }

    private mutating func leaves(at depth: Int) throws {
        if let leafDepth, leafDepth != depth { throw Self.mixed() }
        if depth != shape.count - 1 { throw Self.mixed() }
        leafDepth = depth
    }

    private static func mixed() -> BuiltinError {
        BuiltinError("a list mixing numbers and lists at one level cannot be a tensor",
                     hint: "every row must have the same nesting")
    }
}

/// Shapes as users read them: `[2×3]`.
enum ShapeText {
    static func format(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: "×") + "]"
    }
}

/// Element counts without overflow.
enum TensorShapeCheck {
    /// How many innermost lists nested lists of this shape have (every extent but the last
    /// multiplied), saturating at Int.max: a `[1e15, 0]` tensor holds nothing but is 1e15 lists.
    static func sublistCount(_ shape: [Int]) -> Int {
        var n = 1
        for extent in shape.dropLast() {
            let (product, overflow) = n.multipliedReportingOverflow(by: extent)
            if overflow { return Int.max }
            n = product
        }
        return n
    }

    /// Rejects shapes whose extents, zeros aside, multiply past the element limit: a
    /// `[1e15, 0]` tensor holds nothing, but every row-wise operation on it would loop 1e15
    /// times or allocate for 1e15 results.
    static func checkExtents(_ shape: [Int]) throws {
        var n = 1
        for extent in shape where extent > 0 {
            let (product, overflow) = n.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= TensorLimits.maximumElements else {
                throw EngineError("the shape \(ShapeText.format(shape)) has sizes too large to work with, even holding no elements",
                                  hint: "use sizes whose product (zeros aside) is at most \(TensorLimits.formatCount(Double(TensorLimits.maximumElements)))")
            }
            n = product
        }
    }

    /// The product of the extents, or -1 when it overflows.
    static func elementCount(_ shape: [Int]) -> Int {
        var n = 1
        for extent in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: extent)
            if overflow { return -1 }
            n = product
        }
        return n
    }
}
