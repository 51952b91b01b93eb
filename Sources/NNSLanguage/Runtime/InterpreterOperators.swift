import Foundation
import NNEngine

/// Arithmetic, comparison and `@` on numbers, strings, lists and (element-wise, with NumPy
/// broadcasting) tensors. Numbers follow IEEE 754 as NumPy does: `1 / 0` is `inf`, `0 / 0`
/// is `nan`, never an error.
extension Interpreter {
    func unary(_ op: UnaryOperator, _ value: Value, at range: SourceRange) throws -> Value {
        switch op {
        case .not:
            return .bool(!(try truth(value, at: range)))
        case .negate:
            switch value {
            case .number(let x): return .number(-x)
            case .traced(let t): return .traced(-t)
            default:
                if let t = value.tensorValue { return .tensor(t.applying(.negate)) }
                if case .list = value, let t = try? value.asTensor() { return .tensor(t.applying(.negate)) }
                throw error("cannot negate a \(value.kindName)", at: range)
            }
        }
    }

    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value {
        if op == .in || op == .notIn {
            let found = try contains(b, a, at: range)
            return .bool(op == .in ? found : !found)
        }
        if case .traced(let t) = a { return try tracedOperation(op, t, a, b, at: range) }
        if case .traced(let t) = b { return try tracedOperation(op, t, a, b, at: range) }
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return numberOperation(op, x, y)
        case (.string(let x), .string(let y)):
            if op == .add {
                do { try CollectionLimits.check(x.utf8.count + y.utf8.count, "string") } catch { throw located(error, at: range) }
                return .string(x + y)
            }
            if let result = op.compare(x, y) { return .bool(result) }
        case (.list(let x), .list(let y)) where op == .add:
            do { try CollectionLimits.check(x.items.count + y.items.count, "list") } catch { throw located(error, at: range) }
            return .list(x.items + y.items)
        case (.list, .list) where [.subtract, .multiply, .divide, .remainder, .power, .matmul].contains(op):
            // Python's lists are not vectors; only `+` (joining) is defined between two.
            throw error("cannot apply `\(op.rawValue)` to two lists", at: range,
                        hint: "for element-wise arithmetic make them tensors: tensor(a) \(op.rawValue) tensor(b); `+` joins lists")
        default:
            break
        }
        if op == .equal || op == .notEqual, a.tensorValue == nil, b.tensorValue == nil {
            // Equality between other kinds is structural (lists, records) or by identity
            // (layers, networks); values of different kinds are simply unequal.
            let same = Value.equal(a, b)
            return .bool(op == .equal ? same : !same)
        }
        if isNumeric(a), isNumeric(b) {
            return try tensorOperation(op, a, b, at: range)
        }
        throw error("cannot apply `\(op.rawValue)` to a \(a.kindName) and a \(b.kindName)", at: range,
                    hint: op == .add && (a.kindName == "string" || b.kindName == "string")
                        ? "turn the number into text first, e.g. \"loss: \" + str(x)" : nil)
    }

    /// An operation with a traced operand: recorded on its tape so `grad` can differentiate it.
    private func tracedOperation(_ op: BinaryOperator, _ traced: Traced, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value {
        do {
            let x = try Value.traced(a, on: traced.tape)
            let y = try Value.traced(b, on: traced.tape)
            if op == .matmul { return .traced(try x.matmul(y)) }
            // `and`/`or` short-circuit before they get here.
            guard let engineOp = op.elementwise else { return .bool(false) }
            return .traced(try x.combined(engineOp, y))
        } catch {
            throw located(error, at: range)
        }
    }

    private func isNumeric(_ value: Value) -> Bool {
        switch value {
        case .number, .tensor, .parameter, .list, .bool: return true
        default: return false
        }
    }

    private func numberOperation(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Value {
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        case .divide: return .number(x / y)
        case .remainder:
            // Python's %: the result has the divisor's sign (-7 % 3 == 2).
            let r = fmod(x, y)
            return .number(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .power: return .number(Foundation.pow(x, y))
        case .matmul: return .number(x * y)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return .bool(op.compare(x, y) ?? false)
        case .and, .or, .in, .notIn: return .bool(false)  // handled before reaching here
        }
    }

    /// Tensor arithmetic through the engine; numbers, bools and lists of numbers convert.
    private func tensorOperation(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value {
        let x: Tensor, y: Tensor
        do {
            x = try toTensor(a)
            y = try toTensor(b)
        } catch {
            throw located(error, at: range)
        }
        do {
            if op == .matmul {
                // The product's size, checked before the engine allocates it.
                if x.rank == 2, y.rank == 2, x.shape[1] == y.shape[0] {
                    let (n, overflow) = x.shape[0].multipliedReportingOverflow(by: y.shape[1])
                    try TensorLimits.checkAllocation(elements: overflow ? Int.max : n)
                }
                return Value.fromTensorElement(try x.matmul(y))
            }
            guard let engineOp = op.elementwise else { throw error("cannot apply `\(op.rawValue)` to tensors", at: range) }
            try TensorLimits.checkAllocation(elements: max(0, TensorShapeCheck.elementCount(try Broadcasting.shape(x.shape, y.shape))))
            return .tensor(try x.applying(engineOp, y))
        } catch {
            throw located(error, at: range)
        }
    }

    private func toTensor(_ value: Value) throws -> Tensor {
        if case .bool(let b) = value { return Tensor(scalar: b ? 1 : 0) }
        guard let t = try value.asTensor() else { throw BuiltinError("a \(value.kindName) is not a tensor") }
        return t
    }
}

extension Value {
    /// Structural equality for `==` on non-tensor values. Cycle-safe: a pair of containers
    /// already met counts as equal there (two lists that each contain themselves compare
    /// equal when their other items do). Pairs stay in the set once met: any difference makes
    /// the whole answer false, so a pair met again is either being compared or proven equal,
    /// which keeps shared sub-lists from being compared exponentially often. Nesting beyond
    /// the print depth compares by identity, keeping the stack safe.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        var comparing: Set<ContainerPair> = []
        return equal(a, b, &comparing, depth: 0)
    }

    private struct ContainerPair: Hashable { var a: ObjectIdentifier, b: ObjectIdentifier }

    private static func equal(_ a: Value, _ b: Value, _ comparing: inout Set<ContainerPair>, depth: Int) -> Bool {
        if depth > maximumPrintDepth {
            if case .list(let x) = a, case .list(let y) = b { return x === y }
            if case .record(let x) = a, case .record(let y) = b { return x === y }
        }
        switch (a, b) {
        case (.list(let x), .list(let y)):
            if x === y { return true }
            let pair = ContainerPair(a: ObjectIdentifier(x), b: ObjectIdentifier(y))
            guard comparing.insert(pair).inserted else { return true }
            return x.items.count == y.items.count
                && zip(x.items, y.items).allSatisfy { equal($0, $1, &comparing, depth: depth + 1) }
        case (.record(let x), .record(let y)):
            if x === y { return true }
            let pair = ContainerPair(a: ObjectIdentifier(x), b: ObjectIdentifier(y))
            guard comparing.insert(pair).inserted else { return true }
            return x.fields.count == y.fields.count
                && zip(x.fields, y.fields).allSatisfy { $0.name == $1.name && equal($0.value, $1.value, &comparing, depth: depth + 1) }
        default:
            return scalarEqual(a, b)
        }
    }

    private static func scalarEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.tensor, _), (.parameter, _):
            guard let x = a.tensorValue, let y = b.tensorValue else { return false }
            return x == y
        case (.layer(let x), .layer(let y)): return x === y
        case (.network(let x), .network(let y)): return x === y
        case (.function(let x), .function(let y)):
            if case .builtin(let p) = x.implementation, case .builtin(let q) = y.implementation { return p.name == q.name }
            return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.traced, _), (_, .traced):
            guard let x = a.tensorValue, let y = b.tensorValue else { return false }
            return x == y
        default: return false
        }
    }
}

extension BinaryOperator {
    /// The engine's element-wise operation for this operator; `nil` for `@`, `and` and `or`.
    var elementwise: BinaryOp? {
        switch self {
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .remainder: return .modulo
        case .power: return .power
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .matmul, .and, .or, .in, .notIn: return nil
        }
    }
}

extension BinaryOperator {
    /// The comparison this operator makes of `x` and `y`; `nil` when it is not a comparison.
    func compare<T: Comparable>(_ x: T, _ y: T) -> Bool? {
        switch self {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessEqual: return x <= y
        case .greater: return x > y
        case .greaterEqual: return x >= y
        default: return nil
        }
    }
}
