// Statements, programs, junk and mutations for RandomTokenGenerator.

extension RandomTokenGenerator {
    /// A valid program of 1...6 statements and its expected S-expression
    /// (one line per statement, as `Program.sExpression` prints it).
    mutating func validProgram(depth: Int = 3) -> (source: String, expected: String) {
        let statements = (0..<count(1...6)).map { _ in statement(depth: depth, inFunction: false) }
        return (statements.map(\.source).joined(separator: "\n"), statements.map(\.expected).joined(separator: "\n"))
    }

    mutating func statement(depth: Int, inFunction: Bool) -> (source: String, expected: String) {
        var (source, expected) = bareStatement(depth: depth, inFunction: inFunction)
        if chance(15) {
            source += ";"
            expected = "(silent \(expected))"
        }
        return (source, expected)
    }

    private mutating func bareStatement(depth: Int, inFunction: Bool) -> (source: String, expected: String) {
        switch count(0...(depth > 0 ? 10 : 3)) {
        case 0, 1:
            let e = expression(depth: depth)
            // A statement may not start with `fn name`, and a lambda statement is fine as is.
            return (e.source, e.expected)
        case 2, 3:
            let value = expression(depth: depth)
            switch count(0...2) {
            case 0:
                let name = pick(names)
                return ("\(name) = \(value.source)", "(= \(name) \(value.expected))")
            case 1:
                let target = postfixTarget(depth: depth, index: true)
                return ("\(target.source) = \(value.source)", "(= \(target.expected) \(value.expected))")
            default:
                let target = postfixTarget(depth: depth, index: false)
                return ("\(target.source) = \(value.source)", "(= \(target.expected) \(value.expected))")
            }
        case 4:
            var source = "", expected: [String] = []
            for i in 0..<count(1...3) {
                let condition = expression(depth: depth - 1)
                let body = block(depth: depth - 1, inFunction: inFunction)
                source += (i == 0 ? "if " : pick([" else if ", "\nelse if "])) + condition.source + " " + body.source
                expected += [condition.expected, body.expected]
            }
            if chance(50) {
                let body = block(depth: depth - 1, inFunction: inFunction)
                source += pick([" else ", "\nelse "]) + body.source
                expected.append("(else \(body.expected))")
            }
            return (source, "(if \(expected.joined(separator: " ")))")
        case 5:
            let variable = pick(["i", "x", "batch"]), iterable = expression(depth: depth - 1)
            let body = block(depth: depth - 1, inFunction: inFunction)
            return ("for \(variable) in \(iterable.source) \(body.source)", "(for \(variable) \(iterable.expected) \(body.expected))")
        case 6:
            let condition = expression(depth: depth - 1), body = block(depth: depth - 1, inFunction: inFunction)
            return ("while \(condition.source) \(body.source)", "(while \(condition.expected) \(body.expected))")
        case 7:
            let name = pick(["square", "step_fn", "loss2"])
            let parameters = ["x", "lr = 0.1"].prefix(count(0...2))
            let expectedParameters = parameters.map { $0 == "lr = 0.1" ? "lr=0.1" : $0 }
            let body = block(depth: depth - 1, inFunction: true)
            return ("fn \(name)(\(parameters.joined(separator: ", "))) \(body.source)",
                    "(def \(name) (\(expectedParameters.joined(separator: " "))) \(body.expected))")
        case 8 where inFunction:
            if chance(30) { return ("return", "(return)") }
            let value = expression(depth: depth - 1)
            return ("return \(value.source)", "(return \(value.expected))")
        case 9:
            return chance(50) ? ("import gates", "(import gates)") : (#"import "lib/x.nns""#, #"(import "lib/x.nns")"#)
        default:
            let e = expression(depth: depth)
            return (e.source, e.expected)
        }
    }

    private mutating func postfixTarget(depth: Int, index: Bool) -> Fragment {
        let object = atLeast(primary(depth: depth - 1), Level.postfix)
        if index {
            let i = expression(depth: depth - 1)
            return Fragment(source: "\(object.source)[\(i.source)]", expected: "(index \(object.expected) \(i.expected))", level: Level.postfix)
        }
        return Fragment(source: "\(object.source).weight", expected: "(. \(object.expected) weight)", level: Level.postfix)
    }

    private mutating func block(depth: Int, inFunction: Bool) -> Fragment {
        let statements = (0..<count(0...3)).map { _ in statement(depth: max(0, depth), inFunction: inFunction) }
        let expected = statements.isEmpty ? "(block)" : "(block \(statements.map(\.expected).joined(separator: " ")))"
        if statements.count == 1 && chance(40) {
            return Fragment(source: "{ \(statements[0].source) }", expected: expected, level: Level.primary)
        }
        let inner = statements.map { "  " + $0.source.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ") }
        return Fragment(source: "{\n\(inner.joined(separator: "\n"))\n}", expected: expected, level: Level.primary)
    }

    // MARK: - Junk

    static let vocabulary: [String] = [
        "fn", "if", "else", "for", "in", "while", "return", "import", "true", "false", "none", "and", "or", "not",
        "break", "continue", "f\"", "f\"{x:.2f}\"", "{", "}", "::", "[1:]",
        "|>", "+", "-", "*", "/", "%", "@", "^", "==", "!=", "<", "<=", ">", ">=", "=", "(", ")", "[", "]", "{", "}",
        ",", ":", ";", ".", "=>", "\n", "\n", "#c\n", "x", "net", "relu", "linear", "42", "0.5", ".5", "1e-3", "1_000",
        #""s""#, #""a\n""#, "1e", "1__0", "1.2.3", #""open"#, #""bad\q""#, "$", "&", "!", "|", "'", "é", "\t", "\r\n",
        "\u{0}", "\u{7F}", "😀", "\\", "?", "~", "`",
    ]

    /// 1...40 tokens from the whole vocabulary, valid or not, in any order.
    mutating func junk() -> String {
        var text = ""
        for _ in 0..<count(1...40) {
            text += pick(Self.vocabulary)
            text += pick(["", " ", " ", "\n"])
        }
        return text
    }

    /// A valid program damaged by a few token-level edits: deleting,
    /// duplicating or replacing a character run, or inserting a vocabulary token.
    mutating func mutate(_ source: String) -> String {
        var scalars = Array(source.unicodeScalars)
        for _ in 0..<count(1...3) {
            let position = scalars.isEmpty ? 0 : count(0...(scalars.count - 1))
            switch count(0...3) {
            case 0 where !scalars.isEmpty:
                scalars.removeSubrange(position..<min(scalars.count, position + count(1...4)))
            case 1 where !scalars.isEmpty:
                scalars.insert(contentsOf: scalars[position..<min(scalars.count, position + count(1...6))], at: position)
            default:
                scalars.insert(contentsOf: pick(Self.vocabulary).unicodeScalars, at: position)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
