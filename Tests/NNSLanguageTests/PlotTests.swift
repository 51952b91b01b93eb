import Foundation
import Testing
@testable import NNSLanguage

/// plot, plot_boundary and plot_weights: text drawn where the numbers say, SVG files written.
@Suite struct PlotTests {
    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nns-plot-\(getpid())-\(name)").path
    }

    @Test func risingSeriesGoesFromBottomLeftToTopRight() throws {
        let text = try evalText("plot([1, 2, 3, 4])")
        let rows = text.split(separator: "\n").map(String.init)
        // Title, 10 chart rows, the axis, the epoch labels.
        #expect(rows.count == 13)
        let chart = rows[1...10].map { Array($0.split(separator: "┤", maxSplits: 1).last ?? $0.split(separator: "│").last ?? "") }
        #expect(rows[1].hasPrefix("4 ┤"))
        #expect(rows[10].hasPrefix("1 ┤"))
        #expect(chart[9].first != "\u{2800}")   // the first point, bottom left
        #expect(chart[0].last != "\u{2800}")    // the last point, top right
        #expect(chart[0].first == "\u{2800}")
    }

    @Test func historyCurvesAsSVG() throws {
        let path = temporary("curves.svg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try runNNS("""
            seed(2)
            net = linear(2, 1, init: "zeros") |> step
            h = train(net, or_gate, rule: "perceptron", epochs: 5)
            plot(h, "\(path)")
            """)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)   // loss and accuracy
        #expect(svg.contains(">accuracy</text>"))
        #expect(errorHeader("plot([1, 2], \"curves.png\")").contains(".svg"))
    }

    @Test func boundaryOfTheAndPerceptron() throws {
        // step(x₁ + x₂ − 1.5): only (1, 1) is on the positive side, top right.
        let text = try evalText("""
            net = linear(2, 1, weight: [[1, 1]], bias: [-1.5]) |> step
            plot_boundary(net, and_gate)
            """)
        let rows = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("│") }.map { Array($0.dropFirst()) }
        #expect(rows.count == 24)
        #expect(rows[0].last == "░")          // x₁, x₂ ≈ 1.15: class 1
        #expect(rows[23].first == "·")        // x₁, x₂ ≈ −0.15: class 0
        #expect(rows.joined().filter { $0 == "x" }.count == 1)
        #expect(rows.joined().filter { $0 == "o" }.count == 3)
        let path = temporary("b.svg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try runNNS("plot_boundary(linear(2, 1, weight: [[1, 1]], bias: [-1.5]) |> step, and_gate, \"\(path)\")")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
        #expect(svg.contains(SVGDocument.classTints[0]) && svg.contains(SVGDocument.classTints[1]))
    }

    @Test func weightsAsImages() throws {
        let path = temporary("w.svg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try runNNS("""
            layer = linear(4, 2, weight: [[1, 0, 0, -1], [0, 0.5, 1, 0]])
            plot_weights(layer, "\(path)")
            """)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        // Unit 0: +1 full red, −1 full blue; unit 1: 1 full red, 0.5 half red.
        #expect(svg.contains("fill=\"#ff0000\""))
        #expect(svg.contains("fill=\"#0000ff\""))
        #expect(svg.contains("fill=\"#ff8080\""))
        #expect(svg.contains("2×2 each"))
        let text = try evalText("plot_weights(linear(4, 1, weight: [[1, 0, 0, -1]]))")
        #expect(text.contains("█ \n") || text.contains("█"))
        #expect(text.contains("-"))
        #expect(errorHeader("plot_weights(linear(4, 1), shape: [3, 3])").contains("does not hold 4 inputs"))
    }
}

/// Errors a plot call reports instead of failing silently.
@Suite struct PlotErrorTests {
    @Test func unwritableFileAndWrongData() {
        #expect(errorHeader("plot([1, 2], \"/nonexistent-dir/x.svg\")").contains("cannot write /nonexistent-dir/x.svg"))
        #expect(errorHeader("plot_boundary(linear(1, 1), not_gate)").contains("a decision boundary is drawn over 2"))
        #expect(errorHeader("plot(\"loss\")").contains("a history"))
    }
}
