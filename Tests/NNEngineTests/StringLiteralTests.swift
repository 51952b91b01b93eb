import Testing
@testable import NNEngine

@Suite struct StringLiteralTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        // Expected texts written out by hand from RFC 8259 §7.
        #expect("a\"b".jsonLiteral == #""a\"b""#)
        #expect("c:\\d".jsonLiteral == #""c:\\d""#)
        #expect("1\n2\r3\t4".jsonLiteral == #""1\n2\r3\t4""#)
        #expect("\u{1}\u{1f}".jsonLiteral == #""\u0001\u001f""#)
        #expect("σ′(z) ✓".jsonLiteral == "\"σ′(z) ✓\"")
        #expect("".jsonLiteral == "\"\"")
    }

    @Test func aSerializedJSONStringParsesBackToTheSameText() throws {
        let text = "x\"\\\n\u{7}é"
        let parsed = try JSONValue.parse(Array(JSONValue.string(text).serialized.utf8))
        #expect(parsed == .string(text))
    }
}
