import Foundation
import NNEngine

/// The nns language: lexer, parser and interpreter over the engine.
public enum NNSLanguage {
    public static let version = "0.1.0"

    /// Stack size for running nns code: deep (but limited) recursion in a user program needs
    /// more than a default thread's stack, and a debug build's frames are large.
    public static let interpreterStackSize = 1 << 29

    /// Runs `body` on a thread with `interpreterStackSize` of stack and waits for it, so the
    /// interpreter's recursion limits (calls, nesting) are reached long before the stack ends.
    /// The one place code moves there: the interpreter's entry points (`Interpreter.run`,
    /// `evaluate(expression:)`) call it, so hosts need not.
    public static func withInterpreterStack<T>(_ body: @escaping () throws -> T) throws -> T {
        if isOnInterpreterStack { return try body() }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            Thread.current.threadDictionary[stackMarker] = true
            box.result = Result { try body() }
            done.signal()
        }
        thread.stackSize = interpreterStackSize
        thread.start()
        done.wait()
        return try box.result!.get()
    }

    private static let stackMarker = "nns.interpreter-stack"

    /// True on a thread started by `withInterpreterStack`.
    static var isOnInterpreterStack: Bool {
        Thread.current.threadDictionary[stackMarker] as? Bool == true
    }
}

/// Carries a result from the interpreter thread back to the caller.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
