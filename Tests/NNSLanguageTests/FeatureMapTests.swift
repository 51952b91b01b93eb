import Foundation
import Testing
@testable import NNSLanguage

/// plot_features and plot_weights on conv layers, on the edge network of
/// samples/convolution.nns. The shades follow WeightImages' thresholds on value / max|value|:
/// > 0.6 █, > 0.35 ▓, > 0.15 ▒, > 0.05 ░, < −0.15 -, else blank.
@Suite struct FeatureMapTests {
    static let setup = """
        image = [0, 0, 1, 3, 3, 3,  0, 0, 1, 3, 3, 3,  0, 1, 2, 3, 3, 2,
                 0, 1, 3, 3, 2, 1,  0, 1, 3, 3, 1, 0,  0, 0, 1, 3, 1, 0]
        conv = conv2d(1, 1, 3, weight: [[[[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]]], bias: [-1])
        net = reshape(1, 6, 6) |> conv |> relu |> maxpool(2) |> flatten

        """

    @Test func featureMapsAsText() throws {
        // relu(z) = [[3, 7, 4, 0], [5, 6, 1, 0], [7, 5, 0, 0], [6, 6, 0, 0]], largest 7:
        // 3/7 = 0.43 ▓, 4/7 = 0.57 ▓, 1/7 = 0.14 ░, 5/7, 6/7 and 7/7 █.
        let text = try evalText(Self.setup + "plot_features(net, image, 2)")
        let lines = text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        #expect(lines.first?.hasPrefix("net[2] = relu: 1 feature map of 4×4") == true)
        #expect(Array(lines.dropFirst(2).prefix(4)) == ["▓█▓", "██░", "██", "██"])
    }

    @Test func kernelsAsText() throws {
        // The kernel [-1, 0, 1] in each row: − blank █.
        let text = try evalText(Self.setup + "plot_weights(conv)")
        let lines = text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        #expect(lines.first?.contains("1 kernel of 3×3") == true)
        #expect(Array(lines.dropFirst(2).prefix(3)) == ["- █", "- █", "- █"])
        #expect(try evalText(Self.setup + "plot_weights(net)") == text)
    }

    @Test func writesSVGWithATilePerChannel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("maps.svg").path
        _ = try runNNS(Self.setup + """
            two = reshape(1, 6, 6) |> conv2d(1, 2, 3, weight: [[[[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]], [[[1, 0, -1], [1, 0, -1], [1, 0, -1]]]], bias: [-1, -1])
            plot_features(two, image, 1, "\(path)")
            """)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.contains(">ch 0<") && svg.contains(">ch 1<") && svg.contains("2 feature maps of 4×4"))
    }

    @Test func locatedErrors() {
        #expect(errorText(Self.setup + "plot_features(net, image, 9)").contains("layer 9 is out of range: the network has 5 layers (0 to 4)"))
        #expect(errorText(Self.setup + "plot_features(net, image, 4)").contains("net[4] = flatten gives [4], not images"))
        #expect(errorText(Self.setup + "plot_features(net, rand([2, 36]), 1)").contains("x is a batch of 2 samples"))
        #expect(errorText(Self.setup + "plot_features(net, rand([5]), 1)").contains("network expects 36 inputs per sample but x has 5"))
        #expect(errorHeader(Self.setup + "plot_features(net, image, 9)").hasPrefix("<test>:5:27:"))
    }
}
