import NNEngine

/// Reading nns source files (scripts and imports): only regular files (a FIFO or device is
/// refused, never waited on), and only valid UTF-8.
enum SourceText {
    /// The file's text, or the reason it cannot be had ("it is a FIFO (named pipe), not a
    /// regular file", "No such file or directory", "not UTF-8 text").
    static func read(_ path: String) -> Result<String, SourceTextError> {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.contents(of: path)
        } catch let error as EngineError {
            // The engine's message starts with "cannot open PATH: " or "cannot read PATH: ".
            let reason = error.message.components(separatedBy: "\(path): ").dropFirst().joined(separator: "\(path): ")
            return .failure(SourceTextError(reason: reason.isEmpty ? error.message : reason))
        } catch {
            return .failure(SourceTextError(reason: "\(error)"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(SourceTextError(reason: "not UTF-8 text"))
        }
        return .success(text)
    }
}

/// Why a source file could not be read.
struct SourceTextError: Error {
    var reason: String
}
