import Testing
@testable import NNSLanguage

/// Exact rendering of diagnostics: `FILE:LINE:COL: error: MESSAGE`, the source
/// line, the caret under the spot, and the hint.
@Suite struct DiagnosticTests {
    /// All diagnostics of parsing `text` as file `t.nns`, rendered.
    func errors(_ text: String) -> String {
        DiagnosticList(Parser.parse(text, fileName: "t.nns").diagnostics).rendered()
    }

    @Test func renderingWithRangeAndHint() {
        let file = SourceFile(name: "demo.nns", text: "a = 1\nnet = linear(2, 2) |> relu\n")
        let range = SourceRange(start: SourceLocation(line: 2, column: 7), end: SourceLocation(line: 2, column: 19))
        let diagnostic = Diagnostic("something is wrong", at: range, in: file, hint: "do it differently")
        #expect(diagnostic.rendered() == """
        demo.nns:2:7: error: something is wrong
        net = linear(2, 2) |> relu
              ^~~~~~~~~~~~
        hint: do it differently
        """)
        #expect(diagnostic.location == SourceLocation(line: 2, column: 7))
        #expect(diagnostic.fileName == "demo.nns")
    }

    @Test func caretFollowsTabsAndStopsAtLineEnd() {
        let file = SourceFile(name: "f", text: "\tx = \"abc\n")
        let range = SourceRange(start: SourceLocation(line: 1, column: 6), end: SourceLocation(line: 3, column: 1))
        #expect(Diagnostic("m", at: range, in: file).rendered() == "f:1:6: error: m\n\tx = \"abc\n\t    ^~~~")
    }

    @Test func sourceLines() {
        let file = SourceFile(name: "f", text: "a\r\n\nb\rc\r")
        #expect(file.line(0) == nil)
        #expect(file.line(1) == "a")
        #expect(file.line(2) == "")
        #expect(file.line(3) == "b\rc\r")
        #expect(file.line(4) == nil)
        #expect(SourceFile(name: "f", text: "x\n").line(2) == "")
    }

    @Test func pointAtEndOfLine() {
        let file = SourceFile(name: "f", text: "x = ")
        let diagnostic = Diagnostic("m", at: SourceRange(at: SourceLocation(line: 1, column: 5)), in: file)
        #expect(diagnostic.rendered() == "f:1:5: error: m\nx = \n    ^")
    }

    @Test func pointsIntoItsFileOnlyWithinItsLines() {
        let file = SourceFile(name: "f", text: "x = \nab")
        func placed(_ line: Int, _ column: Int, endColumn: Int? = nil, message: String = "m") -> Bool {
            var diagnostic = Diagnostic(message, at: SourceRange(at: SourceLocation(line: line, column: column)), in: file)
            // Set directly: SourceRange's initialiser would not let the end come first.
            diagnostic.range.end = SourceLocation(line: line, column: endColumn ?? column)
            return diagnostic.pointsIntoItsFile
        }
        #expect(placed(1, 1) && placed(1, 5) && placed(2, 3))   // one past a line's end is allowed
        #expect(!placed(1, 6) && !placed(2, 4))                  // further is not
        #expect(!placed(0, 1) && !placed(3, 1) && !placed(1, 0)) // no such line or column
        #expect(!placed(1, 3, endColumn: 2))                      // ends before it starts
        #expect(!placed(1, 1, message: ""))                       // says nothing
    }

    @Test func unclosedParenthesisPointsAtOpener() {
        #expect(errors("y = 2\nx = (1 + 2") == """
        t.nns:2:5: error: unclosed '('
        x = (1 + 2
            ^
        hint: add ')' to close it
        """)
    }

    @Test func missingClosingParenthesisBeforeNextStatement() {
        #expect(errors("x = f(1, 2\ny = 3") == """
        t.nns:2:1: error: expected ',' or ')' after the argument but found name 'y'
        y = 3
        ^
        hint: is a ')' missing? the '(' at 1:6 is still open
        """)
    }

    @Test func assignmentInCondition() {
        #expect(errors("if x = 3 {\n  y = 1\n}") == """
        t.nns:1:6: error: expected '{' after the 'if' condition but found '='
        if x = 3 {
             ^
        hint: use '==' to compare; '=' assigns
        """)
    }

    @Test func missingComma() {
        #expect(errors("f(1 2)") == """
        t.nns:1:5: error: expected ',' or ')' after the argument but found number 2
        f(1 2)
            ^
        hint: separate items with ','; the '(' at 1:2 is still open
        """)
    }

    @Test func invalidAssignmentTargetUnderlinesIt() {
        #expect(errors("f(x) = 3") == """
        t.nns:1:1: error: cannot assign to a function call
        f(x) = 3
        ^~~~
        hint: assign to a name, an element a[i] or a member a.name (or use '==' to compare)
        """)
    }

    @Test func lexicalErrorsAreNotRepeatedByTheParser() {
        #expect(errors("x = 3 $ 4") == """
        t.nns:1:7: error: unexpected character '$'
        x = 3 $ 4
              ^
        """)
        #expect(errors("a = 1e") == """
        t.nns:1:5: error: malformed number '1e'
        a = 1e
            ^~
        hint: an exponent needs digits, as in 1e-3
        """)
        #expect(errors("a && b") == "t.nns:1:3: error: unexpected character '&'\na && b\n  ^\nhint: use 'and'")
    }

    @Test func unterminatedString() {
        #expect(errors("print(\"hello)\nx = 1") == """
        t.nns:1:7: error: unterminated string
        print("hello)
              ^~~~~~~
        hint: close it with '"' on the same line; write \\n for a line break
        """)
    }

    @Test func severalErrorsAreCollected() {
        let diagnostics = Parser.parse("x = )\ny = 2\nz = * 3\nfn 3(x) { }\nw = [1, 2", fileName: "t.nns").diagnostics
        #expect(diagnostics.map(\.header) == [
            "t.nns:1:5: error: expected an expression but found ')'",
            "t.nns:3:5: error: expected an expression but found '*'",
            "t.nns:4:4: error: expected a function name after 'fn' but found number 3",
            "t.nns:5:5: error: unclosed '['",
        ])
    }

    @Test func recoveryInsideBlocksKeepsGoing() {
        let result = Parser.parse("if a {\n  x = (1 +\n  y = 2\n}\nz = 3 +\n", fileName: "t.nns")
        #expect(result.diagnostics.map(\.header) == [
            "t.nns:3:5: error: expected ')' but found '='",
            "t.nns:6:1: error: expected an expression but found end of input",
        ])
        #expect(result.diagnostics.first?.hint == "to close the '(' at 2:7")
        #expect(result.diagnostics.last?.header == "t.nns:6:1: error: expected an expression but found end of input")
    }

    @Test func returnOutsideFunction() {
        #expect(errors("return 1") == """
        t.nns:1:1: error: 'return' outside a function
        return 1
        ^~~~~~
        hint: 'return' can only be used inside fn ... { }
        """)
        #expect(Parser.parse("fn f() { if a { return 1 } }").succeeded)
    }

    @Test func helpfulHints() {
        func hint(_ text: String) -> String? { Parser.parse(text).diagnostics.first?.hint }
        #expect(hint("x += 1") == "nns has no '+='; write x = x + y")
        #expect(hint("2 ** 3") == "use '^' for powers, as in 2^3")
        #expect(hint("if a {\n} elif b {\n}") == "write 'else if'")
        #expect(hint("fn = 3") == "'fn' is a reserved word; choose another name")
        #expect(hint("for in = 3") == "'in' is a reserved word; choose another name")
        #expect(hint("for i range(3) { }") == "write: for x in range(10) { ... }")
        #expect(hint("if a\n{\n}") == "put the '{' on the same line as the 'if' condition")
        #expect(hint("fn f(x)\n{\n}") == "put the '{' on the same line as the parameter list")
        #expect(hint("fn f(x) x") == "write fn(x) => x + 1 or fn(x) { return x + 1 }")
        #expect(hint("f(a: 1, 2)") == "put positional arguments first: f(a, b, key: value)")
        #expect(hint("a < b < c") == "write a < b and b < c")
        #expect(hint("|> relu") == "'|>' needs a value on its left (in the REPL, end the previous line with '|>' to continue it)")
        #expect(hint("x = 1\nelse { }") == "'else' must follow the '}' of an if block")
        #expect(hint("[1, 2 3]") == "separate items with ','; the '[' at 1:1 is still open")
        #expect(hint("fn f(a = 1, b) { }") == "parameters with defaults must come after those without")
    }

    @Test func duplicates() {
        func messages(_ text: String) -> [String] { Parser.parse(text).diagnostics.map(\.message) }
        #expect(messages("{a: 1, a: 2}") == ["duplicate key 'a' in record"])
        #expect(messages("f(k: 1, k: 2)") == ["keyword argument 'k' given twice"])
        #expect(messages("fn(x, x) => x") == ["duplicate parameter 'x'"])
    }

    @Test func tooDeepNestingIsADiagnosticNotACrash() {
        for source in [
            String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000),
            String(repeating: "[", count: 5000),
            String(repeating: "-", count: 5000) + "1",
            String(repeating: "not ", count: 5000) + "a",
            "x = 1" + String(repeating: " + 1", count: 20_000),
            "x = a" + String(repeating: ".b", count: 20_000),
            "x = 2" + String(repeating: " ^ 2", count: 5000),
            String(repeating: "if a {\n", count: 5000),
            String(repeating: "fn(x) => ", count: 5000) + "x",
        ] {
            let result = Parser.parse(source, fileName: "deep.nns")
            #expect(!result.succeeded)
            #expect(result.diagnostics.contains {
                $0.message.hasPrefix("too deeply nested") || $0.message.hasPrefix("too long a chain of operators")
            })
        }
    }
}
