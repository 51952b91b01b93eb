/// Validation and decoding of number literals: `42`, `0.5`, `.5`, `1e-3`,
/// `1_000`. `_` may only stand between two digits.
enum NumberLiteral {
    enum Problem: Error {
        case badUnderscore, missingExponentDigits, extraDot, letters, tooLarge, missingDigits

        var hint: String {
            switch self {
            case .badUnderscore: return "'_' may only separate digits, as in 1_000"
            case .missingExponentDigits: return "an exponent needs digits, as in 1e-3"
            case .extraDot: return "a number has at most one '.'"
            case .letters: return "a name cannot start with a digit"
            case .tooLarge: return "numbers are 64-bit floats; the largest is about 1.8e308"
            case .missingDigits: return "write digits after '.', as in 0.5"
            }
        }
    }

    /// The value of a number literal's source text, or what is wrong with it.
    static func parse(_ text: String) -> Result<Double, Problem> {
        let s = Array(text.unicodeScalars)
        var i = 0

        // A run of digits and single underscores between digits; nil when an
        // underscore is misplaced.
        func digits() -> String? {
            let start = i
            while i < s.count, s[i] == "_" || ("0"..."9").contains(s[i]) { i += 1 }
            let run = s[start..<i]
            if run.isEmpty { return "" }
            if run.first == "_" || run.last == "_" { return nil }
            for k in run.indices.dropLast() where s[k] == "_" && s[k + 1] == "_" { return nil }
            return String(String.UnicodeScalarView(run.filter { $0 != "_" }))
        }

        guard let whole = digits() else { return .failure(.badUnderscore) }
        var cleaned = whole
        if i < s.count, s[i] == "." {
            i += 1
            guard let fraction = digits() else { return .failure(.badUnderscore) }
            if fraction.isEmpty { return .failure(.missingDigits) }
            cleaned += "." + fraction
        }
        if cleaned.isEmpty { return .failure(.missingDigits) }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            i += 1
            var sign = ""
            if i < s.count, s[i] == "+" || s[i] == "-" { sign = String(Character(s[i])); i += 1 }
            guard let exponent = digits() else { return .failure(.badUnderscore) }
            if exponent.isEmpty {
                return .failure(i < s.count && s[i] != "." ? .letters : .missingExponentDigits)
            }
            cleaned += "e" + sign + exponent
        }
        if i < s.count {
            return .failure(s[i] == "." ? .extraDot : s[i] == "_" ? .badUnderscore : .letters)
        }
        guard let value = Double(cleaned) else { return .failure(.letters) }
        guard value.isFinite else { return .failure(.tooLarge) }
        return .success(value)
    }
}
