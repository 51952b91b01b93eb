import Foundation
import Testing
import NNSLanguage
@testable import NNSREPL

/// docs/reference.md must be what the tables say today: a builtin or command added, renamed
/// or re-documented without regenerating the file fails here.
@Suite struct ReferenceDocumentTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/reference.md").path

    @Test func referenceIsCurrent() throws {
        let generated = ReferenceDocument.markdown
        if ProcessInfo.processInfo.environment["NNS_UPDATE_REFERENCE"] == "1" {
            try generated.write(toFile: Self.path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(committed == generated,
                "docs/reference.md is stale: NNS_UPDATE_REFERENCE=1 swift test --filter ReferenceDocumentTests")
    }

    @Test func everyCommandAndBuiltinIsListed() {
        let text = ReferenceDocument.markdown
        for command in CommandRegistry.all { #expect(text.contains("### `\(command.usage)`")) }
        for builtin in Builtins.all.values { #expect(text.contains("- `\(builtin.signature)`: ")) }
    }
}
