import Foundation
import Testing
@testable import NNSREPL

@Suite struct ServeProtocolTests {
    private func request(_ line: String) -> ServeProtocol.Request? {
        if case .success(let r) = ServeProtocol.decode(line) { return r }
        return nil
    }
    private func failure(_ line: String) -> String? {
        if case .failure(let e) = ServeProtocol.decode(line) { return e.description }
        return nil
    }

    @Test func decodesEveryRequestKind() throws {
        let r = try #require(request(#"{"id": "7", "type": "complete", "code": "pri", "cursor": 2}"#))
        #expect(r == .init(id: "7", kind: .complete, code: "pri", cursor: 2))
        #expect(request(#"{"id": 12, "type": "execute", "code": "1 + 1"}"#)?.id == "12")
        // Without a cursor, the end of the code; the cursor counts Unicode scalars, not bytes.
        #expect(request(#"{"type": "inspect", "code": "a¹ + δ"}"#)?.cursor == 6)
        #expect(request(#"{"type": "inspect", "code": "ab", "cursor": 99}"#)?.cursor == 2)
        #expect(request(#"{"type": "inspect", "code": "ab", "cursor": -3}"#)?.cursor == 0)
        #expect(request(#"{"type": "is_complete", "code": "x = ("}"#)?.kind == .isComplete)
        #expect(request(#"{"type": "interrupt"}"#)?.kind == .interrupt)
        #expect(request(#"{"type": "shutdown", "id": "s"}"#) == .init(id: "s", kind: .shutdown, code: "", cursor: 0))
    }

    @Test func malformedLinesAreErrorsThatSayWhy() {
        #expect(failure("not json") == "the request is not valid JSON")
        #expect(failure("[1, 2]") == "a request must be a JSON object")
        #expect(failure(#"{"id": "1"}"#)?.hasPrefix("a request needs \"type\"") == true)
        #expect(failure(#"{"type": "run"}"#)?.hasPrefix("unknown request type \"run\"") == true)
        #expect(failure(#"{"type": "execute"}"#) == "a execute request needs \"code\"")
        #expect(failure(#"{"type": "execute", "code": 5}"#) == "\"code\" must be a string")
        #expect(failure(#"{"type": "complete", "code": "x", "cursor": "end"}"#) == "\"cursor\" must be a number")
        #expect(failure(#"{"type": "execute", "id": [1]}"#) == "\"id\" must be a string or a number")
        // The id read before the problem goes back with the error.
        if case .failure(let e) = ServeProtocol.decode(#"{"id": "q", "type": "fly"}"#) { #expect(e.id == "q") }
    }

    @Test func aMessageIsOneLineOfJSON() throws {
        let line = ServeProtocol.encode(["event": "stream", "text": "a\nb \"q\" é/"])
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        let back = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        #expect(back == ["event": "stream", "text": "a\nb \"q\" é/"])
    }

    @Test func streamTextNeverCutsACharacter() {
        let bytes = Array("aé€😀".utf8)   // 1 + 2 + 3 + 4 bytes
        for cut in 0...bytes.count {
            let (complete, rest) = ServeProtocol.splitCompleteUTF8(Array(bytes[..<cut]))
            #expect(String(validating: complete, as: UTF8.self) != nil)
            #expect(complete + rest == Array(bytes[..<cut]))
            #expect(rest.count < 4)
        }
        #expect(ServeProtocol.splitCompleteUTF8(Array(bytes[..<2])) == (Array("a".utf8), [0xC3]))
        #expect(ServeProtocol.splitCompleteUTF8(Array(bytes[..<6])).complete == Array("aé€".utf8))
    }

    @Test func aCellSplitsIntoCodeAndCommands() {
        let cell = "x = 1\ny = {lr:\n  0.5}\n\n:vars\n:train net data epochs: 2\nz = x |>\n  relu\n:help (\n  train)"
        let segments = CellSegment.split(cell)
        #expect(segments == [
            CellSegment(firstLine: 0, text: "x = 1\ny = {lr:\n  0.5}", isCommand: false),
            CellSegment(firstLine: 4, text: ":vars", isCommand: true),
            CellSegment(firstLine: 5, text: ":train net data epochs: 2", isCommand: true),
            CellSegment(firstLine: 6, text: "z = x |>\n  relu", isCommand: false),
            CellSegment(firstLine: 8, text: ":help (\n  train)", isCommand: true),
        ])
        #expect(CellSegment.split("\n\n").isEmpty)
        #expect(CellSegment.isIncomplete("net = linear(2, 2) |>"))
        #expect(CellSegment.isIncomplete("x = [1,\n2"))
        #expect(CellSegment.isIncomplete(":train net data optimizer: sgd(lr: 0.1,"))
        #expect(!CellSegment.isIncomplete("x = [1, 2]\n:vars"))
        #expect(!CellSegment.isIncomplete(""))
    }
}
