import Foundation
import NNSLanguage

/// Jupyter's Tab and Shift-Tab for `nns --serve`: completion through the REPL's `Completer`
/// (commands, names in scope, builtins, keywords), plus record fields and members after a
/// dot and file paths inside a string; inspection shows a builtin's or command's help, or a
/// value's kind, shape and summary.
extension ServeSession {
    func complete(_ code: String, cursor: Int) -> [String: Any] {
        let before = String(String.UnicodeScalarView(code.unicodeScalars.prefix(cursor)))
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        func reply(_ matches: [String], replacing count: Int) -> [String: Any] {
            ["status": "ok", "matches": matches, "cursor_start": cursor - count, "cursor_end": cursor]
        }
        if let partial = ServeSession.openString(in: line) {
            return reply(ServeSession.paths(matching: partial), replacing: partial.unicodeScalars.count)
        }
        let word = String(line.unicodeScalars.reversed().prefix(while: ServeSession.isNameScalar).reversed()
            .map(Character.init))
        let head = line.dropLast(word.count)
        if head.hasSuffix("."), let fields = members(of: ServeSession.trailingPath(head.dropLast())) {
            return reply(fields.filter { $0.hasPrefix(word) }.sorted(), replacing: word.unicodeScalars.count)
        }
        // `:tr` at the start of a line: the word is a command name with its colon.
        let isCommandName = head.drop(while: \.isWhitespace) == ":"
        let typed = isCommandName ? ":" + word : word
        let completer = REPL.completer(for: session)
        switch completer.complete(lineBeforeCursor: isCommandName ? String(line.drop(while: \.isWhitespace)) : line, word: typed) {
        case .words(let words): return reply(words, replacing: typed.unicodeScalars.count)
        case .files:
            let partial = String(line.reversed().prefix(while: { !$0.isWhitespace }).reversed())
            return reply(ServeSession.paths(matching: partial), replacing: partial.unicodeScalars.count)
        }
    }

    func inspect(_ code: String, cursor: Int) -> [String: Any] {
        let scalars = Array(code.unicodeScalars)
        var start = min(cursor, scalars.count), end = start
        while start > 0 && (ServeSession.isNameScalar(scalars[start - 1]) || scalars[start - 1] == ".") { start -= 1 }
        while end < scalars.count && ServeSession.isNameScalar(scalars[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(scalars[start..<end])).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        var text: String?
        if start > 0 && scalars[start - 1] == ":", let command = CommandRegistry.command(named: name) {
            text = command.usage + "\n" + command.help
        } else if !name.isEmpty {
            text = describe(name)
        }
        guard let text else { return ["status": "ok", "found": false] }
        return ["status": "ok", "found": true, "data": ["text/plain": text]]
    }

    /// A user value's kind, shape and summary, else the help of a builtin or stdlib name.
    private func describe(_ name: String) -> String? {
        let isBound = session.interpreter.globals.bindings.contains { $0.name == name.split(separator: ".").first.map(String.init) }
        if isBound, let value = safeValue(name) {
            var text = "\(name): \(value.kindName)  \(InterpreterSession.detail(of: value))"
            let printed = value.displayText
            if !printed.isEmpty { text += "\n\n" + (printed.count > 4000 ? String(printed.prefix(4000)) + "\n…" : printed) }
            return text
        }
        if let help = session.help(forBuiltin: name) { return help }
        if let command = CommandRegistry.command(named: name) { return command.usage + "\n" + command.help }
        return nil
    }

    /// The value of a dotted name (`h`, `net.layers`): names and members only, never a call,
    /// so completing or inspecting cannot run the user's code.
    func safeValue(_ path: String) -> Value? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ CommandInvocation.isIdentifier($0) }) else { return nil }
        return try? session.value(path)
    }

    /// Field and member names of the value at `path`, or nil when it has none.
    private func members(of path: String) -> [String]? {
        guard let value = safeValue(path) else { return nil }
        switch value {
        case .record(let record): return record.fields.map(\.name)
        case .object(let object): return object.memberNames
        case .tensor: return ["shape", "T"]
        case .parameter: return ["shape", "T", "grad", "name"]
        case .layer(let layer): return layer.parameters.map(\.name) + ["kind"]
        case .network: return ["layers"]
        default: return nil
        }
    }

    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s == "_" || (s.isASCII && (CharacterSet.alphanumerics.contains(s)))
    }

    /// The dotted name that ends `text` (`a.b` in `f(a.b`).
    static func trailingPath<S: StringProtocol>(_ text: S) -> String {
        String(text.reversed().prefix(while: { $0 == "." || $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }).reversed())
    }

    /// The text typed so far inside a string literal the line leaves open, or nil.
    static func openString(in line: String) -> String? {
        var inString = false, escaped = false, start = line.startIndex
        var index = line.startIndex
        while index < line.endIndex {
            let ch = line[index]
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "#" {
                return nil
            } else if ch == "\"" {
                inString = true
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        return inString ? String(line[start...]) : nil
    }

    /// Files and directories (with a trailing `/`) whose path starts with `partial`, relative
    /// to the current directory; hidden ones only when the name typed starts with a dot.
    static func paths(matching partial: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePrefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        let expanded = directoryPart.hasPrefix("~") ? NSString(string: directoryPart).expandingTildeInPath + "/" : directoryPart
        let directory = expanded.isEmpty ? "." : expanded
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted()
            .map { name in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
                return directoryPart + name + (isDirectory.boolValue ? "/" : "")
            }
    }
}
