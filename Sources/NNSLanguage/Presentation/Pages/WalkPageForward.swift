import NNEngine

/// The forward steps: the input, then per layer of the network zˡ = Wˡ·aˡ⁻¹ + bˡ or aˡ = h(zˡ),
/// each unit's formula with the numbers plugged in.
extension WalkPage {
    mutating func buildForward() {
        let input = pass.forward.first!.input
        var start = Step(title: "The input")
        start.lines = ["net = " + pass.network.description,
                       "x = a⁰ = " + Self.values(input),
                       "→ or Space: next step · ←: back · Home: start · End: last step"]
        show(input, column: 0, kind: "x", label: "x", in: &start)
        if small(0) {
            for j in 0..<columns[0].units { note(unitSlot(0, j), "x\(Self.sub(j + 1)) = a⁰\(Self.sub(j + 1)) = \(Self.number(input.scalars[j]))") }
        }
        for (k, linear) in linears.enumerated() where !(small(k) && small(k + 1)) {
            note("E\(k + 1)", "W\(Self.sup(k + 1)) (\(NumberFormat.shape(linear.weight.shape))): " + NumberFormat.summary(linear.weight))
        }
        for (k, linear) in linears.enumerated() where small(k) && small(k + 1) {
            let l = k + 1
            for j in 0..<columns[l].units {
                for i in 0..<columns[k].units {
                    let w = linear.weight.scalars[j * columns[k].units + i]
                    note(edgeSlot(l, j, i), "W\(Self.sup(l))\(Self.sub(j + 1))\(Self.sub(i + 1)) = \(Self.number(w)): from unit \(i + 1) of \(k == 0 ? "the input" : "layer \(k)") to unit \(j + 1) of layer \(l)")
                }
            }
        }
        append(start)

        var current = "a⁰"
        for (position, record) in pass.forward.enumerated() {
            let l = notesLayer[position]
            let sl = Self.sup(l)
            if Notation.isAffine(record.layer) {
                let (_, weight, bias) = linears[l - 1]
                let z = "z" + sl
                var step = Step(title: "Layer \(l): \(z) = W\(sl)·\(current) + b\(sl)")
                step.lines.append("net[\(record.index)] = \(record.layer)")
                let fanIn = record.input.count
                if small(l), fanIn <= Self.fanInLimit {
                    for j in 0..<record.output.count {
                        let terms = (0..<fanIn).map { i in
                            Self.operand(weight.scalars[j * fanIn + i]) + "·" + Self.operand(record.input.scalars[i])
                        }
                        let b = bias.map { " + " + Self.operand($0.scalars[j]) } ?? ""
                        let line = "\(z)\(Self.sub(j + 1)) = " + terms.joined(separator: " + ") + b
                            + " = " + Self.number(record.output.scalars[j])
                        step.lines.append(line)
                        note(unitSlot(l, j), line)
                    }
                } else if small(l) {
                    for j in 0..<record.output.count {
                        note(unitSlot(l, j), "\(z)\(Self.sub(j + 1)) = Σᵢ W\(sl)\(Self.sub(j + 1))ᵢ·\(current)ᵢ + b\(sl)\(Self.sub(j + 1)) = \(Self.number(record.output.scalars[j]))")
                    }
                }
                step.lines.append("\(z) = " + Self.values(record.output))
                show(record.output, column: l, kind: "z", label: "z", in: &step)
                current = z
                append(step)
            } else {
                if position == 0 { current = "x" }
                var a = "a" + sl
                if a == current || a + "′" == current { a = current + "′" }
                let kind = record.layer.kind
                var step = Step(title: (l == 0 ? "Before layer 1: " : "Layer \(l): ") + "\(a) = \(Notation.symbol(kind))(\(current))")
                step.lines.append("net[\(record.index)] = \(record.layer)")
                step.lines.append(Notation.activationFormula(record.layer, input: current, output: a))
                let column = l
                if small(column), record.output.count == record.input.count {
                    for j in 0..<record.output.count {
                        let argument = kind == "softmax"
                            ? "softmax(\(current))\(Self.sub(j + 1))"
                            : "\(Notation.symbol(kind))(\(Self.number(record.input.scalars[j])))"
                        let line = "\(a)\(Self.sub(j + 1)) = \(argument) = \(Self.number(record.output.scalars[j]))"
                        step.lines.append(line)
                        if l > 0 { note(unitSlot(column, j), line) }
                    }
                }
                step.lines.append("\(a) = " + Self.values(record.output))
                if l > 0 { show(record.output, column: column, kind: "a", label: "a", in: &step) }
                current = a
                append(step)
            }
        }
        if let output = pass.forward.last?.output {
            steps[steps.count - 1].lines.append("output ŷ = \(current) = " + Self.values(output))
        }
    }
}
