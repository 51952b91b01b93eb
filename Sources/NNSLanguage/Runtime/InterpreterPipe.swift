import NNEngine

/// The pipe `a |> b` (docs/language.md, "Expressions") and the forward pass of a value through layers.
extension Interpreter {
    /// `operatorRange` is where the `|>` is written: a composition error points at the operator
    /// that joined the mismatched layers.
    func pipe(_ a: Value, _ b: Value, expr: Expr, left: Expr, right: Expr, operatorRange: SourceRange) throws -> Value {
        let rightLayers = try b.asLayers()
        if let rightLayers, let leftLayers = try a.asLayers() {
            // layer/network |> layer/network: one flattened network, widths checked now.
            do {
                return .network(try Interpreter.compose(leftLayers + rightLayers))
            } catch {
                throw located(error, at: operatorRange)
            }
        }
        if let rightLayers {
            let network: Network
            do { network = try Network(rightLayers) } catch { throw located(error, at: right.range) }
            return try forward(network, a, at: expr.range)
        }
        if case .function = b {
            return try call(b, positional: [a], keywords: [], site: CallSite(range: expr.range, positionalRanges: [left.range]))
        }
        throw error("the right side of |> must be a layer, a network or a function, got a \(b.kindName)", at: right.range,
                    hint: "write `x |> net` to run x through net, or `a |> b` to join layers into a network")
    }

    /// A network of `layers` (the engine checks widths and copies a repeated activation).
    static func compose(_ layers: [Layer]) throws -> Network {
        try Network(layers)
    }

    /// The forward pass `network(x)` in inference mode, located at `range` for errors.
    func forward(_ network: Network, _ input: Value, at range: SourceRange) throws -> Value {
        do { return try forward(network, input) } catch { throw located(error, at: range) }
    }

    /// The forward pass `network(x)` in inference mode. A vector is one sample and comes
    /// back as a vector; a number comes back as a number when the output has one element.
    /// Inputs of rank above 2 are flattened per sample (`[m, 28, 28]` → `[m, 784]`).
    public func forward(_ network: Network, _ input: Value) throws -> Value {
        if case .traced(let t) = input {
            return .traced(try network.layers.reduce(t) { try $1.forward(traced: $0) })
        }
        guard let x = try input.asTensor() else {
            throw BuiltinError("cannot run a \(input.kindName) through a network",
                               hint: "the input is a tensor of shape [m, features], a list of numbers, or a number")
        }
        var batch = x
        if network.inputWidth != nil {
            if x.rank == 0 { batch = x.reshaped([1]) }
            if x.rank > 2 { batch = x.reshaped([x.shape[0], x.shape[1...].reduce(1, *)]) }
        }
        let output = try network.forward(batch, mode: .inference)
        if x.rank == 0, output.count == 1 { return .number(fromFloat: output.scalars[0]) }
        return .tensor(output)
    }
}
