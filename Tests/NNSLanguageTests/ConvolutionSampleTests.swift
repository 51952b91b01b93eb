import Foundation
import Testing
@testable import NNSLanguage

/// samples/convolution.nns prints numbers a student checks on paper. The expected values were
/// worked by hand (as the sample's comments do) and checked with NumPy: the 6×6 image
/// correlated with the kernel [[-1, 0, 1]] × 3 plus bias −1, relu, 2×2 max pooling, then mse
/// against zeros with the gradient routed to each pooling window's winner:
///   z = [[3, 7, 4, −2], [5, 6, 1, −4], [7, 5, −3, −7], [6, 6, −4, −9]]
///   relu(z) = [[3, 7, 4, 0], [5, 6, 1, 0], [7, 5, 0, 0], [6, 6, 0, 0]],  pooled [[7, 4], [7, 0]]
///   C = ½(49 + 16 + 49) = 57,  δ = 7, 4, 7 at (0,1), (0,2), (2,0)
///   ∂C/∂W = [[4, 26, 47], [4, 26, 54], [15, 33, 54]],  ∂C/∂b = 18
@Suite struct ConvolutionSampleTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/convolution.nns").path

    /// Runs the sample with `arguments` and returns what it printed.
    func run(_ arguments: [String]) throws -> String {
        let host = CapturingHost()
        let interpreter = Interpreter(host: host, arguments: arguments)
        try NNSLanguage.withInterpreterStack { try interpreter.runFile(at: Self.sample) }
        return host.output
    }

    /// The numbers printed after the label of the line starting with `label` (and on the
    /// lines continuing it, which start with a bracket or a space), leaving out a tensor's `tensor[1×4×4]` header.
    func printed(_ label: String, in output: String) -> [Double] {
        let lines = output.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(label) }) else { return [] }
        var text = String(lines[start].dropFirst(label.count))
        for line in lines[(start + 1)...] {
            guard line.hasPrefix(" ") || line.hasPrefix("[") else { break }
            text += line
        }
        if let header = text.range(of: #"tensor\[[^\]]*\]"#, options: .regularExpression) { text.removeSubrange(header) }
        var values: [Double] = []
        var current = ""
        for ch in text + " " {
            if ch.isNumber || ch == "." || ch == "-" || ch == "e" && !current.isEmpty {
                current.append(ch)
            } else {
                if let v = Double(current) { values.append(v) }
                current = ""
            }
        }
        return values
    }

    @Test func printsTheHandWorkedNumbers() throws {
        let out = try run([])
        #expect(printed("z = conv(x):", in: out) == [3, 7, 4, -2, 5, 6, 1, -4, 7, 5, -3, -7, 6, 6, -4, -9])
        #expect(printed("a = relu(z):", in: out) == [3, 7, 4, 0, 5, 6, 1, 0, 7, 5, 0, 0, 6, 6, 0, 0])
        #expect(printed("maxpool(a):", in: out) == [7, 4, 7, 0])
        #expect(printed("C =", in: out) == [57])
        #expect(printed("δ = ∂C/∂z:", in: out) == [0, 7, 4, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0])
        #expect(printed("∂C/∂W:", in: out) == [4, 26, 47, 4, 26, 54, 15, 33, 54])
        #expect(printed("∂C/∂b:", in: out) == [18])
    }

    @Test func drawsIntoTheFolderItIsGiven() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-conv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try run([dir.path])
        for name in ["convolution_features.svg", "convolution_kernel.svg"] {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("<svg") || text.contains("<svg"))
        }
    }
}
