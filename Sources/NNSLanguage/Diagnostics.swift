/// An error with a position in a source file: a parse error, or a runtime
/// error raised by the interpreter at a node's range.
///
/// Rendered by `rendered()` (the only place diagnostics are formatted) as
///
///     FILE:LINE:COL: error: MESSAGE
///     the source line
///         ^~~~
///     hint: HINT
///
/// The caret line is `^` under the first column of the range followed by `~`
/// under the rest of the range on that line. No terminal colours: the REPL
/// may colour the text itself.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var range: SourceRange
    public var hint: String?
    /// The file the range refers to; its name is the `FILE` of the header and
    /// its text supplies the quoted source line.
    public var file: SourceFile

    public init(_ message: String, at range: SourceRange, in file: SourceFile, hint: String? = nil) {
        self.message = message
        self.range = range
        self.hint = hint
        self.file = file
    }

    /// Where the error starts.
    public var location: SourceLocation { range.start }
    public var fileName: String { file.name }

    /// Whether the diagnostic can be shown as promised: it starts on a line of its file, at
    /// most one column past that line's end (where "end of input" points), ends no earlier
    /// than it starts, and says something. The fuzzer and the robustness tests hold every
    /// diagnostic to this.
    public var pointsIntoItsFile: Bool {
        guard let line = file.line(range.start.line) else { return false }
        return range.start.column >= 1 && range.start.column <= line.unicodeScalars.count + 1
            && range.end >= range.start && !message.isEmpty
    }

    /// `FILE:LINE:COL: error: MESSAGE`
    public var header: String {
        "\(file.name):\(range.start.line):\(range.start.column): error: \(message)"
    }

    /// The full multi-line text (header, source line, caret, optional hint),
    /// without a trailing newline.
    public func rendered() -> String {
        var lines = [header]
        if let source = file.line(range.start.line) {
            let (shown, shownRange) = Self.window(of: source, around: range)
            lines.append(shown)
            lines.append(Self.caretLine(under: shown, range: shownRange))
        }
        if let hint { lines.append("hint: \(hint)") }
        return lines.joined(separator: "\n")
    }

    public var description: String { rendered() }

    /// Source lines longer than this many characters are shown in part, around the caret.
    static let maximumShownColumns = 120

    /// The part of a long `source` line around `range`'s start, with `...` where it was cut,
    /// and the range moved to match; a line of ordinary length is returned whole. A 200 KB
    /// one-line program's error then shows a readable line, not the whole program.
    static func window(of source: String, around range: SourceRange) -> (String, SourceRange) {
        let scalars = Array(source.unicodeScalars)
        guard scalars.count > maximumShownColumns else { return (source, range) }
        let start = min(max(0, range.start.column - 1), scalars.count)
        let from = max(0, start - maximumShownColumns / 3)
        let to = min(scalars.count, from + maximumShownColumns)
        var text = from > 0 ? "..." : ""
        text.unicodeScalars.append(contentsOf: scalars[from..<to])
        if to < scalars.count { text += "..." }
        let shift = (from > 0 ? 3 : 0) - from
        var moved = range
        moved.start.column += shift
        if moved.end.line == moved.start.line {
            moved.end.column = min(moved.end.column + shift, to + shift + 1)
        } else {
            moved.end = SourceLocation(line: moved.start.line, column: to + shift + 1)
        }
        return (text, moved)
    }

    /// Spaces (tabs where the source has tabs, so terminals align) up to the
    /// start column, then `^` and a `~` for every further column the range
    /// covers on its first line. A range that runs past the line end stops
    /// at the end of the line.
    static func caretLine(under source: String, range: SourceRange) -> String {
        let scalars = Array(source.unicodeScalars)
        let startIndex = max(0, range.start.column - 1)
        var caret = ""
        for i in 0..<startIndex {
            caret.append(i < scalars.count && scalars[i] == "\t" ? "\t" : " ")
        }
        caret.append("^")
        let endColumn = range.end.line == range.start.line ? range.end.column : scalars.count + 1
        let width = min(endColumn, scalars.count + 1) - range.start.column
        if width > 1 { caret.append(String(repeating: "~", count: width - 1)) }
        return caret
    }
}

/// Several diagnostics thrown together (a parse reports every error it can
/// recover from, in source order).
public struct DiagnosticList: Error, Hashable, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Each diagnostic rendered, separated by newlines.
    public func rendered() -> String {
        diagnostics.map { $0.rendered() }.joined(separator: "\n")
    }

    public var description: String { rendered() }
}
