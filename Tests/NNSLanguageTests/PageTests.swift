import Foundation
import NNEngine
import Testing
@testable import NNSLanguage
import TestFixtures

/// explain and replay (SPEC §14): the page data holds the notes' numbers for the classroom
/// example, the file is self-contained, and bad arguments are refused clearly.
@Suite struct PageTests {
    static let classroom = HandworkedExample.source

    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nns-page-\(getpid())-\(name)").path
    }

    /// The JSON the page embeds.
    func pageData(_ html: String) throws -> JSONValue {
        let open = "<script type=\"application/json\" id=\"page-data\">"
        let start = try #require(html.range(of: open)).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        return try JSONValue.parse(String(html[start..<end]))
    }

    /// Each step's text lines.
    func stepLines(_ data: JSONValue) -> [[String]] {
        (data["steps"]?.arrayValue ?? []).map { step in (step["lines"]?.arrayValue ?? []).compactMap(\.stringValue) }
    }

    /// The numbers on the first line (at or after step `from`) that starts with `prefix` and
    /// then a number or a bracket (not a formula such as `a¹ = σ(z¹)`), and its step.
    func numbers(_ prefix: String, in steps: [[String]], from: Int) -> (step: Int, values: [Double])? {
        for s in from..<steps.count {
            for line in steps[s] where line.hasPrefix(prefix) {
                guard let next = line.dropFirst(prefix.count).first, "[-0123456789".contains(next) else { continue }
                let text = String(line.dropFirst(prefix.count))
                let pattern = try! NSRegularExpression(pattern: "-?[0-9]+\\.?[0-9]*(e-?[0-9]+)?")
                let values = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                    Double(text[Range($0.range, in: text)!])
                }
                return (s, values)
            }
        }
        return nil
    }

    @Test func classroomNumbersInTheNotesOrder() throws {
        let path = temporary("walk.html")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try runNNS(Self.classroom + "\nexplain(net, [0.5, 0.8], 1, \"\(path)\", loss: mse, lr: 0.5)").output
        #expect(output.contains("wrote \(path)"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let steps = stepLines(try pageData(html))
        // SPEC §12, worked by hand in the notes; each at or after the one before it.
        let expected: [(String, [Double], Double)] = [
            ("z¹ = ", [0.52, 0.43], 0.005), ("a¹ = ", [0.627, 0.606], 0.0005), ("z² = ", [0.979], 0.0005),
            ("output ŷ = a² = ", [0.727], 0.0005), ("C = ½·(", [0.727, 1, 0.0373], 0.00005),
            ("δ² = ", [-0.0542], 0.00005), ("∂C/∂W² = ", [-0.0340, -0.0328], 0.00005),
            ("δ¹ = ", [-0.00760, -0.00647], 0.000005),
            ("∂C/∂W¹ = ", [-0.00380, -0.00608, -0.00324, -0.00518], 0.000005),
        ]
        var at = 0
        for (prefix, values, tolerance) in expected {
            let found = try #require(numbers(prefix, in: steps, from: at), "no line \(prefix) after step \(at)")
            let got = prefix == "C = ½·(" ? [found.values[0], found.values[1], found.values.last!] : found.values
            #expect(got.count == values.count, "\(prefix)\(got)")
            for (g, v) in zip(got, values) { #expect(abs(g - v) <= tolerance, "\(prefix)\(got) vs \(values)") }
            at = found.step
        }
        // The notes' formula with the numbers plugged in, and one weight's SGD step:
        // 0.6 − 0.5·(−0.0340) = 0.617.
        let all = steps.flatMap { $0 }
        #expect(all.contains("z¹₁ = 0.200·0.500 + 0.400·0.800 + 0.100 = 0.520"))
        #expect(all.contains("W²₁₁: 0.600 − 0.5·(-0.0340) = 0.617"))
        #expect(!html.contains("//") && !html.lowercased().contains("http"))
        // Looking does not change the network.
        #expect(try evalText(Self.classroom + "\nexplain(net, [0.5, 0.8], 1, lr: 0.5)\nnet[2].weight").contains("0.6"))
    }

    @Test func forwardOnlyAndTheValueForNotebooks() throws {
        let (_, value) = try runNNS(Self.classroom + "\nexplain(net, [0.5, 0.8])")
        guard case .object(let page as PageValue) = try #require(value) else { Issue.record("not a page"); return }
        #expect(page.displayText.hasPrefix("page: forward pass"))
        let html = try #require(page.richForms["text/html"])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let steps = stepLines(try pageData(html))
        #expect(steps.count == 5)   // the input, then one step per layer
        #expect(steps.last!.contains("output ŷ = a² = 0.727"))
    }

    @Test func badArgumentsAreRefused() throws {
        let directory = temporary("adir.html")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(errorText(Self.classroom + "\nexplain(net, [0.5, 0.8], \"\(directory)\")").contains("is a directory"))
        #expect(errorText(Self.classroom + "\nexplain(net, [0.5, 0.8], \"walk.txt\")").contains(".html"))
        #expect(errorText(Self.classroom + "\nexplain(net, [0.5, 0.8, 0.1])").contains("takes 2 inputs"))
        #expect(errorText(Self.classroom + "\nexplain(net, [[0.5, 0.8], [0.1, 0.2]])").contains("one example"))
        #expect(errorText(Self.classroom + "\nexplain(net, [0.5, 0.8], [1, 0])").contains("1 output"))
        #expect(errorText(Self.classroom + "\nexplain(net, [0.5, 0.8], lr: 0.5)").contains("needs a target"))
        #expect(errorText(Self.classroom + "\nexplain(net, [0.5, 0.8], 1, lr: -1)").contains("positive"))
    }

    @Test func wideLayersBecomeBlocksWithImages() throws {
        let (_, value) = try runNNS("""
            seed(1)
            net = linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax
            explain(net, rand(784), onehot(3, 10))
            """)
        guard case .object(let page as PageValue) = try #require(value) else { Issue.record("not a page"); return }
        let html = try #require(page.richForms["text/html"])
        #expect(html.utf8.count < 2_000_000)
        let data = try pageData(html)
        let blocks = (data["columns"]?.arrayValue ?? []).map { $0["block"] == .bool(true) }
        #expect(blocks == [true, true, true, false])
        // The input as its 28×28 picture, W¹ as a 256×784 image.
        let first = try #require(data["steps"]?.arrayValue?.first?["images"]?.arrayValue?.first?.arrayValue)
        #expect(first[1]["w"] == .integer(28) && first[1]["h"] == .integer(28))
        let edge = try #require(data["edges"]?.arrayValue?.first?["image"])
        #expect(edge["w"] == .integer(784) && edge["h"] == .integer(256))
        #expect(!html.contains("//"))
    }

    @Test func snapshotsAndReplay() throws {
        let (_, value) = try runNNS("""
            seed(3)
            net = linear(2, 4) |> tanh |> linear(4, 1) |> sigmoid
            h = train(net, xor_gate, loss: bce, optimizer: 0.5, epochs: 50, batch: 4, snapshots: 10)
            print(len(h.snapshots))
            replay(h, xor_gate)
            """)
        guard case .object(let page as PageValue) = try #require(value) else { Issue.record("not a page"); return }
        let data = try pageData(try #require(page.richForms["text/html"]))
        let snapshots = try #require(data["snapshots"]?.arrayValue)
        #expect(snapshots.map { $0["epoch"]?.intValue } == [0, 10, 20, 30, 40, 50])
        #expect(snapshots.allSatisfy { $0["grid"]?.stringValue?.count == ReplayPage.gridSize * ReplayPage.gridSize })
        #expect(data["points"]?.arrayValue?.count == 4)
        #expect(errorText("h = train(linear(2, 1) |> sigmoid, xor_gate, epochs: 2)\nreplay(h, xor_gate)").contains("snapshots"))
        #expect(errorText("h = train(linear(2, 1) |> sigmoid, xor_gate, epochs: 2, snapshots: 0)").contains("snapshots"))
    }
}
