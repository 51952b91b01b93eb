import NNEngine

/// `name = v`, `a[i] = v`, `a.name = v` (docs/language.md, "Statements").
///
/// Lists and records change in place. A tensor is a value, so `t[0, 1] = 5` makes the changed
/// tensor and stores it back where `t` came from. A network's parameter changes in place,
/// after a shape check: `net[0].weight = [[0.2, 0.4], [0.3, 0.1]]`.
extension Interpreter {
    func assign(_ value: Value, to target: AssignTarget, in environment: Environment) throws {
        switch target {
        case .name(let identifier):
            environment.define(identifier.name, value)
        case .index(let baseExpr, let indexExprs):
            if let slice = indexExprs.first(where: { if case .slice = $0.kind { return true }; return false }) {
                throw error("assigning into a slice is not supported", at: slice.range,
                            hint: "assign element by element in a loop, or build a new list with + and slicing")
            }
            let container = try evaluate(baseExpr, in: environment)
            var indices: [Value] = []
            for expr in indexExprs { indices.append(try evaluate(expr, in: environment)) }
            let range = indexExprs.first.map { baseExpr.range.union($0.range) } ?? baseExpr.range
            try assignElement(value, of: container, at: indices, base: baseExpr, range: range, in: environment)
        case .member(let baseExpr, let name):
            let container = try evaluate(baseExpr, in: environment)
            try assignMember(value, of: container, name: name, base: baseExpr)
        }
    }

    private func assignElement(_ value: Value, of container: Value, at indices: [Value], base: Expr,
                               range: SourceRange, in environment: Environment) throws {
        switch container {
        case .list(let list):
            let i = try position(indices, count: list.items.count, kind: "list", at: range)
            list.items[i] = value
        case .record(let record):
            guard indices.count == 1, case .string(let key) = indices[0] else {
                throw error("a record is indexed by a field name, as in r[\"lr\"] = 1", at: range)
            }
            record[key] = value
        case .parameter(let parameter):
            let positions = try tensorPositions(indices, shape: parameter.value.shape, at: range)
            var updated = parameter.value
            try write(value, into: &updated, at: positions, range: range)
            parameter.value = updated
        case .tensor(var tensor):
            let positions = try tensorPositions(indices, shape: tensor.shape, at: range)
            try write(value, into: &tensor, at: positions, range: range)
            try storeBack(.tensor(tensor), into: base, in: environment)
        default:
            throw error("cannot assign into an element of a \(container.kindName)", at: range,
                        hint: "lists, records, tensors and network parameters take `x[i] = v`")
        }
    }

    private func write(_ value: Value, into tensor: inout Tensor, at positions: [Int], range: SourceRange) throws {
        do {
            guard let element = try value.asTensor() else {
                throw BuiltinError("cannot store a \(value.kindName) in a tensor", hint: "tensors hold numbers")
            }
            try tensor.assign(element, at: positions)
        } catch {
            throw located(error, at: range)
        }
    }

    /// Stores a changed tensor back into the place the expression `base` read it from.
    private func storeBack(_ value: Value, into base: Expr, in environment: Environment) throws {
        switch base.kind {
        case .name(let name):
            try assign(value, to: .name(Identifier(name: name, range: base.range)), in: environment)
        case .index(let inner, let indices):
            try assign(value, to: .index(inner, indices), in: environment)
        case .member(let inner, let name):
            try assign(value, to: .member(inner, name), in: environment)
        default:
            throw error("cannot assign into a tensor that is not stored anywhere", at: base.range,
                        hint: "bind it to a name first: t = ...; t[0] = 1")
        }
    }

    private func assignMember(_ value: Value, of container: Value, name: Identifier, base: Expr) throws {
        switch container {
        case .record(let record):
            record[name.name] = value
        case .layer(let layer):
            guard let parameter = Interpreter.layerParameter(layer, name.name) else {
                let names = layer.parameters.map(\.name)
                throw error("a \(layer.kind) layer has no parameter `\(name.name)`", at: name.range,
                            hint: names.isEmpty ? "it has no parameters" : "its parameters: \(names.joined(separator: ", ")) (also W, b)")
            }
            try replace(parameter, with: value, at: name.range, label: "\(layer.kind).\(parameter.name)")
        case .object(let object):
            do { try object.setMember(name.name, to: value) } catch { throw located(error, at: name.range) }
        default:
            throw error("cannot set `\(name.name)` on a \(container.kindName)", at: name.range,
                        hint: "fields of records and the weight/bias of layers can be assigned")
        }
    }

    /// Replaces a parameter's value with a tensor of exactly its shape.
    func replace(_ parameter: NNEngine.Parameter, with value: Value, at range: SourceRange, label: String) throws {
        let tensor: Tensor
        do {
            guard let t = try value.asTensor() else {
                throw BuiltinError("\(label) must be a tensor, got a \(value.kindName)")
            }
            tensor = t
        } catch { throw located(error, at: range) }
        guard tensor.shape == parameter.value.shape else {
            throw error("\(label) has shape \(ShapeText.format(parameter.value.shape)) but the new value has shape \(ShapeText.format(tensor.shape))",
                        at: range, hint: parameter.name == "weight" ? "a weight has shape [out, in]" : nil)
        }
        parameter.value = tensor
    }
}
