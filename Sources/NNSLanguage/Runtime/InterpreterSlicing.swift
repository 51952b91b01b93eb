import NNEngine

/// One item inside `[...]` once any item is a slice: a single position, or `start:stop:step`
/// with `.none` for a part left out.
enum IndexItem {
    case position(Value)
    case slice(start: Value, stop: Value, step: Value, range: SourceRange)
}

/// Slicing (docs/language.md, "Scripting essentials") with Python's semantics: `a[i:j]`, `a[:j]`, `a[i:]`, `a[i:j:k]` on
/// lists, strings, networks (their layers) and ranges; tensors per axis (`t[0:2, 1:]`, `t[:, 0]`
/// — an integer drops its axis). Inside `grad`/`trace`/`graph` a slice of a vector or matrix
/// is recorded as products with constant 0/1 selection matrices (S @ x @ C), so derivatives
/// flow back to exactly the elements picked.
extension Interpreter {
    func sliceItems(_ exprs: [Expr], in environment: Environment) throws -> [IndexItem] {
        try exprs.map { expr in
            guard case .slice(let start, let stop, let step) = expr.kind else {
                return .position(try evaluate(expr, in: environment))
            }
            func part(_ e: Expr?) throws -> Value { try e.map { try evaluate($0, in: environment) } ?? .none }
            return .slice(start: try part(start), stop: try part(stop), step: try part(step), range: expr.range)
        }
    }

    func slice(_ container: Value, _ items: [IndexItem], at range: SourceRange) throws -> Value {
        switch container {
        case .list(let list):
            let items0 = list.items
            return .list(try slicePositions(items, count: items0.count, kind: "list", at: range).map { items0[$0] })
        case .string(let s):
            let characters = Array(s)
            return .string(String(try slicePositions(items, count: characters.count, kind: "string", at: range).map { characters[$0] }))
        case .network(let network):
            let picked = try slicePositions(items, count: network.layers.count, kind: "network", at: range)
            guard !picked.isEmpty else {
                throw error("the slice selects no layers", at: range, hint: "a network needs at least one layer")
            }
            do { return .network(try Network(picked.map { network.layers[$0] })) } catch { throw located(error, at: range) }
        case .object(let r as RangeValue):
            let picked = try slicePositions(items, count: r.length ?? 0, kind: "range", at: range)
            try located(CollectionLimits.check(picked.count, "list"), at: range)
            return .list(picked.map { .number(r.start + Double($0) * r.step) })
        case .tensor, .parameter:
            return try sliceTensor(container.tensorValue!, items, at: range)
        case .traced(let t):
            return try sliceTraced(t, items, at: range)
        default:
            throw error("a \(container.kindName) cannot be sliced", at: range,
                        hint: "lists, strings, tensors, networks and ranges can be sliced")
        }
    }

    private func located(_ body: @autoclosure () throws -> Void, at range: SourceRange) throws {
        do { try body() } catch { throw located(error, at: range) }
    }

    /// The positions one slice picks from a sequence of `count` (lists, strings...).
    private func slicePositions(_ items: [IndexItem], count: Int, kind: String, at range: SourceRange) throws -> [Int] {
        guard items.count == 1, case .slice(let start, let stop, let step, let sliceRange) = items[0] else {
            throw error("a \(kind) takes one index or slice, got \(items.count)", at: range)
        }
        return try pythonSlice(count: count, start: start, stop: stop, step: step, at: sliceRange)
    }

    /// Python's `slice.indices`: negative bounds count from the end, out-of-range bounds
    /// clamp, a negative step walks backwards.
    func pythonSlice(count n: Int, start: Value, stop: Value, step: Value, at range: SourceRange) throws -> [Int] {
        let stride = try sliceBound(step, "step", at: range) ?? 1
        guard stride != 0 else {
            throw error("a slice step cannot be 0", at: range, hint: "use 1 for every element, -1 to go backwards")
        }
        let (lower, upper) = stride < 0 ? (-1, n - 1) : (0, n)
        func resolve(_ value: Value, _ what: String, default fallback: Int) throws -> Int {
            guard let x = try sliceBound(value, what, at: range) else { return fallback }
            return x < 0 ? max(x + n, lower) : min(x, upper)
        }
        var i = try resolve(start, "start", default: stride < 0 ? upper : lower)
        let end = try resolve(stop, "stop", default: stride < 0 ? lower : upper)
        var picked: [Int] = []
        while stride > 0 ? i < end : i > end {
            picked.append(i)
            i += stride
        }
        return picked
    }

    /// A slice bound: nil when left out (or `none`); whole numbers only, huge ones clamped.
    private func sliceBound(_ value: Value, _ what: String, at range: SourceRange) throws -> Int? {
        if value.isNone { return nil }
        let number: Double? = { if case .bool = value { return nil }; return value.asNumber }()
        guard let x = number, !x.isNaN, x == x.rounded() else {
            throw error("a slice \(what) must be a whole number, got \(BuiltinArguments.describe(value))", at: range)
        }
        return Int(max(-4e18, min(4e18, x)))
    }

    /// Per axis, the positions picked and whether the axis stays (a slice) or goes (an index).
    private func axisPicks(_ items: [IndexItem], shape: [Int], at range: SourceRange) throws -> [(positions: [Int], keeps: Bool)] {
        guard items.count <= shape.count else {
            throw error("a tensor of shape \(ShapeText.format(shape)) takes at most \(shape.count) indices, got \(items.count)", at: range)
        }
        return try shape.indices.map { axis in
            guard axis < items.count else { return (Array(0..<shape[axis]), true) }
            switch items[axis] {
            case .position(let value):
                let i = try wholeIndex(value, count: shape[axis], kind: "tensor", at: range,
                                       place: "axis \(axis) of a tensor of shape \(ShapeText.format(shape))")
                return ([i], false)
            case .slice(let start, let stop, let step, let sliceRange):
                return (try pythonSlice(count: shape[axis], start: start, stop: stop, step: step, at: sliceRange), true)
            }
        }
    }

    private func sliceTensor(_ t: Tensor, _ items: [IndexItem], at range: SourceRange) throws -> Value {
        let picks = try axisPicks(items, shape: t.shape, at: range)
        var strides = Array(repeating: 1, count: t.rank)
        for axis in stride(from: t.rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * t.shape[axis + 1] }
        var scalars: [Float] = []
        scalars.reserveCapacity(picks.reduce(1) { $0 * $1.positions.count })
        let source = t.scalars
        func walk(_ axis: Int, _ offset: Int) {
            if axis == picks.count { scalars.append(source[offset]); return }
            for i in picks[axis].positions { walk(axis + 1, offset + i * strides[axis]) }
        }
        walk(0, 0)
        let shape = picks.filter(\.keeps).map(\.positions.count)
        return Value.fromTensorElement(Tensor(shape: shape, scalars: scalars))
    }

    /// A slice of a traced vector or matrix: S @ x (rows) and x @ C (columns) with constant
    /// selection matrices; a row or column picked by an integer is a one-hot vector instead.
    func sliceTraced(_ x: Traced, _ items: [IndexItem], at range: SourceRange) throws -> Value {
        let shape = x.value.shape
        guard shape.count == 1 || shape.count == 2 else {
            throw error("indexing a differentiated tensor of rank \(shape.count) is not supported", at: range,
                        hint: "index and slice vectors and matrices inside grad, trace and graph")
        }
        let picks = try axisPicks(items, shape: shape, at: range)
        if picks.contains(where: { $0.keeps && $0.positions.isEmpty }) {
            throw error("an empty slice of a differentiated tensor is not supported", at: range)
        }
        do {
            var result = x
            let rows = picks[0]
            if !(rows.keeps && rows.positions == Array(0..<shape[0])) {
                result = try x.constant(Self.selection(rows.positions, from: shape[0], keeps: rows.keeps, columns: false)).matmul(result)
            }
            if shape.count == 2 {
                let columns = picks[1]
                if !(columns.keeps && columns.positions == Array(0..<shape[1])) {
                    result = try result.matmul(x.constant(Self.selection(columns.positions, from: shape[1], keeps: columns.keeps, columns: true)))
                }
            }
            return .traced(result)
        } catch {
            throw located(error, at: range)
        }
    }

    /// The 0/1 matrix picking `positions` out of `n` rows (k×n) or columns (n×k); a one-hot
    /// vector of length n when the axis is dropped.
    private static func selection(_ positions: [Int], from n: Int, keeps: Bool, columns: Bool) -> Tensor {
        guard keeps else {
            var e = Tensor(zeros: [n])
            e.scalars[positions[0]] = 1
            return e
        }
        let k = positions.count
        var s = Tensor(zeros: columns ? [n, k] : [k, n])
        for (r, p) in positions.enumerated() {
            s.scalars[columns ? p * k + r : r * n + p] = 1
        }
        return s
    }
}
