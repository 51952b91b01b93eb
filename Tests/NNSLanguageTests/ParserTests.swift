import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NNSLanguage

/// Golden tests for the parser, through the S-expression printer.
@Suite struct ParserTests {
    /// The program's S-expression; records an issue when the parse failed.
    func parse(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let result = Parser.parse(text, fileName: "t.nns")
        #expect(result.diagnostics.isEmpty, "\(DiagnosticList(result.diagnostics))", sourceLocation: sourceLocation)
        return result.program.sExpression
    }

    @Test func literals() {
        #expect(parse(#"42; 0.5; "hi\n"; true; false; none; x"#)
            == "(silent 42)\n(silent 0.5)\n(silent \"hi\\n\")\n(silent true)\n(silent false)\n(silent none)\nx")
    }

    @Test func precedenceOfArithmetic() {
        #expect(parse("1 + 2 * 3") == "(+ 1 (* 2 3))")
        #expect(parse("(1 + 2) * 3") == "(* (+ 1 2) 3)")
        #expect(parse("1 - 2 - 3") == "(- (- 1 2) 3)")
        #expect(parse("8 / 4 % 3 * 2") == "(* (% (/ 8 4) 3) 2)")
        #expect(parse("x @ W + b") == "(+ (@ x W) b)")
    }

    @Test func powerAndUnaryMinus() {
        #expect(parse("-2 ^ 2") == "(- (^ 2 2))")
        #expect(parse("2 ^ 3 ^ 2") == "(^ 2 (^ 3 2))")
        #expect(parse("2 ^ -1") == "(^ 2 (- 1))")
        #expect(parse("--x") == "(- (- x))")
        #expect(parse("-a * b") == "(* (- a) b)")
        #expect(parse("a.b ^ 2") == "(^ (. a b) 2)")
    }

    @Test func logicAndComparison() {
        #expect(parse("not a == b") == "(not (== a b))")
        #expect(parse("a or b and c") == "(or a (and b c))")
        #expect(parse("not a and not b") == "(and (not a) (not b))")
        #expect(parse("a < b + 1 or c >= d") == "(or (< a (+ b 1)) (>= c d))")
        #expect(parse("a != b") == "(!= a b)")
    }

    @Test func pipes() {
        #expect(parse("a |> f |> g") == "(pipe (pipe a f) g)")
        #expect(parse("x |> f or g") == "(pipe x (or f g))")
        #expect(parse("net = linear(784, 256) |> relu |> linear(256, 10) |> softmax")
            == "(= net (pipe (pipe (pipe (call linear 784 256) relu) (call linear 256 10)) softmax))")
        #expect(parse("[0.5, 0.8] |> net") == "(pipe (list 0.5 0.8) net)")
    }

    @Test func multiLinePipeline() {
        let source = """
        net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2])
            |> sigmoid
            |> linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3])
            |> sigmoid
        [0.5, 0.8] |> net
        """
        #expect(parse(source) == """
        (= net (pipe (pipe (pipe (call linear 2 2 weight:(list (list 0.2 0.4) (list 0.3 0.1)) bias:(list 0.1 0.2)) \
        sigmoid) (call linear 2 1 weight:(list (list 0.6 0.5)) bias:(list 0.3))) sigmoid))
        (pipe (list 0.5 0.8) net)
        """)
    }

    @Test func callsIndexMember() {
        #expect(parse("f()") == "(call f)")
        #expect(parse("train(net, data, epochs: 5, lr: 0.1,)") == "(call train net data epochs:5 lr:0.1)")
        #expect(parse("a[i]") == "(index a i)")
        #expect(parse("a[i, j]") == "(index a i j)")
        #expect(parse("net[0].weight.grad") == "(. (. (index net 0) weight) grad)")
        #expect(parse("f(x)(y)[0]") == "(index (call (call f x) y) 0)")
        #expect(parse("x.shape[0]") == "(index (. x shape) 0)")
    }

    @Test func listsAndRecords() {
        #expect(parse("[]") == "(list)")
        #expect(parse("[1, [2, 3],]") == "(list 1 (list 2 3))")
        #expect(parse("x = {}") == "(= x (record))")
        #expect(parse("{lr: 0.1, epochs: 5}") == "(record (lr 0.1) (epochs 5))")
        #expect(parse("r = {lr: 0.1,\n     epochs: 5,\n}") == "(= r (record (lr 0.1) (epochs 5)))")
        #expect(parse(#"{"0.weight": w}"#) == "(record (0.weight w))")
    }

    @Test func functionLiterals() {
        #expect(parse("fn(x, y) => x + y") == "(fn (x y) (+ x y))")
        #expect(parse("fn() => 1") == "(fn () 1)")
        #expect(parse("f = fn(x, lr = 0.1) {\n  y = x * lr\n  return y\n}")
            == "(= f (fn (x lr=0.1) (block (= y (* x lr)) (return y))))")
        #expect(parse("grad(fn(x) => log(sin(x^2)))(1.0)")
            == "(call (call grad (fn (x) (call log (call sin (^ x 2))))) 1)")
        #expect(parse("map(xs, fn(x) {\n  return {v: x}\n})") == "(call map xs (fn (x) (block (return (record (v x))))))")
    }

    @Test func functionDeclarations() {
        #expect(parse("fn square(x) {\n  return x * x\n}") == "(def square (x) (block (return (* x x))))")
        #expect(parse("fn sq(x) => x ^ 2") == "(def sq (x) (^ x 2))")
        #expect(parse("fn f(a, b = 2, c = [1]) { return }") == "(def f (a b=2 c=(list 1)) (block (return)))")
        #expect(parse("fn f() {}") == "(def f () (block))")
    }

    @Test func assignmentTargets() {
        #expect(parse("x = 1") == "(= x 1)")
        #expect(parse("a[0] = 2") == "(= (index a 0) 2)")
        #expect(parse("m[1, 2] = 3") == "(= (index m 1 2) 3)")
        #expect(parse("net[0].weight = [[0.2, 0.4], [0.3, 0.1]]")
            == "(= (. (index net 0) weight) (list (list 0.2 0.4) (list 0.3 0.1)))")
        #expect(parse("x = 5;") == "(silent (= x 5))")
    }

    @Test func ifChains() {
        #expect(parse("if a { x = 1 }") == "(if a (block (= x 1)))")
        #expect(parse("if a == 1 {\n  x\n} else if b {\n  y\n} else {\n  z\n}")
            == "(if (== a 1) (block x) b (block y) (else (block z)))")
        #expect(parse("if a {\n}\nelse {\n  z\n}") == "(if a (block) (else (block z)))")
        // A record in a condition does not open the block.
        #expect(parse("if r == {a: 1} { r }") == "(if (== r (record (a 1))) (block r))")
    }

    @Test func loops() {
        #expect(parse("for i in range(10) {\n  total = total + i\n}") == "(for i (call range 10) (block (= total (+ total i))))")
        #expect(parse("while i < 3 { i = i + 1; }") == "(while (< i 3) (block (silent (= i (+ i 1)))))")
        #expect(parse("for x in [1, 2] { print(x) }") == "(for x (list 1 2) (block (call print x)))")
    }

    @Test func imports() {
        #expect(parse(#"import "lib/gates.nns""#) == #"(import "lib/gates.nns")"#)
        #expect(parse("import gates") == "(import gates)")
    }

    @Test func statementSeparators() {
        #expect(parse("a = 1; b = 2\nc") == "(silent (= a 1))\n(= b 2)\nc")
        #expect(parse("\n\n# only comments\n\n") == "")
        #expect(parse(";;;a;;") == "(silent a)")
    }

    @Test func rangesCoverTheirSource() throws {
        let program = try Parser.parseProgram(SourceFile(name: "t", text: "net = linear(2, 2)\n  |> relu"))
        let stmt = try #require(program.statements.first)
        #expect(stmt.range == SourceRange(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 2, column: 10)))
        guard case .assignment(.name(let name), let value) = stmt.kind,
              case .pipe(let call, let relu, let pipe) = value.kind else {
            Issue.record("unexpected shape \(stmt.sExpression)")
            return
        }
        #expect(name.range == SourceRange(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 4)))
        #expect(call.range == SourceRange(start: SourceLocation(line: 1, column: 7), end: SourceLocation(line: 1, column: 19)))
        #expect(relu.range.start == SourceLocation(line: 2, column: 6))
        #expect(pipe == SourceRange(start: SourceLocation(line: 2, column: 3), end: SourceLocation(line: 2, column: 5)))
    }

    @Test func parseExpressionOnly() throws {
        #expect(try Parser.parseExpression(SourceFile(name: "e", text: "f(1) + 2")).sExpression == "(+ (call f 1) 2)")
        #expect(throws: DiagnosticList.self) { try Parser.parseExpression(SourceFile(name: "e", text: "x = 1")) }
    }

    @Test func incompleteInput() {
        #expect(Parser.isIncomplete("net = linear(784, 256) |>"))
        #expect(Parser.isIncomplete("f(1,"))
        #expect(Parser.isIncomplete("x = [1, 2"))
        #expect(Parser.isIncomplete("if x > 0 {\n  print(x)"))
        #expect(Parser.isIncomplete("fn f(x) {"))
        #expect(Parser.isIncomplete("a = 1 +   # comment"))
        #expect(Parser.isIncomplete("if a { } else"))
        #expect(!Parser.isIncomplete("net = linear(784, 256) |> relu"))
        #expect(!Parser.isIncomplete("x = 1"))
        #expect(!Parser.isIncomplete(""))
        #expect(!Parser.isIncomplete("f(1))"))         // an error, not more input
        #expect(!Parser.isIncomplete("s = \"abc"))     // strings do not span lines
        #expect(!Parser.isIncomplete("f($"))           // show the lexical error now
    }

    @Test func nestingUpToTheLimitParses() {
        let depth = 150
        let source = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(parse(source) == "1")
        let lists = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(Parser.parse(lists).succeeded)
    }
}

/// The hand-written fuzz seeds double as parser regression inputs.
@Suite struct ParserSeedFileTests {
    static let seeds: String = {
        var path = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        path.removeLast(3)  // Tests/NNSLanguageTests/ParserTests.swift
        return path.joined(separator: "/") + "/fuzz/seeds/"
    }()

    func read(_ name: String) throws -> String {
        guard let file = fopen(Self.seeds + name, "r") else { throw CocoaLikeError.missing(name) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    enum CocoaLikeError: Error { case missing(String) }

    @Test(arguments: ["classroom.nns", "control.nns", "mnist.nns", "layout.nns"])
    func validSeedsParse(_ name: String) throws {
        let result = Parser.parse(try read(name), fileName: name)
        #expect(result.diagnostics.isEmpty, "\(DiagnosticList(result.diagnostics))")
    }

    @Test func errorSeedReportsEveryLine() throws {
        let result = Parser.parse(try read("errors.nns"), fileName: "errors.nns")
        // `x = (1 +` leaves its '(' open, so the lexer joins every later line
        // to it: the parser reports that once (at line 2, blaming the '('),
        // and the lexical errors of lines 4-6 still come through.
        #expect(result.diagnostics.map(\.location.line) == [2, 4, 5, 6, 6, 6, 6, 6, 6, 6])
        #expect(result.diagnostics.first?.hint == "is a ')' missing? the '(' at 1:5 is still open")
    }
}
