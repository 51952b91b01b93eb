extension String {
    /// This text as a double-quoted JSON string literal: `"`, `\`, newline, carriage return and
    /// tab get their short escapes, other control characters `\u00XX`; everything else is
    /// kept as is (JSON is UTF-8). The result is also a valid Python string literal, which is
    /// why the PyTorch exporter uses it too.
    public var jsonLiteral: String {
        var out = "\""
        out.reserveCapacity(utf8.count + 2)
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
