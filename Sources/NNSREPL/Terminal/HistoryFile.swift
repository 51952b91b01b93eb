import CReadline
import Foundation

/// The REPL's history file (`~/.nns_history`): loaded into readline at start, each entered
/// line appended at once (so a session that dies still leaves its lines), trimmed at exit.
public final class HistoryFile {
    public let path: String
    /// Lines kept when the file is trimmed.
    public let limit: Int
    private var last: String?

    public init(path: String, limit: Int = 2000) {
        self.path = path
        self.limit = limit
    }

    /// `$HOME/.nns_history`, or nil when there is no home directory.
    public static var defaultPath: String? {
        guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".nns_history")
    }

    /// Loads earlier sessions' lines into readline; creates the file when missing, so that
    /// appending works.
    public func load() {
        if FileManager.default.fileExists(atPath: path) {
            read_history(path)
            if history_length > 0, let entry = history_get(history_base + history_length - 1) {
                last = String(cString: entry.pointee.line)
            }
        } else {
            FileManager.default.createFile(atPath: path, contents: nil,
                                           attributes: [.posixPermissions: 0o600])
        }
    }

    /// Adds a line to readline's history and the file; blank lines and immediate repeats are
    /// skipped.
    public func add(_ line: String) {
        guard HistoryFile.shouldRecord(line, after: last) else { return }
        last = line
        add_history(line)
        if append_history(1, path) != 0 {
            // The file vanished or is unwritable: recreate it with the whole history.
            write_history(path)
        }
    }

    /// Trims the file to the last `limit` lines.
    public func save() {
        history_truncate_file(path, Int32(limit))
    }

    /// Whether `line` belongs in the history given the previous entry.
    static func shouldRecord(_ line: String, after previous: String?) -> Bool {
        !line.allSatisfy(\.isWhitespace) && line != previous
    }
}
