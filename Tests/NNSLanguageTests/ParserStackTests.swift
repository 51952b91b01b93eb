import Foundation
import Testing
@testable import NNSLanguage

/// Parsing at the nesting limit must fit in a modest thread stack even in
/// a debug build (measured ~1.2 MB for 199 nested parentheses), so the limit
/// protects any thread the parser runs on, not only the 8 MB main thread.
@Suite struct ParserStackTests {
    @Test func deepestInputsParseOnAFourMegabyteStack() {
        let limit = Parser.maximumNestingDepth
        let sources = [
            String(repeating: "(", count: limit - 1) + "1" + String(repeating: ")", count: limit - 1),
            "x = " + String(repeating: "f(", count: limit / 2 - 1) + "1" + String(repeating: ")", count: limit / 2 - 1),
            String(repeating: "[", count: limit - 1) + String(repeating: "]", count: limit - 1),
            String(repeating: "fn() { ", count: limit / 2 - 1) + String(repeating: "}", count: limit / 2 - 1),
            String(repeating: "(", count: 10_000),
        ]
        final class Box: @unchecked Sendable { var outcomes: [Bool] = [] }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.outcomes = sources.map { Parser.parse($0).succeeded }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        done.wait()
        #expect(box.outcomes == [true, true, true, true, false])
    }
}
