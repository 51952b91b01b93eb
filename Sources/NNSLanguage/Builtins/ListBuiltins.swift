import NNEngine

/// map filter sort reversed zip enumerate keys values any all (docs/language.md, "Library functions"), with Python's
/// semantics except that each returns a list rather than an iterator. The functions they
/// call may be user functions, builtins or layers: anything `f(x)` can call.
enum ListBuiltins {
    static let list: [Builtin] = [
        Builtin("map", family: "lists", [.required("f"), .required("xs")],
                help: "[f(x) for each x in xs], as a list (xs: a list, string, range, tensor's rows, dataset)") { args in
            let f = try args.function("f")
            return .list(try items(args, "xs").map { try args.interpreter.callValue(f, [$0]) })
        },
        Builtin("filter", family: "lists", [.required("f"), .required("xs")],
                help: "the elements x of xs for which f(x) is true, as a list (f: none keeps the true ones)") { args in
            let f: Value? = args["f"].isNone ? nil : try args.function("f")
            let interpreter = args.interpreter
            return .list(try items(args, "xs").filter { x in
                try interpreter.truth(try f.map { try interpreter.callValue($0, [x]) } ?? x, at: interpreter.callSiteRange)
            })
        },
        Builtin("sort", family: "lists", [.required("xs"), .optional("key"), .optional("reverse", .bool(false))],
                help: "a sorted copy of xs (stable, as Python's sorted): numbers or strings, by key(x) when given") { args in
            try sorted(args)
        },
        Builtin("reversed", family: "lists", [.required("xs")],
                help: "xs back to front: a list (a string stays a string)") { args in
            if case .string(let s) = args["xs"] { return .string(String(s.reversed())) }
            return .list(try items(args, "xs").reversed())
        },
        Builtin("zip", family: "lists", [.variadic("lists")],
                help: "zip(a, b, ...): [[a[0], b[0], ...], [a[1], b[1], ...], ...], as long as the shortest") { args in
            var columns: [[Value]] = []
            for (k, value) in args.rest.enumerated() {
                guard let column = try? sequence(value, interpreter: args.interpreter) else {
                    throw BuiltinError("zip: argument \(k + 1) must be a list, string, range, tensor or dataset, got \(BuiltinArguments.describe(value))",
                                       hint: "zip pairs up the elements of sequences")
                }
                columns.append(column)
            }
            let count = columns.map(\.count).min() ?? 0
            return .list((0..<count).map { i in Value.list(columns.map { $0[i] }) })
        },
        Builtin("enumerate", family: "lists", [.required("xs"), .optional("start", .number(0))],
                help: "[[0, xs[0]], [1, xs[1]], ...] (numbering from `start:`), for `for pair in enumerate(xs)`") { args in
            let start = try args.number("start")
            guard start == start.rounded(), start.isFinite else { throw args.error("start", mustBe: "a whole number") }
            return .list(try items(args, "xs").enumerated().map { .list([.number(start + Double($0.offset)), $0.element]) })
        },
        Builtin("keys", family: "lists", [.required("r")], help: "the field names of a record, in order, as a list of strings") { args in
            .list(try record(args).fields.map { .string($0.name) })
        },
        Builtin("values", family: "lists", [.required("r")], help: "the field values of a record, in order, as a list") { args in
            .list(try record(args).fields.map(\.value))
        },
        Builtin("any", family: "lists", [.required("xs")], help: "true when some element of xs is true (false for an empty list)") { args in
            let interpreter = args.interpreter
            return .bool(try items(args, "xs").contains { try interpreter.truth($0, at: interpreter.callSiteRange) })
        },
        Builtin("all", family: "lists", [.required("xs")], help: "true when every element of xs is true (true for an empty list)") { args in
            let interpreter = args.interpreter
            return .bool(try items(args, "xs").allSatisfy { try interpreter.truth($0, at: interpreter.callSiteRange) })
        },
    ]

    /// The elements of the argument `name`, as `for x in xs` would visit them.
    static func items(_ args: BuiltinArguments, _ name: String) throws -> [Value] {
        guard let items = try sequence(args[name], interpreter: args.interpreter) else {
            throw args.error(name, mustBe: "a list, string, range, tensor or dataset",
                             hint: "\(args.builtin.name) works through the elements of a sequence")
        }
        return items
    }

    /// The elements of a sequence as a `for` loop visits them: list items, a string's
    /// characters, a range's numbers, a tensor's rows, a data set's examples, a record's
    /// field names. Nil for values that are not sequences.
    static func sequence(_ value: Value, interpreter: Interpreter) throws -> [Value]? {
        switch value {
        case .list(let l): return l.items
        case .string(let s): return s.map { .string(String($0)) }
        case .record(let r): return r.fields.map { .string($0.name) }
        case .tensor, .parameter:
            let t = value.tensorValue!
            guard t.rank >= 1 else { return nil }
            return try (0..<t.shape[0]).map { Value.fromTensorElement(try t.at([$0])) }
        case .object(let o):
            guard let n = o.length else { return nil }
            try CollectionLimits.check(n, "list")
            return try (0..<n).map { i in
                guard let item = try o.element(at: i) else { throw BuiltinError("cannot index a \(o.kindName)") }
                return item
            }
        default: return nil
        }
    }

    static func record(_ args: BuiltinArguments) throws -> RecordStorage {
        guard case .record(let r) = args["r"] else {
            throw args.error("r", mustBe: "a record such as {lr: 0.1, epochs: 5}")
        }
        return r
    }

    // MARK: sorting

    /// Python's `sorted(xs, key=f, reverse=r)`: stable in both directions (equal elements keep
    /// their order even when reversed); numbers with numbers, strings with strings, lists
    /// element by element; anything else cannot be ordered and is an error.
    static func sorted(_ args: BuiltinArguments) throws -> Value {
        let xs = try items(args, "xs")
        let key: Value? = args["key"].isNone ? nil : try args.function("key")
        let reverse = try args.bool("reverse")
        let keys = try key.map { f in try xs.map { try args.interpreter.callValue(f, [$0]) } } ?? xs
        let order = try keys.indices.sorted { i, j in
            let (a, b) = reverse ? (keys[j], keys[i]) : (keys[i], keys[j])
            if try less(a, b) { return true }
            if try less(b, a) { return false }
            return i < j
        }
        return .list(order.map { xs[$0] })
    }

    /// `a < b` for the kinds that have an order.
    static func less(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (.bool(let x), .bool(let y)): return !x && y
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x.items, y.items) {
                if try less(p, q) { return true }
                if try less(q, p) { return false }
            }
            return x.items.count < y.items.count
        default:
            if a.kindName == b.kindName, let x = a.asNumber, let y = b.asNumber { return x < y }
            throw BuiltinError("sort: cannot order a \(a.kindName) and a \(b.kindName)",
                               hint: a.kindName == b.kindName
                                   ? "numbers, strings and lists of them can be sorted; give key: to sort by a number"
                                   : "every element (or key) must be of one kind: all numbers or all strings")
        }
    }
}
