import NNEngine

/// print, len, range, type, str, json, append, seed: the builtins every script uses.
enum CoreBuiltins {
    static let list: [Builtin] = [
        Builtin("print", family: "core", [.variadic("values")],
                help: "print values separated by spaces (as JSON documents under --json)") { args in
            let interpreter = args.interpreter
            if interpreter.printsJSON {
                let encoder = JSONEncoderContext()
                for value in args.rest { interpreter.host.write(encoder.encode(value) + "\n") }
            } else {
                interpreter.host.write(args.rest.map(\.displayText).joined(separator: " ") + "\n")
            }
            return .none
        },
        Builtin("len", family: "core", [.required("v")],
                help: "the length of a list, string, record, network (layers), tensor (rows) or dataset") { args in
            let v = args["v"]
            switch v {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .record(let r): return .number(Double(r.fields.count))
            case .network(let n): return .number(Double(n.layers.count))
            case .tensor, .parameter:
                let t = v.tensorValue!
                guard t.rank > 0 else { throw args.error("v", "a 0-d tensor has no length", hint: "it holds one number") }
                return .number(Double(t.shape[0]))
            case .object(let o):
                if let n = o.length { return .number(Double(n)) }
            default: break
            }
            throw args.error("v", mustBe: "a list, string, record, network, tensor or dataset")
        },
        Builtin("range", family: "core", [.required("a"), .optional("b"), .optional("step", .number(1))],
                help: "range(n) counts 0…n−1; range(a, b) counts a…b−1; an optional step") { args in
            let a = try args.number("a")
            let (start, end) = args["b"].isNone ? (0, a) : (a, try args.number("b"))
            let step = try args.number("step")
            guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
                throw args.error("step", mustBe: "a finite number other than 0")
            }
            // Counts above 2⁵³ cannot be told apart in Float64; no loop would finish them anyway.
            guard (end - start) / step <= 9_007_199_254_740_992 else {
                throw BuiltinError("range: from \(NumberFormatting.format(start)) to \(NumberFormatting.format(end)) in steps of \(NumberFormatting.format(step)) is more than 2⁵³ numbers",
                                   hint: "use a smaller range")
            }
            return .object(RangeValue(start: start, end: end, step: step))
        },
        Builtin("type", family: "core", [.required("v")],
                help: "the kind of a value as a string: \"number\", \"tensor\", \"network\"…") { args in
            .string(args["v"].kindName)
        },
        Builtin("str", family: "core", [.required("v")], help: "a value as the text print would show") { args in
            .string(args["v"].displayText)
        },
        Builtin("json", family: "core", [.required("v")], help: "a value as JSON text (the form --json prints)") { args in
            .string(JSONEncoderContext().encode(args["v"]))
        },
        Builtin("append", family: "core", [.required("list"), .required("v")],
                help: "add v to the end of a list (in place); returns the list") { args in
            guard case .list(let storage) = args["list"] else { throw args.error("list", mustBe: "a list") }
            try CollectionLimits.check(storage.items.count + 1, "list")
            storage.items.append(args["v"])
            return args["list"]
        },
        Builtin("list", family: "core", [.required("v")],
                help: "a list of the elements of a range, string or dataset; a tensor as nested lists of numbers") { args in
            let v = args["v"]
            switch v {
            case .list(let l): return .list(l.items)
            case .string(let s): return .list(s.map { .string(String($0)) })
            case .object(let r as RangeValue):
                // A list element takes about as much memory as eight tensor elements.
                let limit = TensorLimits.maximumElements / 8
                guard (r.length ?? 0) <= limit else {
                    throw args.error("v", "\(r.displayText) has \(TensorLimits.formatCount(Double(r.length ?? 0))) numbers, more than a list may hold (\(TensorLimits.formatCount(Double(limit))))",
                                     hint: "loop over the range itself (`for i in range(n)`), which needs no memory")
                }
                return .list(r.items)
            case .tensor, .parameter:
                let t = v.tensorValue!
                guard t.rank > 0 else { return .list([.number(fromFloat: t.scalars[0])]) }
                guard TensorShapeCheck.sublistCount(t.shape) <= TensorLimits.maximumElements / 8 else {
                    throw args.error("v", "a tensor of shape \(ShapeText.format(t.shape)) has too many rows to become lists")
                }
                return nestedList(t, axis: 0, offset: 0)
            case .object(let o):
                if let n = o.length { return .list(try (0..<n).map { try o.element(at: $0) ?? .none }) }
            default: break
            }
            throw args.error("v", mustBe: "a range, list, tensor, string or dataset")
        },
        Builtin("seed", family: "core", [.required("n")],
                help: "make every random choice (init, shuffling, dropout, rand) reproducible") { args in
            let n = try args.wholeNumber("n")
            args.interpreter.random.seed(UInt64(n))
            return .none
        },
    ]

    /// A tensor as nested lists of numbers (PyTorch's `tolist()`).
    static func nestedList(_ t: Tensor, axis: Int, offset: Int) -> Value {
        let stride = t.shape[(axis + 1)...].reduce(1, *)
        return .list((0..<t.shape[axis]).map { i in
            axis == t.rank - 1 ? Value.number(fromFloat: t.scalars[offset + i])
                : nestedList(t, axis: axis + 1, offset: offset + i * stride)
        })
    }
}
