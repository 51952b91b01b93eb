import Foundation

/// Running untrusted or generated programs (the fuzzer, random-program tests): a host may
/// forbid every file access, so `save`, `export`, `load`, `csv`, `idx`, `mnist`, plots and
/// graphs written to files, and `import "path"` throw instead of touching the disk.
/// Stdlib modules (`import gates`, the prelude) stay available: they are part of the language.
public extension InterpreterHost {
    var allowsFileAccess: Bool { true }
}

extension Interpreter {
    private static let noFileAccess = "file access is turned off for this program"
    private static let noFileAccessHint = "the host runs programs without reading or writing files (fuzzing, tests)"

    /// Throws a located error when the host forbids files.
    func requireFileAccess(_ what: String, at range: SourceRange) throws {
        guard host.allowsFileAccess else {
            throw error("\(what): \(Interpreter.noFileAccess)", at: range, hint: Interpreter.noFileAccessHint)
        }
    }

    /// For builtins: throws when the host forbids files.
    func requireFileAccess() throws {
        guard host.allowsFileAccess else {
            throw BuiltinError(Interpreter.noFileAccess, hint: Interpreter.noFileAccessHint)
        }
    }

    /// `resolvePath(path)`, after checking that the host allows files; for builtins.
    func filePath(_ path: String) throws -> String {
        try requireFileAccess()
        return resolvePath(path)
    }
}
