import NNSLanguage

/// A notebook cell split the way the REPL would have read it: `:command` lines (continued
/// while their brackets are open) and runs of nns code between them.
public struct CellSegment: Equatable {
    /// 0-based line of the cell where the segment starts (errors keep the cell's line numbers).
    public var firstLine: Int
    public var text: String
    public var isCommand: Bool

    /// The segments of `cell`, in order; blank lines between segments are dropped. A line that
    /// starts with `:` begins a command unless it continues code whose brackets are still open
    /// (a record field such as `{lr:` on the previous line).
    public static func split(_ cell: String) -> [CellSegment] {
        let lines = cell.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func startsCommand(_ line: String) -> Bool { line.drop(while: \.isWhitespace).first == ":" }
        var segments: [CellSegment] = []
        var i = 0
        while i < lines.count {
            if lines[i].allSatisfy(\.isWhitespace) { i += 1; continue }
            var text = lines[i]
            var j = i
            if startsCommand(lines[i]) {
                while CommandInvocation.isIncomplete(text) && j + 1 < lines.count { j += 1; text += "\n" + lines[j] }
                segments.append(CellSegment(firstLine: i, text: text, isCommand: true))
            } else {
                var last = j   // the last line that is not blank
                while j + 1 < lines.count && !(startsCommand(lines[j + 1]) && !Parser.isIncomplete(text)) {
                    j += 1
                    text += "\n" + lines[j]
                    if !lines[j].allSatisfy(\.isWhitespace) { last = j }
                }
                text = lines[i...last].joined(separator: "\n")
                segments.append(CellSegment(firstLine: i, text: text, isCommand: false))
            }
            i = j + 1
        }
        return segments
    }

    /// Whether the cell needs more lines before it can run (open brackets, a trailing `|>` or
    /// operator, an unfinished command), for Jupyter's `is_complete_request`.
    public static func isIncomplete(_ cell: String) -> Bool {
        guard let last = split(cell).last else { return false }
        return last.isCommand ? CommandInvocation.isIncomplete(last.text) : Parser.isIncomplete(last.text)
    }
}
