import Testing
@testable import NNSLanguage

/// Golden tests for the lexer: token kinds, positions, literals, newline rules.
@Suite struct LexerTests {
    /// Tokens as `lexeme@line:col`, newlines as `NL@line:col`, without the
    /// final end-of-input token.
    func lex(_ text: String) -> [String] {
        Lexer.tokenize(SourceFile(name: "t.nns", text: text)).tokens.dropLast().map { token in
            let place = "\(token.range.start.line):\(token.range.start.column)"
            return token.kind == .newline ? "NL@\(place)" : "\(token.lexeme)@\(place)"
        }
    }

    func kinds(_ text: String) -> [TokenKind] {
        Lexer.tokenize(SourceFile(name: "t.nns", text: text)).tokens.map(\.kind).filter { $0 != .endOfInput }
    }

    func diagnostics(_ text: String) -> [String] {
        Lexer.tokenize(SourceFile(name: "t.nns", text: text)).diagnostics.map { "\($0.location): \($0.message)" }
    }

    @Test func pipelineTokensAndPositions() {
        #expect(lex("net = linear(784, 256) |> relu") == [
            "net@1:1", "=@1:5", "linear@1:7", "(@1:13", "784@1:14", ",@1:17", "256@1:19", ")@1:22",
            "|>@1:24", "relu@1:27",
        ])
    }

    @Test func everyOperator() {
        #expect(kinds("|> + - * / % @ ^ == != < <= > >= = ( ) [ ] { } , : ; . =>") == [
            .pipe, .plus, .minus, .star, .slash, .percent, .at, .caret, .equalEqual, .bangEqual,
            .less, .lessEqual, .greater, .greaterEqual, .equal, .leftParen, .rightParen,
            .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma, .colon, .semicolon, .dot, .arrow,
        ])
    }

    @Test func keywordsAndIdentifiers() {
        let words = "fn if else for in while return import true false none and or not break continue"
        #expect(kinds(words) == Keyword.allCases.map { .keyword($0) })
        #expect(kinds("_x fnord If x_1") == [.identifier("_x"), .identifier("fnord"), .identifier("If"), .identifier("x_1")])
    }

    @Test func numbers() {
        #expect(kinds("42 0.5 .5 1e-3 1_000 2.5E+2 1_000.000_1") == [
            .number(42), .number(0.5), .number(0.5), .number(0.001), .number(1000), .number(250), .number(1000.0001),
        ])
        // `.` after a name is member access, not a number.
        #expect(kinds("a.5 (1) .5") == [.identifier("a"), .dot, .number(5), .leftParen, .number(1), .rightParen, .number(0.5)])
        #expect(kinds("a.b x.5") == [.identifier("a"), .dot, .identifier("b"), .identifier("x"), .dot, .number(5)])
    }

    @Test func malformedNumbers() {
        #expect(diagnostics("1e") == ["1:1: malformed number '1e'"])
        #expect(diagnostics("x = 1__0") == ["1:5: malformed number '1__0'"])
        #expect(diagnostics("1.2.3") == ["1:1: malformed number '1.2.3'"])
        #expect(diagnostics("12abc") == ["1:1: malformed number '12abc'"])
        #expect(diagnostics("1_") == ["1:1: malformed number '1_'"])
        #expect(diagnostics("1e999") == ["1:1: malformed number '1e999'"])
        #expect(kinds("1e") == [.invalid])
    }

    @Test func strings() {
        #expect(kinds(#""a\nb\t\"q\" \\ é""#) == [.string("a\nb\t\"q\" \\ é")])
        #expect(lex(#"f("x", "")"#) == ["f@1:1", "(@1:2", #""x"@1:3"#, ",@1:6", "\"\"@1:8", ")@1:10"])
    }

    @Test func stringErrors() {
        #expect(diagnostics("s = \"abc\nx = 1") == ["1:5: unterminated string"])
        #expect(diagnostics(#"s = "a\qb""#) == [#"1:7: unknown escape '\q' in string"#])
        #expect(kinds(#""a\qb""#) == [.string(#"a\qb"#)])
    }

    @Test func comments() {
        #expect(lex("x = 1 # one\n# whole line\ny = 2") == ["x@1:1", "=@1:3", "1@1:5", "NL@1:12", "y@3:1", "=@3:3", "2@3:5"])
    }

    @Test func unknownCharacters() {
        #expect(diagnostics("x = 3 $ 4") == ["1:7: unexpected character '$'"])
        #expect(diagnostics("a && b") == ["1:3: unexpected character '&'"])
        #expect(diagnostics("a ! b") == ["1:3: unexpected character '!'"])
        #expect(diagnostics("print('hi there')") == ["1:7: strings use double quotes"])
        #expect(kinds("print('hi')") == [.identifier("print"), .leftParen, .invalid, .rightParen])
        #expect(diagnostics("x = 1\u{7}") == ["1:6: unexpected character 'U+7'"])
        // Columns count Unicode scalars.
        #expect(diagnostics("\"é\" ¤") == ["1:5: unexpected character '¤'"])
    }

    @Test func newlinesEndStatementsOnlyOnce() {
        #expect(lex("\n\na = 1\n\n\nb = 2\n") == ["a@3:1", "=@3:3", "1@3:5", "NL@3:6", "b@6:1", "=@6:3", "2@6:5", "NL@6:6"])
        #expect(kinds("a; b\n") == [.identifier("a"), .semicolon, .identifier("b"), .newline])
        #expect(kinds("a;\nb") == [.identifier("a"), .semicolon, .identifier("b")])
    }

    @Test func newlinesInsideBracketsAreIgnored() {
        #expect(kinds("f(1,\n 2)\n[3,\n4]") == [
            .identifier("f"), .leftParen, .number(1), .comma, .number(2), .rightParen, .newline,
            .leftBracket, .number(3), .comma, .number(4), .rightBracket,
        ])
    }

    @Test func newlineAfterOperatorContinues() {
        #expect(kinds("x = 1 +\n 2\ny = a and\n b") == [
            .identifier("x"), .equal, .number(1), .plus, .number(2), .newline,
            .identifier("y"), .equal, .identifier("a"), .keyword(.and), .identifier("b"),
        ])
    }

    @Test func pipelineWithPipeAtEndOfLine() {
        #expect(lex("net = linear(2, 2) |>\n  sigmoid |>\n  softmax\nnet") == [
            "net@1:1", "=@1:5", "linear@1:7", "(@1:13", "2@1:14", ",@1:15", "2@1:17", ")@1:18", "|>@1:20",
            "sigmoid@2:3", "|>@2:11", "softmax@3:3", "NL@3:10", "net@4:1",
        ])
    }

    @Test func pipelineWithPipeAtStartOfNextLine() {
        let source = """
        net = linear(2, 2)
            |> sigmoid
            # a comment line between layers

            |> linear(2, 1)
        x = 1
        """
        #expect(kinds(source) == [
            .identifier("net"), .equal, .identifier("linear"), .leftParen, .number(2), .comma, .number(2), .rightParen,
            .pipe, .identifier("sigmoid"), .pipe, .identifier("linear"), .leftParen, .number(2), .comma, .number(1),
            .rightParen, .newline, .identifier("x"), .equal, .number(1),
        ])
    }

    @Test func elseOnNextLineContinuesIf() {
        #expect(kinds("if a {\n}\nelse {\n}") == [
            .keyword(.if), .identifier("a"), .leftBrace, .rightBrace, .keyword(.else), .leftBrace, .rightBrace,
        ])
        // A name that merely starts with "else" is a new statement.
        #expect(kinds("a\nelsewhere") == [.identifier("a"), .newline, .identifier("elsewhere")])
    }

    @Test func blockBracesKeepNewlinesRecordBracesDropThem() {
        // Block after a condition: statements inside are separated by newlines.
        #expect(kinds("if c {\n a = 1\n b = 2\n}") == [
            .keyword(.if), .identifier("c"), .leftBrace, .identifier("a"), .equal, .number(1), .newline,
            .identifier("b"), .equal, .number(2), .newline, .rightBrace,
        ])
        // Record after `=`: newlines are layout.
        #expect(kinds("r = {lr: 0.1,\n epochs: 5\n}") == [
            .identifier("r"), .equal, .leftBrace, .identifier("lr"), .colon, .number(0.1), .comma,
            .identifier("epochs"), .colon, .number(5), .rightBrace,
        ])
        // A block inside parentheses (a function literal argument) still separates statements,
        // and a record inside that block does not.
        #expect(kinds("map(xs, fn(x) {\n y = {a:\n x}\n y\n})") == [
            .identifier("map"), .leftParen, .identifier("xs"), .comma, .keyword(.fn), .leftParen, .identifier("x"),
            .rightParen, .leftBrace, .identifier("y"), .equal, .leftBrace, .identifier("a"), .colon, .identifier("x"),
            .rightBrace, .newline, .identifier("y"), .newline, .rightBrace, .rightParen,
        ])
        // `else {` opens a block.
        #expect(kinds("} else {\n a\n b\n").filter { $0 == .newline }.count == 2)
    }

    @Test func openBracketsAndContinuationAreReported() {
        let open = Lexer.tokenize(SourceFile(name: "t", text: "f(1, [2,\n"))
        #expect(open.openBrackets.map(\.kind) == [.paren, .bracket])
        #expect(open.openBrackets.map(\.token.range.start) == [SourceLocation(line: 1, column: 2), SourceLocation(line: 1, column: 6)])
        #expect(Lexer.tokenize(SourceFile(name: "t", text: "x |> # more\n")).endsWithContinuation)
        #expect(!Lexer.tokenize(SourceFile(name: "t", text: "x |> f")).endsWithContinuation)
    }

    @Test func endOfInputPosition() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "ab\ncd")).tokens
        #expect(tokens.last?.kind == .endOfInput)
        #expect(tokens.last?.range.start == SourceLocation(line: 2, column: 3))
    }

    @Test func crlfLineEndings() {
        #expect(lex("a = 1\r\nb = 2") == ["a@1:1", "=@1:3", "1@1:5", "NL@1:6", "b@2:1", "=@2:3", "2@2:5"])
    }
}
