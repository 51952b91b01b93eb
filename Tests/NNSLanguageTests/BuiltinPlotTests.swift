import Foundation
import Testing
@testable import NNSLanguage

@Suite struct BuiltinPlotTests {
    @Test func textChartShowsTheRangeAndTheCurve() throws {
        let (output, _) = try runNNS("plot([3, 1, 2])")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "  ⣿ value")
        #expect(lines[1].hasPrefix("3┤"))
        #expect(lines[10].hasPrefix("1┤"))
        #expect(lines[11] == " └" + String(repeating: "─", count: 60))
        #expect(lines[12].hasPrefix("  1") && lines[12].hasSuffix("3"))
        // The highest value (3) is at the first column; the lowest (1) in the middle (the line
        // reaches the bottom row only near column 30 of 60).
        #expect(lines[1].dropFirst(2).first != " ")
        let bottom = Array(lines[10].dropFirst(2))
        #expect(bottom.prefix(20).allSatisfy { $0 == " " })
        #expect(bottom[25..<35].contains { $0 != " " })
    }

    @Test func historyPlotsLossAndAccuracyPanels() throws {
        let (output, _) = try runNNS("seed(1); plot(train(linear(2, 1) |> sigmoid, or_gate, epochs: 5, batch: 4))")
        #expect(output.contains("⣿ loss"))
        #expect(output.contains("⣿ accuracy"))
        #expect(output.contains("epoch"))
    }

    @Test func svgFilesAreWrittenAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let curves = dir.appendingPathComponent("c.svg").path, boundary = dir.appendingPathComponent("b.svg").path
        let weights = dir.appendingPathComponent("w.svg").path
        _ = try runNNS("""
        seed(2)
        net = linear(2, 2) |> softmax
        h = train(net, xor_gate, epochs: 3)
        plot(h, "\(curves)")
        plot_boundary(net, xor_gate, "\(boundary)", resolution: 10)
        plot_weights(linear(784, 4), "\(weights)")
        """)
        let svg = try String(contentsOfFile: curves, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline") && svg.hasSuffix("</svg>\n"))
        let regions = try String(contentsOfFile: boundary, encoding: .utf8)
        // 10×10 cells and 4 examples.
        #expect(regions.components(separatedBy: "fill-opacity").count - 1 == 100)
        #expect(regions.components(separatedBy: "<circle").count - 1 == 4)
        let picture = try String(contentsOfFile: weights, encoding: .utf8)
        #expect(picture.components(separatedBy: "<rect").count - 1 == 1 + 4 * 784)
        #expect(errorHeader("plot([1, 2], \"/nonexistent-dir/x.svg\")").hasPrefix("<test>:1:1: error: plot: cannot write /nonexistent-dir/x.svg"))
    }

    @Test func boundaryNeedsTwoFeatures() {
        #expect(errorHeader("plot_boundary(linear(1, 1), not_gate, \"/tmp/x.svg\")").contains("the data must have 2 features, it has 1"))
    }
}
