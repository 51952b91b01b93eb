import NNEngine

/// f-strings and `format(x, spec)`: one spec engine (`FormatSpec`), errors located at the
/// spec inside the string.
extension Interpreter {
    func formatString(_ segments: [FormatSegment], at range: SourceRange, in environment: Environment) throws -> Value {
        var text = ""
        for segment in segments {
            switch segment {
            case .text(let piece):
                text += piece
            case .value(let expr, let spec, let specRange):
                let value = try evaluate(expr, in: environment)
                text += try formatted(value, spec: spec, at: spec.isEmpty ? expr.range : specRange)
            }
            do { try CollectionLimits.check(text.utf8.count, "string") } catch { throw located(error, at: range) }
        }
        return .string(text)
    }

    /// `value` formatted by the spec text, errors at `range`.
    func formatted(_ value: Value, spec text: String, at range: SourceRange) throws -> String {
        switch FormatSpec.parse(text) {
        case .failure(let problem):
            throw error(problem.message, at: range, hint: problem.hint)
        case .success(let spec):
            do { return try spec.format(value) } catch let problem as FormatSpec.Problem {
                throw error(problem.message, at: range, hint: problem.hint)
            }
        }
    }
}
