import Foundation
import NNEngine

/// An error a command reports as a plain message (already formatted for the user).
public struct CommandError: Error, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

/// What the loop does after a command.
public enum CommandOutcome { case proceed, quit }

/// A REPL command: its name, usage and help live with the code that runs it (the way
/// swift-argument-parser keeps help beside each option).
public struct REPLCommand {
    public var name: String
    /// `:grad NET X Y [loss]`
    public var usage: String
    /// One line for the `:help` overview.
    public var summary: String
    /// The full text of `:help NAME`.
    public var help: String
    public var run: (CommandInvocation, CommandContext) throws -> CommandOutcome
    /// True when the arguments end in words (FILE, NAME, TOPIC) rather than expressions: a
    /// line ending in `/` or `-` is then a file name, complete as typed.
    public var takesWords = false
}

/// What commands work with: the language session, the terminal, and what the session has
/// learned along the way (the last learning rate, for `:grad`'s update ratio).
public final class CommandContext {
    public let session: LanguageSession
    public let host: TerminalHost
    /// True when a person is at the keyboard: step-through then pauses between pages.
    public let interactive: Bool

    public init(session: LanguageSession, host: TerminalHost, interactive: Bool) {
        self.session = session
        self.host = host
        self.interactive = interactive
    }

    public func print(_ text: String) { Console.out(text.hasSuffix("\n") ? text : text + "\n") }

    /// Evaluates an argument, turning a language error into a message about that argument.
    func evaluate<T>(_ expression: String, _ body: (String) throws -> T) throws -> T {
        do { return try body(expression) } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError(session.describe(error, in: expression))
        }
    }

    func network(_ expression: String) throws -> Network { try evaluate(expression, session.network) }
    func tensor(_ expression: String) throws -> Tensor { try evaluate(expression, session.tensor) }

    /// Runs nns source made from the command's arguments and prints what it echoes.
    func runAndEcho(_ source: String) throws {
        let echoed = try evaluate(source) { try session.run($0, echo: true) }
        if let echoed, !echoed.isEmpty { print(echoed) }
    }
}

extension CommandInvocation {
    /// The positional arguments: at least `count` and at most `maximum` (default: exactly
    /// `count`), and no `key: value` options unless `options` is true. Any other word is an
    /// error that shows the usage, so `:train n data epochs 3` (no colon) is refused rather
    /// than silently training with the defaults.
    func arguments(_ count: Int, upTo maximum: Int? = nil, options allowsOptions: Bool = false,
                   usage: String, extraHint: String? = nil) throws -> [String] {
        let maximum = maximum ?? count
        if let parseError { throw CommandError("usage: \(usage)\n" + parseError) }
        if !flags.isEmpty { throw CommandError("usage: \(usage)\nunexpected '\(flags)'") }
        guard positional.count >= count else {
            throw CommandError("\(usage): expected \(count) argument\(count == 1 ? "" : "s"), got \(positional.count)")
        }
        guard positional.count <= maximum else {
            let extra = positional[maximum...].joined(separator: " ")
            var message = "usage: \(usage)\nunexpected '\(extra)'"
            if allowsOptions, positional.count >= maximum + 2,
               CommandInvocation.isIdentifier(positional[maximum]) {
                message += "; options are written with a colon: \(positional[maximum]): \(positional[maximum + 1])"
            } else if let extraHint {
                message += "; " + extraHint
            }
            throw CommandError(message)
        }
        if !allowsOptions, let first = options.first {
            throw CommandError("usage: \(usage)\nunexpected option '\(first.key):'; this command takes none")
        }
        return positional
    }

    /// Refuses options other than `keys` (which the command itself reads).
    func onlyOptions(_ keys: Set<String>, usage: String) throws {
        if let other = options.first(where: { !keys.contains($0.key) }) {
            throw CommandError("usage: \(usage)\nunexpected option '\(other.key):'; this command takes "
                + keys.sorted().map { "\($0):" }.joined(separator: ", "))
        }
    }

    /// The value of option `key`, if given.
    func option(_ key: String) -> String? { options.last { $0.key == key }?.value }
}
