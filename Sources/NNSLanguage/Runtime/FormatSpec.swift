import Foundation

/// Python's format-spec mini-language, the one engine behind f-string fields and `format(x,
/// spec)` (docs/language.md, "Scripting essentials"):
///
///     [[fill]align][sign][z][#][0][width][grouping][.precision][type]
///
/// align `< > ^ =`; sign `+ - space`; grouping `,` or `_`; types `d f F e E g G % s x X o b`
/// or none. nns has one number kind, so a number formats as Python formats a float, except
/// that the integer types (`d x o b`) take whole numbers and no type prints as nns prints
/// (`3`, not `3.0`). Bools and other values format as their printed text.
struct FormatSpec: Hashable, Sendable {
    var fill: Character?
    var align: Character?
    var sign: Character?
    var coercesNegativeZero = false
    var alternate = false
    var zeroPadded = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    /// What is wrong with a spec or with formatting a value by it.
    struct Problem: Error {
        var message: String
        var hint: String?
    }

    static let maximumWidth = 10_000
    static let maximumPrecision = 1_000
    private static let grammar = "a spec is [[fill]align][sign][#][0][width][,][.precision][type], as in \">8\", \"+.3f\", \",d\", \"08.2%\""
    private static let aligns: Set<Character> = ["<", ">", "^", "="]

    /// Reads a spec (the text after `:` in an f-string field).
    static func parse(_ text: String) -> Result<FormatSpec, Problem> {
        let c = Array(text)
        var spec = FormatSpec()
        var i = 0
        if c.count >= 2, aligns.contains(c[1]) {
            spec.fill = c[0]
            spec.align = c[1]
            i = 2
        } else if let first = c.first, aligns.contains(first) {
            spec.align = first
            i = 1
        }
        if i < c.count, "+- ".contains(c[i]) { spec.sign = c[i]; i += 1 }
        if i < c.count, c[i] == "z" { spec.coercesNegativeZero = true; i += 1 }
        if i < c.count, c[i] == "#" { spec.alternate = true; i += 1 }
        if i < c.count, c[i] == "0" { spec.zeroPadded = true; i += 1 }
        let widthDigits = digits(c, &i)
        if i < c.count, c[i] == "," || c[i] == "_" { spec.grouping = c[i]; i += 1 }
        var precisionDigits: String?
        if i < c.count, c[i] == "." {
            i += 1
            precisionDigits = digits(c, &i)
            if precisionDigits!.isEmpty {
                return .failure(Problem(message: "format spec \(Value.quoted(text)) is missing the precision after '.'", hint: grammar))
            }
        }
        if i < c.count, c[i].isLetter || c[i] == "%" { spec.type = c[i]; i += 1 }
        guard i == c.count else {
            return .failure(Problem(message: "invalid format spec \(Value.quoted(text))", hint: grammar))
        }
        if !widthDigits.isEmpty {
            guard let w = Int(widthDigits), w <= maximumWidth else {
                return .failure(Problem(message: "format width \(widthDigits) is too large", hint: "the largest width is \(maximumWidth)"))
            }
            spec.width = w
        }
        if let p = precisionDigits {
            guard let n = Int(p), n <= maximumPrecision else {
                return .failure(Problem(message: "format precision \(p) is too large", hint: "the largest precision is \(maximumPrecision)"))
            }
            spec.precision = n
        }
        if let type = spec.type {
            guard "dfFeEgGsxXob%".contains(type) else {
                let hint = type == "n" || type == "c" ? "'\(type)' is not supported in nns" : "the types are d f e g % s x o b (and F E G X)"
                return .failure(Problem(message: "unknown format type '\(type)'", hint: hint))
            }
            if "xXob".contains(type), spec.grouping == "," {
                return .failure(Problem(message: "',' cannot be used with format type '\(type)'", hint: "use '_' to group digits in fours"))
            }
            if "dxXob".contains(type), spec.precision != nil {
                return .failure(Problem(message: "a precision is not allowed with the whole-number type '\(type)'", hint: "drop the .N, or use 'f'"))
            }
        }
        return .success(spec)
    }

    private static func digits(_ c: [Character], _ i: inout Int) -> String {
        var text = ""
        while i < c.count, c[i].isASCII, c[i].isNumber { text.append(c[i]); i += 1 }
        return text
    }

    // MARK: - Formatting

    /// `value` formatted by this spec.
    func format(_ value: Value) throws -> String {
        switch value {
        case .string(let s): return try formatText(s)
        case .bool, .none, .list, .record, .layer, .network, .function, .object:
            if type == nil || type == "s" { return try formatText(value.displayText) }
        default:
            if let x = value.asNumber { return try formatNumber(x) }
            if type == nil || type == "s" { return try formatText(value.displayText) }
        }
        throw Problem(message: "format type '\(type!)' needs a number, got \(BuiltinArguments.describe(value))",
                      hint: value.kindName == "tensor" ? "format one element, as in t[0]" : nil)
    }

    private func formatText(_ text: String) throws -> String {
        if let type, type != "s" {
            throw Problem(message: "format type '\(type)' needs a number, got a string",
                          hint: "convert the text first, as in float(s)")
        }
        if sign != nil { throw Problem(message: "a sign is not allowed when formatting a string") }
        if align == "=" { throw Problem(message: "'=' alignment is not allowed when formatting a string", hint: "use <, > or ^") }
        if grouping != nil { throw Problem(message: "'\(grouping!)' grouping is not allowed when formatting a string") }
        if alternate { throw Problem(message: "'#' is not allowed when formatting a string") }
        var body = text
        if let precision, body.count > precision { body = String(body.prefix(precision)) }
        return pad(sign: "", body: body, defaultAlign: "<")
    }

    private func formatNumber(_ x: Double) throws -> String {
        var negative = x < 0 || (x == 0 && x.sign == .minus)
        let a = Swift.abs(x)
        var prefix = ""
        var body: String
        var groupSize = 3
        switch type {
        case nil:
            body = precision.map { Self.general(a, max($0, 1), upper: false, alternate: alternate, plain: true) }
                ?? NumberFormatting.format(a)
        case "d", "x", "X", "o", "b":
            guard a.isFinite, a == a.rounded() else {
                throw Problem(message: "format type '\(type!)' needs a whole number, got \(NumberFormatting.format(x))",
                              hint: "use 'f' for fractions, or int(x) to drop them")
            }
            let radix = type == "d" ? 10 : type == "o" ? 8 : type == "b" ? 2 : 16
            if radix == 10 {
                body = a < 1e18 ? String(UInt64(a)) : String(format: "%.0f", a)
            } else {
                guard a < 1.8e19 else { throw Problem(message: "\(NumberFormatting.format(x)) is too large for format type '\(type!)'") }
                body = String(UInt64(a), radix: radix, uppercase: type == "X")
                groupSize = 4
                if alternate { prefix = "0" + (type == "o" ? "o" : type == "b" ? "b" : String(type!)) }
            }
        case "s":
            throw Problem(message: "format type 's' is for text, got the number \(NumberFormatting.format(x))",
                          hint: "leave the type out, or use str(x)")
        case "f", "F":
            body = Self.special(a, upper: type == "F") ?? Self.printf(a, "f", precision ?? 6, alternate)
        case "e", "E":
            body = Self.special(a, upper: type == "E") ?? Self.printf(a, type == "E" ? "E" : "e", precision ?? 6, alternate)
        case "g", "G":
            body = Self.general(a, max(precision ?? 6, 1), upper: type == "G", alternate: alternate, plain: false)
        default:  // "%"
            body = (Self.special(a * 100, upper: false) ?? Self.printf(a * 100, "f", precision ?? 6, alternate)) + "%"
        }
        if coercesNegativeZero, negative, !body.contains(where: { $0.isNumber && $0 != "0" }) { negative = false }
        if let grouping { body = Self.group(body, with: grouping, every: groupSize) }
        let signText = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
        return pad(sign: signText + prefix, body: body, defaultAlign: ">", zeroGroup: grouping.map { ($0, groupSize) })
    }

    /// `fill`/`align`/`width` around sign + body; `=` pads between them. Zero padding of a
    /// grouped number puts separators into the zeros, as Python does (`0,001,234`).
    private func pad(sign: String, body: String, defaultAlign: Character, zeroGroup: (Character, Int)? = nil) -> String {
        var fill = self.fill ?? " "
        var align = self.align ?? defaultAlign
        if zeroPadded {
            if self.fill == nil { fill = "0" }
            if self.align == nil, defaultAlign == ">" { align = "=" }
        }
        let length = sign.count + body.count
        guard width > length else { return sign + body }
        if align == "=", fill == "0", let (separator, size) = zeroGroup {
            let integer = body.prefix(while: { Self.isDigit($0, size) || $0 == separator })
            var digits = String(integer.filter { $0 != separator })
            let rest = body.dropFirst(integer.count)
            var grouped = Self.group(digits, with: separator, every: size)
            while sign.count + grouped.count + rest.count < width {
                digits = "0" + digits
                grouped = Self.group(digits, with: separator, every: size)
            }
            return sign + grouped + rest
        }
        let padding = width - length
        switch align {
        case "<": return sign + body + String(repeating: fill, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + sign + body + String(repeating: fill, count: padding - left)
        case "=": return sign + String(repeating: fill, count: padding) + body
        default: return String(repeating: fill, count: padding) + sign + body
        }
    }

    private static func special(_ a: Double, upper: Bool) -> String? {
        if a.isNaN { return upper ? "NAN" : "nan" }
        if a.isInfinite { return upper ? "INF" : "inf" }
        return nil
    }

    private static func printf(_ a: Double, _ conversion: String, _ precision: Int, _ alternate: Bool) -> String {
        String(format: "%\(alternate ? "#" : "").\(precision)\(conversion)", a)
    }

    /// Python's `g` (and, with `plain`, its no-type float form: at least one digit after the
    /// point, and exponent notation from `exp >= p - 1`).
    private static func general(_ a: Double, _ p: Int, upper: Bool, alternate: Bool, plain: Bool) -> String {
        if let text = special(a, upper: upper) { return text }
        let scientific = printf(a, "e", p - 1, false)
        let exponent = Int(scientific.split(separator: "e").last ?? "0") ?? 0
        var text: String
        if exponent < -4 || exponent >= (plain ? p - 1 : p) {
            text = printf(a, "e", p - 1, alternate)
            if !alternate, let e = text.firstIndex(of: "e") {
                text = stripZeros(String(text[..<e])) + text[e...]
            }
        } else {
            text = printf(a, "f", max(0, p - 1 - exponent), alternate)
            if !alternate { text = stripZeros(text) }
            if plain, !text.contains(".") { text += ".0" }
        }
        return upper ? text.uppercased() : text
    }

    private static func stripZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }

    /// Whether `c` is a digit of a number grouped in `size`s (fours: x, o, b; threes: decimal).
    private static func isDigit(_ c: Character, _ size: Int) -> Bool { size == 4 ? c.isHexDigit : c.isNumber }

    /// Separators every `size` digits in the leading run of digits.
    private static func group(_ body: String, with separator: Character, every size: Int) -> String {
        let integer = body.prefix(while: { isDigit($0, size) })
        guard integer.count > size else { return body }
        var out = ""
        for (i, digit) in integer.enumerated() {
            if i > 0, (integer.count - i) % size == 0 { out.append(separator) }
            out.append(digit)
        }
        return out + body.dropFirst(integer.count)
    }
}
