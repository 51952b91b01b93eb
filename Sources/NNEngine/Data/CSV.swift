import Foundation

/// Reading a data set from comma-separated values (RFC 4180: fields may be quoted with `"`,
/// a quote inside one doubled, and may then hold commas and newlines).
///
/// One column is the target; every other column is a numeric feature. The target column may
/// hold numbers (whole numbers ≥ 0 become class labels, anything else regression targets) or
/// words (class names, numbered in sorted order like scikit-learn's `LabelEncoder`, and kept in
/// `Dataset.classNames`). Blank lines are skipped. A missing cell (empty, or `NA`, `N/A`,
/// `NaN`, `?` as pandas and the UCI files write them) is an error by default; `missing:
/// .drop` leaves out rows that have one, `.mean` fills a feature cell with its column's mean
/// (a missing target still drops nothing: it is an error). Errors name the file, line and
/// column: `data.csv:14:3: not a number: "abc"`.
public enum CSV {
    /// Which column holds the target.
    public enum Column: Sendable, Equatable {
        /// A header name.
        case name(String)
        /// A 0-based position; negative counts from the end (−1 is the last column).
        case index(Int)
    }

    /// What to do with a missing cell.
    public enum Missing: String, Sendable, CaseIterable {
        /// Stop with an error naming the cell.
        case error
        /// Leave out every row with a missing cell.
        case drop
        /// Fill a missing feature with the mean of its column's present values.
        case mean
    }

    /// `csv(path, target: column, header: true)`. `target` defaults to the last column.
    public static func read(_ path: String, target: Column? = nil, header: Bool = true,
                            delimiter: UInt8 = UInt8(ascii: ","), missing: Missing = .error) throws -> Dataset {
        let bytes = try readFile(path)
        return try parse(bytes, name: (path as NSString).lastPathComponent, target: target, header: header,
                         delimiter: delimiter, missing: missing)
    }

    /// A parsed field with the position where it starts.
    struct Field {
        var text: String
        var line: Int
        var column: Int
        var quoted: Bool
    }

    /// Splits the bytes into records of fields, tracking line and column numbers.
    static func records(_ bytes: [UInt8], name: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [[Field]] {
        var records: [[Field]] = []
        var record: [Field] = []
        var field: [UInt8] = []
        var line = 1
        var fieldLine = 1
        var inQuotes = false
        var wasQuoted = false
        var i = 0
        let n = bytes.count
        func endField() {
            var text = String(decoding: field, as: UTF8.self)
            if !wasQuoted { text = text.trimmingCharacters(in: .whitespaces) }
            record.append(Field(text: text, line: fieldLine, column: record.count + 1, quoted: wasQuoted))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            // A line holding nothing at all is skipped.
            if !(record.count == 1 && record[0].text.isEmpty && !record[0].quoted) { records.append(record) }
            record = []
        }
        // Skip a UTF-8 byte-order mark.
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < n {
            let c = bytes[i]
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(c); i += 2; continue
                    }
                    inQuotes = false
                    // Only spaces may follow a closing quote before the separator.
                    var j = i + 1
                    while j < n && (bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t")) { j += 1 }
                    if j < n && bytes[j] != delimiter && bytes[j] != 10 && bytes[j] != 13 {
                        throw EngineError("\(name):\(line):\(record.count + 1): unexpected text after a closing quote",
                                          hint: "a quote inside a quoted field is written twice: \"\"")
                    }
                    i = j
                    continue
                }
                if c == 10 { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case delimiter:
                endField()
                fieldLine = line
            case 10, 13:
                endRecord()
                if c == 13 && i + 1 < n && bytes[i + 1] == 10 { i += 1 }
                line += 1
                fieldLine = line
            case UInt8(ascii: "\"") where field.allSatisfy({ ($0 == 32 || $0 == 9) && $0 != delimiter }):
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                wasQuoted = true
                fieldLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw EngineError("\(name):\(fieldLine):\(record.count + 1): a quoted field is never closed",
                              hint: "add the closing \"")
        }
        if !field.isEmpty || !record.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// Parses CSV bytes; `name` prefixes error messages.
    public static func parse(_ bytes: [UInt8], name: String, target: Column? = nil, header: Bool = true,
                             delimiter: UInt8 = UInt8(ascii: ","), missing: Missing = .error) throws -> Dataset {
        var rows = try records(bytes, name: name, delimiter: delimiter)
        var names: [String]? = nil
        if header {
            guard !rows.isEmpty else { throw EngineError("\(name): the file is empty (no header line)") }
            names = rows.removeFirst().map(\.text)
        }
        guard let first = rows.first else {
            throw EngineError("\(name): no data rows", hint: header ? "the file holds only a header line" : nil)
        }
        let width = names?.count ?? first.count
        guard width >= 2 else {
            throw EngineError("\(name): needs at least two columns (features and a target), found \(width)",
                              hint: delimiter == UInt8(ascii: ",") ? "is the file separated by commas? For semicolons or tabs give delimiter: \";\" or \"\\t\"" : "is the delimiter right?")
        }
        let targetIndex: Int
        switch target ?? .index(-1) {
        case .name(let wanted):
            guard let names else {
                throw EngineError("\(name): target column \"\(wanted)\" named but the file has no header",
                                  hint: "give the target as a column number, e.g. target: 0")
            }
            guard let found = names.firstIndex(of: wanted) else {
                throw EngineError("\(name): no column named \"\(wanted)\"; the columns are: " + names.joined(separator: ", "))
            }
            targetIndex = found
        case .index(let k):
            let resolved = k < 0 ? width + k : k
            guard resolved >= 0, resolved < width else {
                throw EngineError("\(name): target column \(k) does not exist; the file has \(width) columns (0…\(width - 1))")
            }
            targetIndex = resolved
        }
        var features = [Float]()
        features.reserveCapacity(rows.count * (width - 1))
        var targetCells: [Field] = []
        targetCells.reserveCapacity(rows.count)
        for row in rows {
            guard row.count == width else {
                throw EngineError("\(name):\(row[0].line): expected \(width) fields\(header ? " (as in the header)" : "") but found \(row.count)",
                                  hint: "every row needs the same number of \(delimiter == UInt8(ascii: ",") ? "comma" : "delimiter")-separated fields")
            }
            if missing == .drop, row.contains(where: isMissing) { continue }
            for (c, cell) in row.enumerated() {
                if c == targetIndex { targetCells.append(cell); continue }
                features.append(missing == .mean && isMissing(cell) ? .nan : try number(cell, name: name))
            }
        }
        guard !targetCells.isEmpty else {
            throw EngineError("\(name): every row has a missing cell, so missing: \"drop\" leaves no data")
        }
        if missing == .mean { fillWithColumnMeans(&features, width: width - 1) }
        let targets: Dataset.Targets
        var classNames: [String]? = nil
        let numericTargets = targetCells.map { Float($0.text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if numericTargets.allSatisfy({ $0 != nil }) {
            let values = try targetCells.map { try number($0, name: name) }
            if let labels = Dataset.classLabels(values) {
                targets = .labels(labels, classCount: Int(labels.max() ?? 0) + 1)
            } else {
                targets = .matrix(values, width: 1)
            }
        } else {
            if let empty = targetCells.first(where: isMissing) {
                throw EngineError("\(name):\(empty.line):\(empty.column): missing target cell",
                                  hint: "missing: \"drop\" leaves out rows with missing cells")
            }
            let classes = Array(Set(targetCells.map(\.text))).sorted()
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
            targets = .labels(targetCells.map { index[$0.text]! }, classCount: classes.count)
            classNames = classes
        }
        var data = try Dataset(inputs: .floats(features), inputWidth: width - 1, targets: targets)
        data.classNames = classNames
        if let names {
            data.featureNames = names.enumerated().filter { $0.offset != targetIndex }.map(\.element)
        }
        return data
    }

    /// Whether a cell stands for a missing value: empty, or NA, N/A, NaN, ? (unquoted).
    static func isMissing(_ cell: Field) -> Bool {
        let text = cell.text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return text.isEmpty || (!cell.quoted && ["na", "n/a", "nan", "?"].contains(text))
    }

    /// Replaces each NaN with the mean of the other values in its column (0 when none has one).
    static func fillWithColumnMeans(_ features: inout [Float], width: Int) {
        guard width > 0 else { return }
        let rows = features.count / width
        for c in 0..<width {
            var total = 0.0, count = 0
            for r in 0..<rows where !features[r * width + c].isNaN {
                total += Double(features[r * width + c])
                count += 1
            }
            let mean = Float(count > 0 ? total / Double(count) : 0)
            for r in 0..<rows where features[r * width + c].isNaN { features[r * width + c] = mean }
        }
    }

    private static func number(_ cell: Field, name: String) throws -> Float {
        let where_ = "\(name):\(cell.line):\(cell.column)"
        let text = cell.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !isMissing(cell) else {
            throw EngineError("\(where_): missing value\(text.isEmpty ? " (empty cell)" : ": \"\(cell.text)\"")",
                              hint: "csv(..., missing: \"drop\") leaves out such rows; missing: \"mean\" fills in the column's mean")
        }
        guard let v = Float(text) else {
            throw EngineError("\(where_): not a number: \"\(cell.text)\"")
        }
        guard v.isFinite else {
            throw EngineError("\(where_): not a finite number: \"\(cell.text)\"")
        }
        return v
    }
}
