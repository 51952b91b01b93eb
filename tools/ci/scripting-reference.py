#!/usr/bin/env python3
"""Python's own answers for the scripting-essentials tests (docs/language.md, "Scripting essentials").

Prints, one per line, the Swift table rows that Tests/NNSLanguageTests/FormatSpecTests.swift,
SlicingTests.swift and ScriptingTests.swift hold: format(value, spec), slicing of a list and a
string, int()/float() of text. tools/ci/scripting.sh checks that every row is in the tests,
so the tables stay what Python says. Whole numbers are Python ints (nns prints 3, not 3.0).
"""
import math

FORMAT_CASES = [
 (3.14159, ".2f"), (3.14159, ".4f"), (2.5, ".0f"), (3.5, ".0f"), (-1.005, ".2f"), (0.1, ".20f"),
 (1234567.891, ",.2f"), (1234567.891, "_.1f"), (-1234.5, "012,.1f"), (1234, "09,"), (1234, "08,"),
 (1234, "0=10,"), (1234567, ","), (1234567, "_"), (-42, "+d"), (42, "+d"), (42, " d"), (-42, " d"),
 (42, "d"), (42, "5d"), (42, "<5d"), (42, "^6d"), (42, "*^7d"), (-42, "=6d"), (-42, "06d"),
 (255, "x"), (255, "X"), (255, "#x"), (255, "#010x"), (255, "o"), (255, "#o"), (5, "b"), (255, "_b"),
 (12345678, "_x"), (0.5, "%"), (0.125, ".1%"), (1, ".0%"), (1234.5678, "e"), (1234.5678, ".2e"),
 (1234.5678, ".2E"), (0.00012345, ".3e"), (1234.5678, "g"), (1234.5678, ".2g"), (0.0001234, "g"),
 (0.00001234, "g"), (123456789.0, "g"), (1e-10, ".3G"), (100000, "g"), (1000000, "g"), (3.0, ".3g"),
 (3.0, "#.3g"), (123.456, ".3"), (10.5, ".3"), (0.0001234, ".3"), (1.5, ".1"), (2.25, "10.3f"),
 (2.25, "<10.3f"), (2.25, "^10.3f"), (2.25, "=+10.3f"), (-2.25, "x>10.1f"), (-0.0, ".1f"), (-0.0, "z.1f"),
 (-0.0001, "z.2f"), (float("nan"), "f"), (float("nan"), "+f"), (float("inf"), "E"), (float("-inf"), ".2f"),
 (float("inf"), "8.1f"), (3, ""), (-7, ""), (0.1, ""), (2.5, ""), (1e-05, ""), (3, ">4"), (2.5, "*<6"),
 (1e16, ".1e"), (123456789012, ",d"), (0.000123, ".2%"), (99.995, ".2f"), (7, "#b"), (3.0, "#.0f"),
 ("abc", ""), ("abc", ">6"), ("abc", "<6"), ("abc", "^6"), ("abc", "^7"), ("abc", "*^9"), ("abcdef", ".2"),
 ("abcdef", "6.3"), ("abc", "s"), ("abc", ">6s"), ("ab", "05"), ("ab", "-<5"), ("héllo", ">7"),
 (255, "010_x"), (255, "#012_b"),
]
SLICES = ["1:3", ":3", "3:", "::2", "::-1", "-2:", ":-2", "-3:-1", "5:1:-1", "5:1", "1:5:2", "-1:-8:-2",
          "10:", ":100", "-100:2", "100:0:-1", "6:-100:-3", "::3", "4::-2", "0:0", ":", "2:2:-1", "-1::-1"]
INTS = ["3", "-3", " 42 ", "+7", "1_000", "007", "0"]
BAD_INTS = ["x", "3.0", "1e3", "", "1__0", "_1", "1_", "--1", "0x10", "3 4"]
FLOATS = ["2.5e-3", "-1.5", " .5 ", "5.", "1_000.5", "1E3", "+2", "1e-310"]
BAD_FLOATS = ["x", "", "1e", ".", "0x1p3", "1__0", "--1", "1.2.3", "e5"]


def swift_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def swift_value(v):
    if isinstance(v, str):
        return '.string(' + swift_string(v) + ')'
    if math.isnan(v):
        return '.number(.nan)'
    if math.isinf(v):
        return '.number(' + ('-' if v < 0 else '') + '.infinity)'
    if v == 0 and math.copysign(1, v) < 0:
        return '.number(-0.0)'
    return '.number(' + repr(float(v)) + ')'


def swift_number(x):
    return repr(int(x)) if x == int(x) and abs(x) < 1e15 else repr(x)


for v, s in FORMAT_CASES:
    print('(%s, %s, %s),' % (swift_value(v), swift_string(s), swift_string(format(v, s))))
xs, text = [10, 11, 12, 13, 14, 15, 16], "abcdefg"
for sp in SLICES:
    picked = eval("xs[%s]" % sp)
    print('("%s", [%s], "%s"),' % (sp, ", ".join(map(str, picked)), eval("text[%s]" % sp)))
print("let ints: [(String, Double)] = [" + ", ".join('(%s, %s)' % (swift_string(s), swift_number(float(int(s)))) for s in INTS) + "]")
for s in BAD_INTS:
    try:
        int(s)
        raise SystemExit("int(%r) is accepted by Python" % s)
    except ValueError:
        pass
for s in BAD_FLOATS:
    try:
        float(s)
        raise SystemExit("float(%r) is accepted by Python" % s)
    except ValueError:
        pass
for s in FLOATS:
    print('(%s, %s)' % (swift_string(s), swift_number(float(s))))
