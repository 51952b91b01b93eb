import CReadline
import Foundation

/// Connects readline's Tab key to `Completer`: readline calls a C function with the word
/// under the cursor; we ask the completer (through `ReadlineState.completer`) and hand the
/// candidates back one by one, or let readline's own file-name generator list paths.
enum ReadlineCompletion {
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var nextIndex = 0

    /// Characters that end a word for completion: blanks, operators, brackets, commas. Not
    /// `:` (commands start with it), `/` `.` `-` `~` (paths use them) or `_`.
    static let wordBreaks = " \t\n\"'`@$><=;|&{}()[],+*%^!"

    static func install() {
        rl_basic_word_break_characters = UnsafePointer(ReadlineState.persistent(wordBreaks))
        rl_completer_word_break_characters = UnsafePointer(ReadlineState.persistent(wordBreaks))
        rl_attempted_completion_function = { text, start, end in
            rl_attempted_completion_over = 1
            let word = text.map { String(cString: $0) } ?? ""
            let buffer = rl_line_buffer.map { String(cString: $0) } ?? ""
            let before = String(decoding: Array(buffer.utf8.prefix(Int(end))), as: UTF8.self)
            switch ReadlineState.completer?(before, word) ?? .words([]) {
            case .files:
                return rl_completion_matches(text, rl_filename_completion_function)
            case .words(let words):
                ReadlineCompletion.candidates = words
                ReadlineCompletion.nextIndex = 0
                if words.isEmpty { return nil }
                return rl_completion_matches(text, { _, state in
                    if state == 0 { ReadlineCompletion.nextIndex = 0 }
                    guard ReadlineCompletion.nextIndex < ReadlineCompletion.candidates.count else { return nil }
                    defer { ReadlineCompletion.nextIndex += 1 }
                    return strdup(ReadlineCompletion.candidates[ReadlineCompletion.nextIndex])
                })
            }
        }
    }
}
