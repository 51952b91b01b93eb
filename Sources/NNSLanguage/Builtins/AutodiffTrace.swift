import NNEngine

/// What `trace` returns: prints as the trace table(s) in the notes' layout; `t.value` is f's
/// value, `t.gradient` the derivative (as `grad` gives it; none for a tensor result),
/// `t.forward` / `t.reverse` the rows as records, and `t[i]` row i of the (first) table.
final class EvaluationTrace: ObjectValue {
    let text: String
    let value: Value
    let gradient: Value
    let forwardRows: [TraceRow]
    let reverseRows: [TraceRow]

    init(_ evaluation: AutodiffEvaluation, mode: String, seed: Int, functionName: String) throws {
        value = evaluation.result
        let point = TraceText.point(names: evaluation.names, values: evaluation.inputs.map(\.value))
        guard let output = evaluation.output else {
            gradient = try evaluation.gradientValue()
            text = "\(functionName) does not depend on its inputs at \(point): its derivative is 0"
            forwardRows = []
            reverseRows = []
            return
        }
        gradient = output.value.count == 1 ? try evaluation.gradientValue() : .none
        let tape = evaluation.tape
        forwardRows = mode == "reverse" ? [] : try tape.forwardTrace(seed: evaluation.inputs[seed], output: output)
        reverseRows = mode == "forward" ? [] : try tape.reverseTrace(output: output)
        var parts = [String]()
        if mode != "reverse" {
            parts.append(TraceText.forward(forwardRows, point: point, seedName: evaluation.names[seed], functionName: functionName))
        }
        if mode != "forward" {
            parts.append(TraceText.reverse(reverseRows, point: point, functionName: functionName))
        }
        text = parts.joined(separator: "\n\n")
    }

    var kindName: String { "trace" }
    var displayText: String { text }
    var memberNames: [String] { ["value", "gradient", "forward", "reverse", "rows", "text"] }

    private var rows: [TraceRow] { forwardRows.isEmpty ? reverseRows : forwardRows }
    var length: Int? { rows.count }
    func element(at index: Int) throws -> Value? { Self.record(rows[index]) }

    func member(_ name: String) -> Value? {
        switch name {
        case "value": return value
        case "gradient": return gradient
        case "text": return .string(text)
        case "rows": return .list(rows.map(Self.record))
        case "forward": return .list(forwardRows.map(Self.record))
        case "reverse": return .list(reverseRows.map(Self.record))
        default: return nil
        }
    }

    func jsonText(_ encoder: JSONEncoderContext) -> String {
        encoder.encode(.record([("value", value), ("gradient", gradient),
                                ("forward", .list(forwardRows.map(Self.record))),
                                ("reverse", .list(reverseRows.map(Self.record)))]))
    }

    /// `{v: "v₂", expression: "sin v₁", value:, derivative_rule: "v̇₂ = cos v₁ · v̇₁", derivative:}`.
    static func record(_ row: TraceRow) -> Value {
        .record([("v", .string(row.symbol)), ("expression", .string(row.expression)),
                 ("value", Value.fromTensorElement(row.value)),
                 ("derivative_rule", .string(row.derivativeSymbol + " = " + row.derivativeExpression)),
                 ("derivative", Value.fromTensorElement(row.derivative))])
    }
}
