import Foundation
import Testing
@testable import NNSLanguage

/// What a hostile user tried (issue 13), at the language level: cycles, long chains, long
/// lines, long lists, and imports that fail.
@Suite struct HostileInputTests {
    @Test func copyKeepsCyclesAndSharing() throws {
        #expect(try evalText("r = [1]; append(r, r); copy(r)") == "[1, [...]]")
        #expect(try evalText("r = [1]; append(r, r); c = copy(r); c[1] == c") == "true")
        // The copy is its own: changing it leaves the original alone.
        #expect(try evalText("r = [1]; append(r, r); c = copy(r); c[0] = 2; r[0]") == "1")
        #expect(try evalText("d = {a: 1}; d.me = d; copy(d)") == "{a: 1, me: {...}}")
        // A list reached twice is copied once, so the copy shares as the original does.
        #expect(try evalText("s = [1]; t = copy([s, s]); t[0][0] = 5; t[1][0]") == "5")
        #expect(errorText("x = []; for i in range(3000) { x = [x] }; copy(x)").contains("nested more than 2000 levels"))
    }

    @Test func aDeepListIsReleasedWithoutRecursion() {
        // Built and dropped on a 1 MB stack: one deinit per level would need far more.
        final class Box: @unchecked Sendable { var done = false }
        let box = Box()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            var x = Value.list([])
            var record = Value.record([("end", .none)])
            for _ in 0..<200_000 {
                x = .list([x, .number(1)])
                record = .record([("next", record)])
            }
            let shared = Value.list([x, x])   // shared twice: released once, when the last goes
            x = .none
            _ = shared
            record = .none
            box.done = true
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        finished.wait()
        #expect(box.done)
    }

    @Test func equalityOfCyclesAndSharedListsEnds() throws {
        #expect(try evalText("a = [1]; append(a, a); b = [1]; append(b, b); a == b") == "true")
        #expect(try evalText("a = [1]; append(a, a); b = [2]; append(b, b); a == b") == "false")
        // Sixty levels of [x, x] are 2^60 paths but only sixty distinct pairs to compare.
        #expect(try evalText("x = [1]; y = [1]; for i in range(60) { x = [x, x]; y = [y, y] }; x == y") == "true")
        #expect(try evalText("d = {a: 1}; d.me = d; e = {a: 1}; e.me = e; d == e") == "true")
    }

    @Test func longListsPrintTheirEndsAndJSONStaysWhole() throws {
        #expect(try evalText("list(range(1001))") == "[0, 1, 2, ... 995 more ..., 998, 999, 1000]")
        #expect(try evalText("list(range(1000))").hasSuffix("997, 998, 999]"))
        let json = try evalText("json(list(range(2000)))")
        #expect(json.hasPrefix("[0,1,2,3,") && json.hasSuffix(",1999]") && !json.contains("more"))
    }

    @Test func flatChainsParseWhateverTheirLength() throws {
        #expect(try evalNumber("1" + String(repeating: " + 1", count: 200)) == 201)
        #expect(try evalNumber("1" + String(repeating: " + 1", count: 10_000)) == 10_001)
        #expect(try evalNumber("g = fn(v) => v + 1; 0" + String(repeating: " |> g", count: 201)) == 201)
        // Beyond what the interpreter's stack allows, a clean error rather than a crash.
        let long = Parser.parse("1" + String(repeating: " + 1", count: 20_000))
        #expect(long.diagnostics.first?.message.hasPrefix("too long a chain of operators") == true)
        // Nesting still counts each level.
        let deep = Parser.parse(String(repeating: "(", count: 201) + "1" + String(repeating: ")", count: 201))
        #expect(deep.diagnostics.first?.message.hasPrefix("too deeply nested") == true)
    }

    @Test func longLinesAreShortenedAroundTheCaret() {
        let line = "x = [" + String(repeating: "1, ", count: 20_000) + "undefined_name, 2]"
        let text = errorText(line)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "<test>:1:60006: error: unknown name `undefined_name`")
        #expect(lines[1].hasPrefix("...") && lines[1].count <= 130)
        // The caret still sits under the name.
        let column = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
        let name = lines[1].range(of: "undefined_name").map { lines[1].distance(from: lines[1].startIndex, to: $0.lowerBound) }
        #expect(column != nil && column == name)
        #expect(lines[2].hasSuffix("^" + String(repeating: "~", count: 13)))
        // A short line is shown whole, as before.
        #expect(errorText("y = undefined_name").contains("\ny = undefined_name\n    ^~~~~~~~~~~~~~"))
    }

    @Test func aFailedImportRunsAgainNextTime() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x = 5\ny = missing_name\n".write(to: dir.appendingPathComponent("partial.nns"), atomically: true, encoding: .utf8)
        let interpreter = Interpreter(host: CapturingHost())
        let run = { (source: String) throws -> Value? in
            try NNSLanguage.withInterpreterStack { try interpreter.run(source: source, name: "<repl>", directory: dir).finalValue }
        }
        #expect(throws: (any Error).self) { _ = try run("import \"partial.nns\"") }
        _ = try run("missing_name = 7")
        _ = try run("import \"partial.nns\"")
        #expect(try run("y")?.displayText == "7")
    }

    @Test func aGraphOfALongLoopPrintsInBoundedWidth() throws {
        let text = try evalText("""
            fn f(x) {
              y = x
              for i in range(300) { y = y * 1.5 }
              return y
            }
            graph(f, 1.0)
            """)
        let lines = text.split(separator: "\n")
        #expect(lines.count > 300)
        #expect(lines.allSatisfy { $0.count < 200 })
        #expect(text.contains("└─ ⋯ (continued below)") && text.contains("continued:"))
        #expect(lines.last?.hasSuffix("v₀ = x   (1)") == true)
    }
}
