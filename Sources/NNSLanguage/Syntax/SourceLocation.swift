/// A position in a source text. Both numbers are 1-based.
///
/// Columns count Unicode scalars (not bytes, not grapheme clusters): `é` written
/// as one scalar is one column, a tab is one column. Diagnostics copy tabs from the
/// source line when placing the caret, so the caret lines up in a terminal.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// `LINE:COL`
    public var description: String { "\(line):\(column)" }
}

/// A half-open span `[start, end)` of source text. A zero-width range
/// (start == end) marks a point, such as the end of the input.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = max(start, end)
    }

    /// A zero-width range at one location.
    public init(at location: SourceLocation) {
        self.start = location
        self.end = location
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    /// `LINE:COL-LINE:COL`
    public var description: String { "\(start)-\(end)" }
}

/// A named source text: a script file, a REPL entry or a `-e` argument.
public struct SourceFile: Hashable, Sendable {
    /// Shown in diagnostics as the `FILE` of `FILE:LINE:COL`.
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The text of a 1-based line without its line terminator (`\n` or `\r\n`),
    /// or nil when the file has no such line. (A `\r` not followed by `\n`
    /// is text, as it is to the lexer.)
    public func line(_ number: Int) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        var scalars = String.UnicodeScalarView()
        var terminated = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current == number { terminated = true; break }
                current += 1
                continue
            }
            if current == number { scalars.append(scalar) }
        }
        guard current == number else { return nil }
        if terminated, scalars.last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
