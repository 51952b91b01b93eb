import NNEngine

/// The pipe `a |> b` (SPEC §4) and the forward pass of a value through layers.
extension Interpreter {
    func pipe(_ a: Value, _ b: Value, expr: Expr, left: Expr, right: Expr) throws -> Value {
        let rightLayers = try b.asLayers()
        if let rightLayers, let leftLayers = try a.asLayers() {
            // layer/network |> layer/network: one flattened network, widths checked now.
            do {
                return .network(try Interpreter.compose(leftLayers + rightLayers))
            } catch {
                throw located(error, at: pipeOperatorRange(between: left, and: right) ?? expr.range)
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

    /// A network of `layers`. A layer object may appear only once in a network (its backward
    /// pass keeps what its forward saw): a repeated activation is copied, a repeated layer
    /// with weights is an error rather than silently shared or unshared.
    static func compose(_ layers: [Layer]) throws -> Network {
        var seen: [ObjectIdentifier: Int] = [:]
        var result: [Layer] = []
        for (index, layer) in layers.enumerated() {
            if let first = seen[ObjectIdentifier(layer)] {
                guard layer.parameters.isEmpty else {
                    throw EngineError("layer \(index + 1) is the same \(layer.kind) layer as layer \(first + 1)",
                                      hint: "a layer with weights can appear once in a network; build another one, e.g. \(layer.description)")
                }
                result.append(layer.copy())
            } else {
                seen[ObjectIdentifier(layer)] = index
                result.append(layer)
            }
        }
        return try Network(result)
    }

    /// The forward pass `network(x)` in inference mode. A number or a vector is one sample:
    /// a vector of n features runs as a batch `[1, n]` and comes back as a vector; a number
    /// comes back as a number when the output has one element. Inputs of rank above 2 are
    /// flattened per sample (`[m, 28, 28]` → `[m, 784]`).
    func forward(_ network: Network, _ input: Value, at range: SourceRange) throws -> Value {
        guard let x = try? input.asTensor() else {
            throw error("cannot run a \(input.kindName) through a network", at: range,
                        hint: "the input is a tensor of shape [m, features], a list of numbers, or a number")
        }
        do {
            let batch: Tensor
            switch x.rank {
            case 0: batch = x.reshaped([1, 1])
            case 1: batch = x.reshaped([1, x.shape[0]])
            case 2: batch = x
            default: batch = x.reshaped([x.shape[0], x.shape[1...].reduce(1, *)])
            }
            try Interpreter.checkInputWidth(network, batch)
            var output = batch
            for layer in network.layers {
                output = try layer.forward(output, mode: .inference)
            }
            switch x.rank {
            case 0 where output.count == 1: return .number(Double(output.scalars[0]))
            case 0, 1: return .tensor(output.reshaped([output.count]))
            default: return .tensor(output)
            }
        } catch {
            throw located(error, at: range)
        }
    }

    /// The error for an input whose feature count the network's first sized layer rejects.
    static func checkInputWidth(_ network: Network, _ batch: Tensor) throws {
        guard let width = network.inputWidth else { return }
        let given = batch.rank == 2 ? batch.shape[1] : batch.count
        if given != width {
            throw EngineError("the network expects \(width) input\(width == 1 ? "" : "s") per sample but got \(given)",
                              hint: "the input has shape \(ShapeText.format(batch.shape)); a batch is [samples, \(width)]")
        }
    }

    /// The range of the `|>` between two operands, found in the source text, so composition
    /// errors point at the operator that joined the mismatched layers.
    func pipeOperatorRange(between left: Expr, and right: Expr) -> SourceRange? {
        var line = left.range.end.line
        var column = left.range.end.column
        while line <= right.range.start.line {
            guard let text = currentFile.line(line) else { return nil }
            let scalars = Array(text.unicodeScalars)
            var i = column - 1
            while i + 1 < scalars.count {
                if line == right.range.start.line, i + 1 >= right.range.start.column - 1 { return nil }
                if scalars[i] == "|", scalars[i + 1] == ">" {
                    return SourceRange(start: SourceLocation(line: line, column: i + 1),
                                       end: SourceLocation(line: line, column: i + 3))
                }
                if scalars[i] == "#" { break }
                i += 1
            }
            line += 1
            column = 1
        }
        return nil
    }
}
