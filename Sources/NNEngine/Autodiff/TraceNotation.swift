/// The notation of evaluation traces, as in the lecture notes: inputs are v₁₋ₙ … v₀ (and
/// appear by name, `x`), intermediate values v₁, v₂, …; `v₂ = sin v₁`, tangents
/// `v̇₂ = cos v₁ · v̇₁`, adjoints `v̄₁ = v̄₂ · cos v₁`. Constants appear by value (`x²`, `3 · v₁`).
struct TraceNotation {
    let tape: Tape
    /// Tape positions of the values a trace shows (inputs and the operations that matter).
    let shown: [Int]
    /// vᵢ's i by tape position (nil for values not shown). Arrays by position rather than
    /// dictionaries: a trace of 20,000 steps looks these up several times per row.
    private let numbers: [Int?]
    /// For each shown value, the shown operations that use it, in tape order. Built once, so
    /// the reverse trace is linear in the number of steps (scanning every later operation
    /// for each value made a 16,000-step trace take minutes).
    private let consumers: [[Int]]
    /// `vᵢ` of every numbered value, written once (each is used several times per row).
    private let symbols: [String?]

    /// Numbers the variables and, when `output` is given, the operations it depends on
    /// (otherwise every operation that depends on a variable).
    init(tape: Tape, output: Int?) {
        self.tape = tape
        let count = tape.nodes.count
        let candidates = output.map { tape.ancestors(of: $0) } ?? Array(tape.nodes.indices)
        let inputs = tape.nodes.filter { $0.operation == .variable }.map(\.id)
        let operations = candidates.filter {
            tape.nodes[$0].operation != .variable && tape.nodes[$0].operation != .constant
        }
        var numbers = [Int?](repeating: nil, count: count)
        for (k, id) in inputs.enumerated() { numbers[id] = k - inputs.count + 1 }
        for (k, id) in operations.enumerated() { numbers[id] = k + 1 }
        self.numbers = numbers
        self.shown = (inputs + operations).sorted()
        var consumers = [[Int]](repeating: [], count: count)
        for id in shown {
            let operands = tape.nodes[id].operands
            for (position, operand) in operands.enumerated() where !operands[..<position].contains(operand) {
                consumers[operand].append(id)
            }
        }
        self.consumers = consumers
        self.symbols = numbers.map { $0.map { "v" + TraceNotation.subscripted($0) } }
    }

    func number(_ id: Int) -> Int { (id < numbers.count ? numbers[id] : nil) ?? 0 }

    /// `v₃` (inputs: `v₀`, `v₋₁`, …).
    func symbol(_ id: Int) -> String {
        (id < symbols.count ? symbols[id] : nil) ?? "v" + TraceNotation.subscripted(number(id))
    }

    /// How an operand is written inside an expression.
    func reference(_ id: Int) -> String {
        let node = tape.nodes[id]
        switch node.operation {
        case .variable: return node.name ?? symbol(id)
        case .constant: return TraceNotation.constantText(node.value)
        default: return symbol(id)
        }
    }

    /// The tangent's symbol: `v̇₃`, `ẋ`.
    func dotted(_ id: Int) -> String { marked(id, "\u{307}") }
    /// The adjoint's symbol: `v̄₃`, `x̄`.
    func barred(_ id: Int) -> String { marked(id, "\u{304}") }

    private func marked(_ id: Int, _ mark: String) -> String {
        let node = tape.nodes[id]
        if node.operation == .variable, let name = node.name, let first = name.first {
            return String(first) + mark + name.dropFirst()
        }
        return "v" + mark + TraceNotation.subscripted(number(id))
    }

    // MARK: expressions

    /// The right-hand side of `vᵢ = …`.
    func expression(_ id: Int) -> String {
        let node = tape.nodes[id]
        let a = node.operands.first.map(reference) ?? ""
        let b = node.operands.count > 1 ? reference(node.operands[1]) : ""
        switch node.operation {
        case .variable: return node.name ?? symbol(id)
        case .constant: return TraceNotation.constantText(node.value)
        case .unary(let op): return TraceNotation.unaryText(op, a)
        case .binary(let op):
            if op == .power, let n = integerExponent(node) { return a + TraceNotation.superscripted(n) }
            return TraceNotation.binaryText(op, a, b, scalarOperand: isScalarProduct(node))
        case .sum: return "Σ " + a
        case .mean: return "mean " + a
        case .maxElement: return "max " + a
        case .minElement: return "min " + a
        case .matmul: return a + " @ " + b
        case .softmax: return "softmax " + a
        case .transpose: return a + "ᵀ"
        case .join(let axis, let stacked):
            return TraceNotation.joinText(stacked, axis, node.operands.map(reference))
        }
    }

    /// ∂vᵢ/∂(operand `position`) of an element-wise node, written out (`cos v₁`, `2x`, `1/v₂`).
    func partial(_ id: Int, position: Int) -> String {
        let node = tape.nodes[id]
        let a = reference(node.operands[0])
        let b = node.operands.count > 1 ? reference(node.operands[1]) : ""
        let s = symbol(id)
        switch node.operation {
        case .unary(let op):
            return op.function.partialText(x: a, y: s, alpha: op.alphaText)
        case .binary(let op):
            let first = position == 0
            switch op {
            case .add: return "1"
            case .subtract: return first ? "1" : "−1"
            case .multiply: return first ? b : a
            case .divide: return first ? "1/" + b : "−" + a + "/" + b + "²"
            case .power:
                if !first { return s + "·log " + a }
                if let n = integerExponent(node) {
                    if n == 2 { return "2" + a }
                    return TraceNotation.number(Float(n)) + a + TraceNotation.superscripted(n - 1)
                }
                return b + "·" + a + "^(" + b + " − 1)"
            case .modulo: return first ? "1" : "−⌊" + a + "/" + b + "⌋"
            case .minimum: return first ? "[" + a + " ≤ " + b + "]" : "[" + a + " > " + b + "]"
            case .maximum: return first ? "[" + a + " ≥ " + b + "]" : "[" + a + " < " + b + "]"
            default: return "0"
            }
        default:
            return "0"
        }
    }

    /// The right-hand side of `v̇ᵢ = …` (forward mode).
    func tangentExpression(_ id: Int) -> String {
        let node = tape.nodes[id]
        let live = node.operands.enumerated().filter { tape.nodes[$0.element].dependsOnVariable }
        let s = symbol(id)
        if case .join(let axis, let stacked) = node.operation {
            let parts = node.operands.map { tape.nodes[$0].dependsOnVariable ? dotted($0) : "0" }
            return TraceNotation.joinText(stacked, axis, parts)
        }
        var terms = [String]()
        for (position, operand) in live {
            let d = dotted(operand)
            switch node.operation {
            case .unary, .binary: terms.append(TraceNotation.scaled(d, by: partial(id, position: position)))
            case .sum: terms.append("Σ " + d)
            case .mean: terms.append("mean " + d)
            case .maxElement: terms.append(d + "[argmax " + reference(node.operands[0]) + "]")
            case .minElement: terms.append(d + "[argmin " + reference(node.operands[0]) + "]")
            case .matmul:
                terms.append(position == 0 ? d + " @ " + reference(node.operands[1])
                                           : reference(node.operands[0]) + " @ " + d)
            case .softmax: terms.append(s + " ⊙ (" + d + " − Σ(" + d + " ⊙ " + s + "))")
            case .transpose: terms.append(d + "ᵀ")
            case .join, .variable, .constant: break
            }
        }
        return TraceNotation.joined(terms)
    }

    /// The right-hand side of `v̄ⱼ = …` (reverse mode): one term per use of vⱼ.
    func adjointExpression(_ id: Int, output: Int) -> String {
        if id == output { return "1" }
        var terms = [String]()
        for consumer in consumers[id] where consumer > id && consumer <= output {
            let node = tape.nodes[consumer]
            let bar = barred(consumer)
            for (position, operand) in node.operands.enumerated() where operand == id {
                switch node.operation {
                case .unary, .binary:
                    terms.append(TraceNotation.scaled(bar, by: partial(consumer, position: position), adjointFirst: true))
                case .sum: terms.append(bar)
                case .mean: terms.append(bar + "/" + String(tape.nodes[id].value.count))
                case .maxElement: terms.append(bar + " at argmax " + reference(id))
                case .minElement: terms.append(bar + " at argmin " + reference(id))
                case .matmul:
                    terms.append(position == 0 ? bar + " @ " + reference(node.operands[1]) + "ᵀ"
                                               : reference(node.operands[0]) + "ᵀ @ " + bar)
                case .softmax:
                    let s = symbol(consumer)
                    terms.append(s + " ⊙ (" + bar + " − Σ(" + bar + " ⊙ " + s + "))")
                case .transpose: terms.append(bar + "ᵀ")
                case .join(let axis, _):
                    terms.append(bar + "[part \(position + 1) along axis \(axis)]")
                case .variable, .constant: break
                }
            }
        }
        return TraceNotation.joined(terms)
    }

    // MARK: helpers

    /// The exponent of `a ^ n` when n is a small whole constant (printed as a superscript).
    private func integerExponent(_ node: TapeNode) -> Int? {
        let e = tape.nodes[node.operands[1]]
        guard e.operation == .constant, e.value.count == 1 else { return nil }
        let n = e.value.scalars[0]
        guard n == n.rounded(), Swift.abs(n) <= 9, n != 0, n != 1 else { return nil }
        return Int(n)
    }

    /// Whether a product has a one-element operand (written `·`; element-wise is `⊙`).
    private func isScalarProduct(_ node: TapeNode) -> Bool {
        node.operands.contains { tape.nodes[$0].value.count == 1 }
    }

    static func unaryText(_ op: UnaryOp, _ a: String) -> String {
        op.function.traceText(a, alpha: op.alphaText)
    }

    /// `concat(v₁, v₂)`, `stack(x, v₁, axis 1)`.
    static func joinText(_ stacked: Bool, _ axis: Int, _ parts: [String]) -> String {
        (stacked ? "stack(" : "concat(") + parts.joined(separator: ", ") + (axis == 0 ? ")" : ", axis \(axis))")
    }

    static func binaryText(_ op: BinaryOp, _ a: String, _ b: String, scalarOperand: Bool) -> String {
        switch op {
        case .multiply: return a + (scalarOperand ? " · " : " ⊙ ") + b
        case .subtract: return a + " − " + b
        case .minimum, .maximum: return op.rawValue + "(" + a + ", " + b + ")"
        case .lessEqual: return a + " ≤ " + b
        case .greaterEqual: return a + " ≥ " + b
        case .notEqual: return a + " ≠ " + b
        default: return a + " " + op.rawValue + " " + b
        }
    }

    /// `d` times a local derivative, simplified: `v̇₁`, `−v̇₁`, `cos v₁ · v̇₁`, nothing for 0.
    /// Adjoints come first, as the notes write them: `v̄₂ · cos v₁`.
    static func scaled(_ d: String, by partial: String, adjointFirst: Bool = false) -> String {
        switch partial {
        case "1": return d
        case "−1": return "−" + d
        case "0": return ""
        default: return adjointFirst ? d + " · " + partial : partial + " · " + d
        }
    }

    static func joined(_ terms: [String]) -> String {
        let kept = terms.filter { !$0.isEmpty }
        guard var text = kept.first else { return "0" }
        for term in kept.dropFirst() {
            text += term.hasPrefix("−") ? " − " + term.dropFirst() : " + " + term
        }
        return text
    }

    static func constantText(_ t: Tensor) -> String {
        if t.count == 1 { return number(t.scalars[0]) }
        if t.rank == 1 && t.count <= 4 { return "[" + t.scalars.map(number).joined(separator: ", ") + "]" }
        return "c" + Broadcasting.describe(t.shape)
    }

    /// A Float the shortest way: `2`, `0.5`, `-1.25`.
    static func number(_ x: Float) -> String { ShortestNumber.text(x) }

    // Built once: a trace of thousands of steps writes tens of thousands of subscripts.
    private static let subscriptDigits = Array("₀₁₂₃₄₅₆₇₈₉".unicodeScalars)
    private static let superscriptDigits = Array("⁰¹²³⁴⁵⁶⁷⁸⁹".unicodeScalars)

    static func subscripted(_ n: Int) -> String {
        (n < 0 ? "₋" : "") + mapped(Swift.abs(n), subscriptDigits)
    }

    static func superscripted(_ n: Int) -> String {
        (n < 0 ? "⁻" : "") + mapped(Swift.abs(n), superscriptDigits)
    }

    private static func mapped(_ n: Int, _ digits: [Unicode.Scalar]) -> String {
        var text = String.UnicodeScalarView()
        for d in String(n).utf8 { text.append(digits[Int(d) - 48]) }
        return String(text)
    }
}
