import Foundation
import Testing
@testable import NNSLanguage

/// f-strings and `format` against Python's own `format`.
@Suite struct FormatSpecTests {
    /// (value, spec, Python's format(value, spec)), generated offline with Python 3.11 by
    /// tools/ci/scripting-reference.py (v a Python int for whole numbers, since nns prints 3,
    /// not 3.0; a float otherwise). tools/ci/scripting.sh checks the rows against Python.
    static let pythonTable: [(Value, String, String)] = [
        (.number(3.14159), ".2f", "3.14"),
        (.number(3.14159), ".4f", "3.1416"),
        (.number(2.5), ".0f", "2"),
        (.number(3.5), ".0f", "4"),
        (.number(-1.005), ".2f", "-1.00"),
        (.number(0.1), ".20f", "0.10000000000000000555"),
        (.number(1234567.891), ",.2f", "1,234,567.89"),
        (.number(1234567.891), "_.1f", "1_234_567.9"),
        (.number(-1234.5), "012,.1f", "-0,001,234.5"),
        (.number(1234.0), "09,", "0,001,234"),
        (.number(1234.0), "08,", "0,001,234"),
        (.number(1234.0), "0=10,", "00,001,234"),
        (.number(1234567.0), ",", "1,234,567"),
        (.number(1234567.0), "_", "1_234_567"),
        (.number(-42.0), "+d", "-42"),
        (.number(42.0), "+d", "+42"),
        (.number(42.0), " d", " 42"),
        (.number(-42.0), " d", "-42"),
        (.number(42.0), "d", "42"),
        (.number(42.0), "5d", "   42"),
        (.number(42.0), "<5d", "42   "),
        (.number(42.0), "^6d", "  42  "),
        (.number(42.0), "*^7d", "**42***"),
        (.number(-42.0), "=6d", "-   42"),
        (.number(-42.0), "06d", "-00042"),
        (.number(255.0), "x", "ff"),
        (.number(255.0), "X", "FF"),
        (.number(255.0), "#x", "0xff"),
        (.number(255.0), "#010x", "0x000000ff"),
        (.number(255.0), "o", "377"),
        (.number(255.0), "#o", "0o377"),
        (.number(5.0), "b", "101"),
        (.number(255.0), "_b", "1111_1111"),
        (.number(12345678.0), "_x", "bc_614e"),
        (.number(0.5), "%", "50.000000%"),
        (.number(0.125), ".1%", "12.5%"),
        (.number(1.0), ".0%", "100%"),
        (.number(1234.5678), "e", "1.234568e+03"),
        (.number(1234.5678), ".2e", "1.23e+03"),
        (.number(1234.5678), ".2E", "1.23E+03"),
        (.number(0.00012345), ".3e", "1.234e-04"),
        (.number(1234.5678), "g", "1234.57"),
        (.number(1234.5678), ".2g", "1.2e+03"),
        (.number(0.0001234), "g", "0.0001234"),
        (.number(1.234e-05), "g", "1.234e-05"),
        (.number(123456789.0), "g", "1.23457e+08"),
        (.number(1e-10), ".3G", "1E-10"),
        (.number(100000.0), "g", "100000"),
        (.number(1000000.0), "g", "1e+06"),
        (.number(3.0), ".3g", "3"),
        (.number(3.0), "#.3g", "3.00"),
        (.number(123.456), ".3", "1.23e+02"),
        (.number(10.5), ".3", "10.5"),
        (.number(0.0001234), ".3", "0.000123"),
        (.number(1.5), ".1", "2e+00"),
        (.number(2.25), "10.3f", "     2.250"),
        (.number(2.25), "<10.3f", "2.250     "),
        (.number(2.25), "^10.3f", "  2.250   "),
        (.number(2.25), "=+10.3f", "+    2.250"),
        (.number(-2.25), "x>10.1f", "xxxxxx-2.2"),
        (.number(-0.0), ".1f", "-0.0"),
        (.number(-0.0), "z.1f", "0.0"),
        (.number(-0.0001), "z.2f", "0.00"),
        (.number(.nan), "f", "nan"),
        (.number(.nan), "+f", "+nan"),
        (.number(.infinity), "E", "INF"),
        (.number(-.infinity), ".2f", "-inf"),
        (.number(.infinity), "8.1f", "     inf"),
        (.number(3.0), "", "3"),
        (.number(-7.0), "", "-7"),
        (.number(0.1), "", "0.1"),
        (.number(2.5), "", "2.5"),
        (.number(1e-05), "", "1e-05"),
        (.number(3.0), ">4", "   3"),
        (.number(2.5), "*<6", "2.5***"),
        (.number(1e+16), ".1e", "1.0e+16"),
        (.number(123456789012.0), ",d", "123,456,789,012"),
        (.number(0.000123), ".2%", "0.01%"),
        (.number(99.995), ".2f", "100.00"),
        (.number(7.0), "#b", "0b111"),
        (.number(3.0), "#.0f", "3."),
        (.string("abc"), "", "abc"),
        (.string("abc"), ">6", "   abc"),
        (.string("abc"), "<6", "abc   "),
        (.string("abc"), "^6", " abc  "),
        (.string("abc"), "^7", "  abc  "),
        (.string("abc"), "*^9", "***abc***"),
        (.string("abcdef"), ".2", "ab"),
        (.string("abcdef"), "6.3", "abc   "),
        (.string("abc"), "s", "abc"),
        (.string("abc"), ">6s", "   abc"),
        (.string("ab"), "05", "ab000"),
        (.string("ab"), "-<5", "ab---"),
        (.string("héllo"), ">7", "  héllo"),
        (.number(255.0), "010_x", "0_0000_00ff"),
        (.number(255.0), "#012_b", "0b0_1111_1111"),
    ]

    @Test func matchesPythonFormat() throws {
        for (value, spec, expected) in Self.pythonTable {
            switch FormatSpec.parse(spec) {
            case .failure(let problem):
                Issue.record("spec \(spec) refused: \(problem.message)")
            case .success(let parsed):
                let got = try parsed.format(value)
                #expect(got == expected, "format(\(value.displayText), \(spec.debugDescription))")
            }
        }
    }

    @Test func formatBuiltinUsesTheSameEngine() throws {
        #expect(try evalText(#"format(3.14159, ".3f")"#) == "3.142")
        #expect(try evalText(#"format(1234567, ",")"#) == "1,234,567")
        #expect(try evalText(#"format("ab", "^6")"#) == "  ab  ")
        #expect(try evalText(#"format(0.25)"#) == "0.25")
    }

    @Test func fStrings() throws {
        #expect(try evalText(#"i = 3; l = 0.123456; f"epoch {i}: loss {l:.4f}""#) == "epoch 3: loss 0.1235")
        #expect(try evalText(#"f"{1 + 2} and {[1, 2][1] * 10:>5}!""#) == "3 and    20!")
        #expect(try evalText(#"f"{{literal}} {"x"}""#) == "{literal} x")
        #expect(try evalText(#"r = {lr: 0.5}; f"lr={r["lr"]:.2%}""#) == "lr=50.00%")
        #expect(try evalText(#"f"tab\there""#) == "tab\there")
        #expect(try evalText(#"f"{f"{2:03d}"}|""#) == "002|")
        #expect(try evalText(#"f"{true} {none} {[1, 2]}""#) == "true none [1, 2]")
        #expect(try evalText(#"f"""#) == "")
        #expect(try evalText(#"f"{fn(x) => x}""#).contains("fn"))
    }

    @Test func specErrorsPointIntoTheString() {
        // Column 17 is the `q` after `:` in the f-string.
        #expect(errorHeader(#"x = 1; s = f"{x:q}""#) == "<test>:1:17: error: unknown format type 'q'")
        #expect(errorHeader(#"s = f"a {1:.f}""#) == #"<test>:1:12: error: format spec ".f" is missing the precision after '.'"#)
        #expect(errorHeader(#"s = f"{1:abc}""#) == #"<test>:1:10: error: invalid format spec "abc""#)
        #expect(errorHeader(#"s = f"ab {1 + 2"#) == "<test>:1:10: error: unclosed '{' in an f-string")
        #expect(errorHeader(#"s = f"a } b""#) == "<test>:1:9: error: single '}' in an f-string")
        #expect(errorHeader(#"s = f"a {} b""#) == "<test>:1:9: error: empty expression in f-string braces")
        #expect(errorHeader(#"s = f"{1 +}""#).hasPrefix("<test>:1:11: error: expected an expression"))
        #expect(errorHeader(#"s = f"{1 2}""#).hasPrefix("<test>:1:10: error: expected '}' or ':'"))
        // Runtime: the value does not fit the type; located at the spec.
        #expect(errorHeader(#"s = f"{"a":d}""#) == "<test>:1:12: error: format type 'd' needs a number, got a string")
        #expect(errorHeader(#"s = f"{2.5:d}""#) == "<test>:1:12: error: format type 'd' needs a whole number, got 2.5")
        #expect(errorHeader(#"s = f"{2.5:s}""#).contains("format type 's' is for text"))
        #expect(errorHeader(#"s = f"{"a":+}""#).contains("a sign is not allowed when formatting a string"))
        #expect(errorHeader(#"s = f"{255:,x}""#).contains("',' cannot be used with format type 'x'"))
        #expect(errorHeader(#"s = f"{3:.2d}""#).contains("a precision is not allowed"))
        #expect(errorHeader(#"s = f"{undefined_name}""#) == "<test>:1:8: error: unknown name `undefined_name`")
        #expect(errorHeader(#"format(1, "q")"#) == "<test>:1:11: error: format: unknown format type 'q'")
        #expect(errorHeader(#"format(1, 5)"#).contains("parameter `spec` must be a string"))
    }

    @Test func fStringsParseAsOneExpression() throws {
        let parsed = Parser.parse(#"f"a{x:>4}b{y}""#)
        #expect(parsed.succeeded)
        #expect(parsed.program.sExpression == #"(fstring "a" (x ">4") "b" y)"#)
    }
}
