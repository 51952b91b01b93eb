import NNEngine
import Testing
@testable import NNSLanguage

/// Inputs that once crashed, trapped or hung nns (found by fuzz/run.sh or by hand); each
/// is also a seed in fuzz/seeds/. Each must now run, or fail with a placed diagnostic.
@Suite struct RegressionTests {
    /// Runs `source` in a fresh interpreter; the error, if any, as a diagnostic.
    func run(_ source: String) -> (value: Value?, diagnostic: Diagnostic?) {
        let interpreter = Interpreter(host: CapturingHost())
        do {
            return (try interpreter.run(source: source, name: "r.nns").finalValue, nil)
        } catch let d as Diagnostic {
            return (nil, d)
        } catch {
            Issue.record("not a diagnostic: \(error)")
            return (nil, nil)
        }
    }

    /// fuzz/seeds/regress-boundary-huge.nns: one example at (1e38, -1e38) makes the view
    /// zero wide, and the example's cell was NaN converted to Int (a trap).
    @Test func plotBoundaryWithZeroWidthViewDrawsText() {
        let (value, diagnostic) = run("plot_boundary(linear(2, 2, init: \"zeros\"), dataset(tensor([[1e38, -1e38]]), tensor([1])))")
        #expect(diagnostic == nil, "\(diagnostic?.rendered() ?? "")")
        #expect(value?.displayText.hasPrefix("decision regions") == true)
    }

    /// fuzz/seeds/regress-doubling.nns: `s = s + s` in a loop ran out of memory (an abort).
    /// Strings and lists built by `+` and `append` are now bounded like `list(range(n))`.
    @Test func stringsAndListsHaveALengthLimit() throws {
        let limit = CollectionLimits.maximumLength
        #expect(limit == TensorLimits.maximumElements / 8)
        try CollectionLimits.check(limit, "string")
        #expect(throws: BuiltinError.self) { try CollectionLimits.check(limit + 1, "string") }
        #expect(throws: BuiltinError.self) { try CollectionLimits.check(limit + 1, "list") }
        // Ordinary concatenation and append are untouched.
        #expect(run(#""ab" + "c""#).value?.displayText == "abc")
        #expect(run("x = [1]; append(x, 2); x + [3]").value?.displayText == "[1, 2, 3]")
    }
}
