import Foundation

/// `import "path/file.nns"` (relative to the importing file) and `import name`
/// (`stdlib/name.nns`). An imported file runs once, in the global scope, so what it defines
/// becomes visible to the importer.
extension Interpreter {
    func importModule(_ target: ImportTarget, at range: SourceRange) throws {
        let url: URL
        switch target {
        case .path(let path):
            try requireFileAccess("import \"\(path)\"", at: range)
            url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : currentDirectory.appendingPathComponent(path)
        case .module(let name):
            url = try stdlib(at: range).appendingPathComponent(name + ".nns")
            guard FileManager.default.fileExists(atPath: url.path) else {
                let available = StdlibLocator.modules(in: try stdlib(at: range))
                throw error("no stdlib module named `\(name)`", at: range,
                            hint: NameSuggestions.hint(for: name, among: available) ?? "available: \(available.joined(separator: ", "))")
            }
        }
        try runImport(url.standardizedFileURL, at: range, into: globals)
    }

    /// Runs a file once into `environment`. Only a file that ran to its end counts as
    /// imported: after a failure (a parse error, a runtime error) the same import runs the
    /// file again, so fixing the file and repeating the import in the REPL works.
    func runImport(_ url: URL, at range: SourceRange, into environment: Environment) throws {
        let key = url.path
        guard !importedFiles.contains(key) else { return }
        let text: String
        switch SourceText.read(url.path) {
        case .success(let t): text = t
        case .failure(let failure): throw error("cannot import \(url.path): \(failure.reason)", at: range)
        }
        // Marked before running, so an import cycle stops; unmarked again if the file fails.
        importedFiles.insert(key)
        do {
            try runImportedText(text, url: url, into: environment)
        } catch {
            importedFiles.remove(key)
            throw error
        }
    }

    private func runImportedText(_ text: String, url: URL, into environment: Environment) throws {
        let program = try Parser.parseProgram(SourceFile(name: url.path, text: text))
        let savedFile = currentFile, savedDirectory = currentDirectory
        currentFile = program.file
        currentDirectory = url.deletingLastPathComponent()
        defer { currentFile = savedFile; currentDirectory = savedDirectory }
        for statement in program.statements {
            if case .returned = try execute(statement, in: environment) {
                throw error("`return` outside a function", at: statement.range)
            }
        }
    }

    /// The stdlib directory, found on first use.
    func stdlib(at range: SourceRange) throws -> URL {
        if let stdlibDirectory { return stdlibDirectory }
        switch StdlibLocator.locate() {
        case .found(let url):
            stdlibDirectory = url
            return url
        case .notFound(let searched):
            throw error("cannot find the nns stdlib folder", at: range,
                        hint: "looked in: " + searched.joined(separator: ", ") + "; set NNS_STDLIB to the folder holding gates.nns")
        }
    }

    /// Loads the stdlib prelude (gate data sets, `mlp`) into its own scope, on the first use
    /// of one of its names, so start-up does no work for scripts that never use them.
    func loadPrelude(at range: SourceRange) throws {
        guard preludeState == .notLoaded else { return }
        preludeState = .loading
        do {
            let directory = try stdlib(at: range)
            for module in StdlibPrelude.modules {
                try runImport(directory.appendingPathComponent(module + ".nns").standardizedFileURL, at: range, into: prelude)
            }
            preludeState = .loaded
        } catch {
            preludeState = .notLoaded
            throw error
        }
    }
}

/// The stdlib names usable without `import`, and the modules that define them.
enum StdlibPrelude {
    static let modules = ["gates", "nets"]
    static let names = ["and_gate", "or_gate", "nand_gate", "nor_gate", "not_gate", "xor_gate", "mlp"]
}

/// Finds the stdlib folder: `$NNS_STDLIB`, then next to the executable (`<exe>/../../stdlib`
/// for `swift run` and `.build/debug/nns`, `<exe>/../share/nns/stdlib` for an install), then
/// the source checkout this file was compiled from.
public enum StdlibLocator {
    public enum Result {
        case found(URL)
        case notFound(searched: [String])
    }

    public static func locate() -> Result {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["NNS_STDLIB"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let exeDirectory = executable.deletingLastPathComponent()
        candidates += [
            exeDirectory.appendingPathComponent("stdlib"),
            exeDirectory.appendingPathComponent("../share/nns/stdlib"),
            exeDirectory.appendingPathComponent("../../stdlib"),
            exeDirectory.appendingPathComponent("../../../stdlib"),
        ]
        // Sources/NNSLanguage/Runtime/Imports.swift → the checkout's stdlib/.
        let source = URL(fileURLWithPath: #filePath)
        candidates.append(source.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("stdlib"))
        for candidate in candidates {
            let url = candidate.standardizedFileURL
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("gates.nns").path) {
                return .found(url)
            }
        }
        return .notFound(searched: candidates.map { $0.standardizedFileURL.path })
    }

    /// The module names (files without `.nns`) in a stdlib folder.
    static func modules(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".nns") }.map { String($0.dropLast(4)) }.sorted()
    }
}

extension Interpreter {
    /// A data file path: `~` expanded; relative paths are taken from the current directory,
    /// as Python's `open` does (only `import` resolves next to the importing file).
    public func resolvePath(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }
}
