/// A parsed REPL command: `:train net data epochs: 5 batch: 32` →
/// name `train`, positional `["net", "data"]`, options `[("epochs", "5"), ("batch", "32")]`.
/// Arguments stay nns source text; commands evaluate them through the language.
public struct CommandInvocation: Equatable {
    public var name: String
    public var positional: [String]
    public var options: [(key: String, value: String)]
    /// Everything after the command name, untouched (for `:time EXPR`, `:trace EXPR`).
    public var rest: String

    public static func == (l: CommandInvocation, r: CommandInvocation) -> Bool {
        l.name == r.name && l.positional == r.positional && l.rest == r.rest
            && l.options.map(\.key) == r.options.map(\.key) && l.options.map(\.value) == r.options.map(\.value)
    }

    /// Parses `:name args...`; nil when `line` does not start with `:`.
    public init?(_ line: String) {
        let trimmed = line.drop(while: \.isWhitespace)
        guard trimmed.first == ":" else { return nil }
        let body = trimmed.dropFirst()
        let name = body.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        self.name = String(name)
        let restText = body.dropFirst(name.count)
        rest = String(restText.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        positional = []
        options = []
        let parts = InputScanner.splitArguments(rest)
        var i = 0
        while i < parts.count {
            let part = parts[i]
            if let colon = part.firstIndex(of: ":"), CommandInvocation.isIdentifier(part[..<colon]) {
                let key = String(part[..<colon])
                let inline = String(part[part.index(after: colon)...])
                if !inline.isEmpty {
                    options.append((key, inline))
                    i += 1
                } else {
                    options.append((key, i + 1 < parts.count ? parts[i + 1] : ""))
                    i += 2
                }
            } else {
                positional.append(part)
                i += 1
            }
        }
    }

    /// The options as nns keyword-argument source: `epochs: 5, batch: 32`.
    public var optionSource: String {
        options.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    static func isIdentifier<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
