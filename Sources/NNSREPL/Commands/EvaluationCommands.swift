import Foundation
import NNSLanguage

/// `:trace` and `:time`: looking at one evaluation.
enum EvaluationCommands {
    static let all: [REPLCommand] = [trace, time]

    static let trace = REPLCommand(
        name: "trace", usage: ":trace EXPR", summary: "the evaluation trace of a function call",
        help: """
        :trace f(1.0, 2.0)                 the trace of f at (1.0, 2.0) in both modes: each
                                           intermediate vᵢ, its operation, value, tangent v̇ᵢ
                                           (forward) and adjoint v̄ᵢ (reverse)
        :trace f(1.0) mode: "forward"      one mode only ("forward" or "reverse")
        Same as trace(f, 1.0, 2.0, mode: "both").
        """,
        run: { invocation, context in
            let usage = ":trace f(ARGS) [mode: \"forward\"|\"reverse\"|\"both\"]"
            guard let call = try invocation.arguments(0, upTo: 1, options: true, usage: usage).first,
                  let (callee, arguments) = splitCall(call) else {
                throw CommandError(":trace needs a function call, e.g. :trace f(1.0)")
            }
            var source = "trace(" + callee
            if !arguments.trimmingCharacters(in: .whitespaces).isEmpty { source += ", " + arguments }
            // Both modes unless the user picked one: the lesson is the two tables side by side.
            let picksMode = invocation.option("mode") != nil
            if !picksMode { source += ", mode: \"both\"" }
            if !invocation.options.isEmpty { source += ", " + invocation.optionSource }
            try context.runAndEcho(source + ")")
            return .proceed
        })

    /// `grad(f)(1.0)` → (`grad(f)`, `1.0`): the callee and the arguments of the final call,
    /// as the parser reads them; nil when `text` is not a call.
    static func splitCall(_ text: String) -> (String, String)? {
        let file = SourceFile(name: "<command>", text: text)
        guard let expr = try? Parser.parseExpression(file), case .call(let callee, let arguments) = expr.kind else { return nil }
        let argumentText = arguments.map { argument in
            (argument.label.map { $0.name + ": " } ?? "") + file.text(of: argument.value.range)
        }
        return (file.text(of: callee.range), argumentText.joined(separator: ", "))
    }

    static let time = REPLCommand(
        name: "time", usage: ":time EXPR", summary: "evaluate and report the wall-clock time",
        help: "Evaluates EXPR (any nns code), prints its value and how long it took.",
        run: { invocation, context in
            guard !invocation.rest.isEmpty else { throw CommandError("usage: :time EXPR") }
            let start = DispatchTime.now().uptimeNanoseconds
            try context.runAndEcho(invocation.rest)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            context.print("time: " + formatSeconds(seconds))
            return .proceed
        })

    static func formatSeconds(_ s: Double) -> String {
        if s < 1e-3 { return NumberFormat.significant(s * 1e6) + " µs" }
        if s < 1 { return NumberFormat.significant(s * 1e3) + " ms" }
        return NumberFormat.significant(s) + " s"
    }
}
