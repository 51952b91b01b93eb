import Foundation
import Testing
@testable import NNSLanguage

/// break/continue, in/not in, conversions, list arithmetic and help (SPEC §17).
@Suite struct ScriptingTests {
    @Test func breakAndContinue() throws {
        let source = """
            out = []
            for i in range(10) {
                if i == 2 { continue }
                if i == 5 { break }
                append(out, i)
            }
            n = 0
            while true {
                n = n + 1
                if n < 3 { continue }
                break
            }
            total = 0
            for i in range(3) {
                for j in range(3) {
                    if j == 1 { break }
                    total = total + 10 * i + j
                }
            }
            [out, n, total]
            """
        // Python: the same loops give [0, 1, 3, 4], 3 and 0 + 10 + 20.
        #expect(try evalText(source) == "[[0, 1, 3, 4], 3, 30]")
        #expect(try evalText("fn f(xs) { for x in xs { if x > 1 { return x } }; return 0 }; f([0, 5, 7])") == "5")
    }

    @Test func breakOutsideALoopIsALocatedError() {
        #expect(errorHeader("break") == "<test>:1:1: error: 'break' outside a loop")
        #expect(errorHeader("x = 1\nif x { continue }") == "<test>:2:8: error: 'continue' outside a loop")
        // A function's body is not inside the loop around its definition.
        #expect(errorHeader("for i in [1] { f = fn() { break } }") == "<test>:1:27: error: 'break' outside a loop")
        #expect(errorHeader("break = 1").contains("cannot assign to the reserved word 'break'"))
    }

    @Test func membership() throws {
        // Python: 2 in [1, 2, 3] True; "ell" in "hello" True; "lr" in {"lr": 1} True;
        // 3 in range(0, 10, 3) True; 4 in range(0, 10, 3) False; [1] in [[1], 2] True.
        #expect(try evalText("[2 in [1, 2, 3], 4 not in [1, 2, 3], \"ell\" in \"hello\", \"\" in \"x\", \"lr\" in {lr: 1}, \"x\" in {lr: 1}]")
            == "[true, true, true, true, true, false]")
        #expect(try evalText("[3 in range(0, 10, 3), 4 in range(0, 10, 3), 10 in range(10), [1] in [[1], 2], 2 in tensor([1, 2])]")
            == "[true, false, false, true, true]")
        // Comparison precedence: `not` binds looser, arithmetic tighter (Python: not 1 + 1 in [2] is False).
        #expect(try evalText("[not 1 + 1 in [2], 1 + 1 in [2] and true]") == "[false, true]")
        #expect(Parser.parse("x not in xs or y in ys").program.sExpression == "(or (not in x xs) (in y ys))")
        #expect(try evalText("xs = [1, 2]\nif 2 in xs { \"yes\" } else { \"no\" }\nx = 3 in xs\nx") == "false")
        #expect(errorHeader("1 in \"abc\"").contains("`in` a string looks for text, got 1"))
        #expect(errorHeader("1 in 5").contains("cannot look for a value `in` a number"))
    }

    @Test func conversionsFollowPython() throws {
        // Python 3.11: int(s) and float(s) for each text (tools/ci/scripting-reference.py).
        let ints: [(String, Double)] = [("3", 3), ("-3", -3), (" 42 ", 42), ("+7", 7), ("1_000", 1000), ("007", 7), ("0", 0)]
        for (text, value) in ints { #expect(try evalNumber("int(\"\(text)\")") == value, "int(\(text))") }
        let floats: [(String, Double)] = [("2.5e-3", 0.0025), ("-1.5", -1.5), (" .5 ", 0.5), ("5.", 5), ("1_000.5", 1000.5),
                                          ("1E3", 1000), ("+2", 2), ("inf", .infinity), ("-Infinity", -.infinity), ("1e-310", 1e-310)]
        for (text, value) in floats { #expect(try evalNumber("float(\"\(text)\")") == value, "float(\(text))") }
        #expect(try evalNumber("float(\"nan\")").isNaN)
        // Python's int() truncates toward zero.
        let truncations: [(Double, Double)] = [(2.7, 2), (-2.7, -2), (0.5, 0), (-0.5, 0), (1000000000000000.5, 1e15), (3, 3)]
        for (x, value) in truncations { #expect(try evalText("int(\(x))") == NumberFormatting.format(value), "int(\(x))") }
        #expect(try evalText("[int(true), float(false), int(tensor([2.9]))]") == "[1, 0, 2]")
        // Python: bool(0) False, bool(2) True, bool("") False, bool("a") True, bool([]) False,
        // bool([0]) True, bool({}) False, bool(None) False, bool(float("nan")) True.
        #expect(try evalText("[bool(0), bool(2), bool(\"\"), bool(\"a\"), bool([]), bool([0]), bool({}), bool(none), bool(float(\"nan\"))]")
            == "[false, true, false, true, false, true, false, false, true]")
        #expect(try evalText("[str(2.5), str([1, \"a\"]), str(3)]") == #"["2.5", "[1, \"a\"]", "3"]"#)
    }

    @Test func badTextIsALocatedErrorWithAHint() {
        // Python refuses each of these with ValueError.
        for text in ["x", "3.0", "1e3", "", "1__0", "_1", "1_", "--1", "0x10", "3 4"] {
            let message = errorText("n = int(\"\(text)\")")
            #expect(message.hasPrefix("<test>:1:9: error: int: cannot read"), "int(\(text)): \(message)")
            #expect(message.contains("hint: "))
        }
        for text in ["x", "", "1e", ".", "0x1p3", "1__0", "--1", "1.2.3", "e5"] {
            #expect(errorHeader("n = float(\"\(text)\")").hasPrefix("<test>:1:11: error: float: cannot read"), "float(\(text))")
        }
        #expect(errorText("int(\"2.5\")").contains("hint: it has a fraction or exponent: use float(...)"))
        #expect(errorHeader("int(1 / 0)").contains("int: cannot turn inf into a whole number"))
        #expect(errorHeader("int([1])").contains("parameter `v` must be a number, text or bool, got [1]"))
        #expect(errorHeader("bool(tensor([1, 2]))").contains("is not true or false"))
    }

    @Test func listArithmetic() throws {
        // Python: [1, 2] + [3, 4] == [1, 2, 3, 4]; [1, 2] - [3, 4] is a TypeError.
        #expect(try evalText("[1, 2] + [3, 4]") == "[1, 2, 3, 4]")
        for op in ["-", "*", "/"] {
            let message = errorText("[1, 2] \(op) [3, 4]")
            #expect(message.hasPrefix("<test>:1:1: error: cannot apply `\(op)` to two lists"))
            #expect(message.contains("tensor(a) \(op) tensor(b)"))
        }
        // A tensor on either side stays element-wise.
        #expect(try evalText("list(tensor([1, 2]) - [3, 5])") == "[-2, -3]")
        #expect(try evalText("list([6, 8] / tensor([2, 4]))") == "[3, 2]")
        #expect(try evalText("list([1, 2] * 3)") == "[3, 6]")
    }

    @Test func helpGivesTheHelpText() throws {
        let relu = Builtins.all["relu"]!
        #expect(try evalText("print(help(relu))") == "none")
        #expect(try runNNS("print(help(relu))").output == relu.signature + "\n" + relu.help + "\n")
        #expect(try runNNS("print(help(\"int\"))").output == Builtins.all["int"]!.signature + "\n" + Builtins.all["int"]!.help + "\n")
        #expect(try runNNS("fn f(a, b = 2) { return a }\nprint(help(f))").output == "f(a, b = …)\na function written in nns\n")
        #expect(errorText("help(\"reul\")").contains("did you mean"))
        #expect(errorText("help(\":train\")").contains("hint: in the REPL, type :help train"))
    }

    @Test func newKeywordsParse() {
        #expect(Parser.parse("while true { break }").program.sExpression == "(while true (block (break)))")
        #expect(Parser.parse("for x in xs { continue }").program.sExpression == "(for x xs (block (continue)))")
        #expect(Parser.parse("a[1:2, :, ::-1, 3]").program.sExpression == "(index a (slice 1 2 _) (slice _ _ _) (slice _ _ (- 1)) 3)")
        #expect(Parser.isIncomplete("x in"))
        #expect(!Parser.isIncomplete("x in xs"))
    }
}
