/// A plain-text table with aligned columns: what `:grad`, `:stats` and `:vars` print.
/// Columns whose cells all look numeric are right-aligned, others left-aligned.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as lines joined by newlines, columns separated by two spaces, a rule under
    /// the header. Widths count Unicode characters, so ‖g‖ and × line up.
    public func render() -> String {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        func cell(_ row: [String], _ i: Int) -> String { i < row.count ? row[i] : "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in [header] + rows {
            for i in 0..<columns { widths[i] = max(widths[i], cell(row, i).count) }
        }
        let numeric = (0..<columns).map { i in
            !rows.isEmpty && rows.allSatisfy { TextTable.looksNumeric(cell($0, i)) }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let text = cell(row, i)
                let pad = String(repeating: " ", count: widths[i] - text.count)
                parts.append(numeric[i] ? pad + text : text + pad)
            }
            return String(parts.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }
        var out = [line(header)]
        out.append(String(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
            .reversed().drop(while: { $0 == " " }).reversed()))
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    static func looksNumeric(_ text: String) -> Bool {
        if text.isEmpty || text == "—" || text == "nan" || text == "inf" || text == "-inf" { return true }
        let body = text.hasSuffix("%") ? String(text.dropLast()) : text
        return Double(body.replacingOccurrences(of: ",", with: "")) != nil
    }
}
