/// A lexical look at typed input, enough for the REPL to decide whether an entry is finished
/// (`...> ` continuation), whether a trailing `;` silences it, and where command arguments
/// split. It skips strings and `#` comments the way the lexer does; anything it cannot judge
/// it leaves to the parser, which reports the error with a caret.
public struct InputScanner {
    /// Open `(` `[` `{` minus closed ones (never below zero).
    public private(set) var depth = 0
    /// The last character that is not blank and not in a comment or string, if any.
    public private(set) var lastSignificant: Character?
    /// The source with comments removed and trailing blanks trimmed.
    public private(set) var significantText = ""

    public init(_ source: String) {
        var inString = false
        var escaped = false
        var inComment = false
        var text = ""
        var depth = 0
        for ch in source {
            if inComment {
                if ch == "\n" { inComment = false; text.append(ch) }
                continue
            }
            if inString {
                text.append(ch)
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                // A string never spans lines; the parser reports the missing quote.
                if ch == "\n" { inString = false }
                continue
            }
            switch ch {
            case "#": inComment = true; continue
            case "\"": inString = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(depth - 1, 0)
            default: break
            }
            text.append(ch)
        }
        self.depth = depth
        while let last = text.last, last.isWhitespace { text.removeLast() }
        significantText = text
        lastSignificant = text.last
    }

    /// Operators and keywords after which a line cannot end a statement (§2: a newline after
    /// a binary operator or `|>` continues the statement).
    static let continuingSuffixes = ["|>", "+", "-", "*", "/", "%", "@", "^", "==", "!=", "<", "<=", ">",
                                     ">=", "=", "=>", ","]
    static let continuingWords = ["and", "or", "not", "else", "in"]

    /// True while brackets are open or the text ends with an operator or `|>`: the REPL then
    /// asks for another line with `...> `.
    public var isIncomplete: Bool {
        if depth > 0 { return true }
        let text = significantText
        if InputScanner.continuingSuffixes.contains(where: { text.hasSuffix($0) }) {
            return true
        }
        if let lastWord = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).last,
           InputScanner.continuingWords.contains(String(lastWord)),
           text.hasSuffix(lastWord) {
            return true
        }
        return false
    }

    /// Splits command arguments at blanks outside brackets and strings. A lone operator joins
    /// its neighbours (`a + b` stays one argument); a trailing comma is dropped.
    public static func splitArguments(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for ch in text {
            if inString {
                current.append(ch)
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                continue
            }
            switch ch {
            case "\"": inString = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(depth - 1, 0)
            default: break
            }
            if ch.isWhitespace && depth == 0 {
                if !current.isEmpty { parts.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { parts.append(current) }
        parts = parts.map { $0.hasSuffix(",") && $0.count > 1 ? String($0.dropLast()) : $0 }.filter { $0 != "," }
        // Glue operators to their neighbours: ["x", "+", "1"] → ["x + 1"].
        let operators: Set<String> = ["+", "-", "*", "/", "%", "@", "^", "|>", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
        var glued: [String] = []
        var i = 0
        while i < parts.count {
            if operators.contains(parts[i]), let previous = glued.popLast(), i + 1 < parts.count {
                glued.append(previous + " " + parts[i] + " " + parts[i + 1])
                i += 2
            } else {
                glued.append(parts[i])
                i += 1
            }
        }
        return glued
    }
}
