// Reusable random source generator for robustness tests (lexer, parser and,
// later, the interpreter). Seeded, so every failure reproduces.
//
//     var generator = RandomTokenGenerator(seed: 42)
//     let (source, expected) = generator.validProgram()   // expected S-expression
//     let junk = generator.junk()                           // arbitrary token soup
//     let broken = generator.mutate(source)                 // a valid program, damaged

/// SplitMix64: small, fast, and the same sequence on every platform.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generates nns source: valid programs together with the S-expression the
/// parser must produce for them (built from the generator's own tree, with
/// parentheses placed from SPEC §4's precedence table), junk token sequences,
/// and mutations of valid programs.
struct RandomTokenGenerator {
    var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// A generated piece of source, its expected S-expression, and its
    /// precedence level (higher binds tighter; see `Level`).
    struct Fragment {
        var source: String
        var expected: String
        var level: Int
    }

    /// SPEC §4 levels, lowest first.
    enum Level {
        static let lambda = 0, pipe = 1, or = 2, and = 3, not = 4, comparison = 5
        static let additive = 6, multiplicative = 7, unary = 8, power = 9, postfix = 10, primary = 11
    }

    let names = ["x", "y", "net", "data", "w", "b", "lr", "f", "relu", "sigmoid", "linear", "train", "_tmp1"]
    let numbers: [(String, String)] = [
        ("0", "0"), ("42", "42"), ("0.5", "0.5"), (".5", "0.5"), ("1e-3", "0.001"), ("1_000", "1000"),
        ("2.5e-1", "0.25"), ("784", "784"), ("1E3", "1000"), ("0.125", "0.125"),
    ]
    let strings: [(String, String)] = [
        (#""""#, #""""#), (#""hi""#, #""hi""#), (#""a\nb""#, #""a\nb""#), (#""q\"\\""#, #""q\"\\""#),
        (#""é ∂ 😀""#, #""é ∂ 😀""#), (#""mnist.safetensors""#, #""mnist.safetensors""#),
    ]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    mutating func chance(_ percent: Int) -> Bool { Int(random.next() % 100) < percent }
    mutating func count(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    /// Wraps a fragment in parentheses when its level is below `minimum`.
    func atLeast(_ fragment: Fragment, _ minimum: Int) -> Fragment {
        fragment.level >= minimum ? fragment
            : Fragment(source: "(" + fragment.source + ")", expected: fragment.expected, level: Level.primary)
    }

    /// Optional line break where SPEC §2 lets a line continue.
    mutating func softBreak() -> String { chance(15) ? "\n    " : " " }

    // MARK: - Expressions

    mutating func expression(depth: Int) -> Fragment {
        if depth <= 0 || chance(25) { return primary(depth: 0) }
        switch count(0...12) {
        case 0: return binary(pick(["+", "-"]), Level.additive, depth)
        case 1: return binary(pick(["*", "/", "%", "@"]), Level.multiplicative, depth)
        case 2: return binary(pick(["and"]), Level.and, depth)
        case 3: return binary(pick(["or"]), Level.or, depth)
        case 4:
            let op = pick(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])
            let l = atLeast(expression(depth: depth - 1), Level.additive)
            let r = atLeast(expression(depth: depth - 1), Level.additive)
            return Fragment(source: "\(l.source) \(op)\(softBreak())\(r.source)", expected: "(\(op) \(l.expected) \(r.expected))", level: Level.comparison)
        case 5:
            let l = atLeast(expression(depth: depth - 1), Level.pipe)
            let r = atLeast(expression(depth: depth - 1), Level.or)
            let separator = chance(30) ? "\n    |> " : chance(20) ? " |>\n    " : " |> "
            return Fragment(source: l.source + separator + r.source, expected: "(pipe \(l.expected) \(r.expected))", level: Level.pipe)
        case 6:
            let operand = atLeast(expression(depth: depth - 1), Level.unary)
            return Fragment(source: "-" + operand.source, expected: "(- \(operand.expected))", level: Level.unary)
        case 7:
            let operand = atLeast(expression(depth: depth - 1), Level.not)
            return Fragment(source: "not " + operand.source, expected: "(not \(operand.expected))", level: Level.not)
        case 8:
            let base = atLeast(expression(depth: depth - 1), Level.postfix)
            let exponent = atLeast(expression(depth: depth - 1), Level.unary)
            return Fragment(source: "\(base.source) ^ \(exponent.source)", expected: "(^ \(base.expected) \(exponent.expected))", level: Level.power)
        case 9, 10: return postfix(depth: depth)
        default: return primary(depth: depth - 1)
        }
    }

    private mutating func binary(_ op: String, _ level: Int, _ depth: Int) -> Fragment {
        let l = atLeast(expression(depth: depth - 1), level)
        let r = atLeast(expression(depth: depth - 1), level + 1)
        return Fragment(source: "\(l.source) \(op)\(softBreak())\(r.source)", expected: "(\(op) \(l.expected) \(r.expected))", level: level)
    }

    mutating func postfix(depth: Int) -> Fragment {
        let object = atLeast(expression(depth: depth - 1), Level.postfix)
        switch count(0...2) {
        case 0:
            var sources: [String] = [], parts: [String] = []
            for _ in 0..<count(0...3) {
                let a = expression(depth: depth - 1)
                sources.append(a.source); parts.append(a.expected)
            }
            for label in ["epochs", "lr", "weight"].prefix(count(0...2)) {
                let a = expression(depth: depth - 1)
                sources.append("\(label): \(a.source)"); parts.append("\(label):\(a.expected)")
            }
            let trailing = !sources.isEmpty && chance(20) ? "," : ""
            return Fragment(source: "\(object.source)(\(sources.joined(separator: ",\(softBreak())"))\(trailing))",
                            expected: "(call \(([object.expected] + parts).joined(separator: " ")))", level: Level.postfix)
        case 1:
            let indices = (0..<count(1...2)).map { _ in expression(depth: depth - 1) }
            return Fragment(source: "\(object.source)[\(indices.map(\.source).joined(separator: ", "))]",
                            expected: "(index \(([object.expected] + indices.map(\.expected)).joined(separator: " ")))", level: Level.postfix)
        default:
            let name = pick(["weight", "grad", "shape", "x", "W"])
            return Fragment(source: "\(object.source).\(name)", expected: "(. \(object.expected) \(name))", level: Level.postfix)
        }
    }

    mutating func primary(depth: Int) -> Fragment {
        let choice = depth <= 0 ? count(0...4) : count(0...8)
        switch choice {
        case 0, 1:
            let name = pick(names)
            return Fragment(source: name, expected: name, level: Level.primary)
        case 2:
            let (source, expected) = pick(numbers)
            return Fragment(source: source, expected: expected, level: Level.primary)
        case 3:
            let (source, expected) = pick(strings)
            return Fragment(source: source, expected: expected, level: Level.primary)
        case 4:
            let word = pick(["true", "false", "none"])
            return Fragment(source: word, expected: word, level: Level.primary)
        case 5:
            let items = (0..<count(0...3)).map { _ in expression(depth: depth - 1) }
            return Fragment(source: "[\(items.map(\.source).joined(separator: ",\(softBreak())"))]",
                            expected: items.isEmpty ? "(list)" : "(list \(items.map(\.expected).joined(separator: " ")))", level: Level.primary)
        case 6:
            let keys = ["lr", "epochs", "\"0.weight\"", "batch"].prefix(count(0...3))
            var sources: [String] = [], parts: [String] = []
            for key in keys {
                let value = expression(depth: depth - 1)
                sources.append("\(key): \(value.source)")
                parts.append("(\(String(key.filter { $0 != "\"" })) \(value.expected))")
            }
            return Fragment(source: "{\(sources.joined(separator: ",\(softBreak())"))}",
                            expected: parts.isEmpty ? "(record)" : "(record \(parts.joined(separator: " ")))", level: Level.primary)
        case 7:
            let params = ["a", "b"].prefix(count(0...2))
            let body = expression(depth: depth - 1)
            return Fragment(source: "fn(\(params.joined(separator: ", "))) => \(body.source)",
                            expected: "(fn (\(params.joined(separator: " "))) \(body.expected))", level: Level.lambda)
        default:
            let inner = expression(depth: depth - 1)
            return Fragment(source: "(\(inner.source))", expected: inner.expected, level: Level.primary)
        }
    }
}
