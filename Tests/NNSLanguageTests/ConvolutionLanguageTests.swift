import Foundation
import Testing
@testable import NNSLanguage

/// SPEC §13 through the language: building CNNs, their shape errors (located at the pipe,
/// with a fix), printing that re-parses, and files.
@Suite struct ConvolutionLanguageTests {
    static let mnistCNN = "reshape(1,28,28) |> conv2d(1,32,3) |> relu |> maxpool(2) |> conv2d(32,64,3) |> relu |> maxpool(2) |> flatten |> linear(1600,128) |> relu |> linear(128,10) |> softmax"

    /// PyTorch's count for this network, by hand: conv 32·1·3·3 + 32 = 320, conv 64·32·3·3 + 64
    /// = 18,496, linear 1600·128 + 128 = 204,928, linear 128·10 + 10 = 1,290.
    @Test func mnistCNNHasPyTorchsParameterCount() throws {
        #expect(try evalNumber("nparams(\(Self.mnistCNN))") == 320 + 18_496 + 204_928 + 1_290)
        let (output, _) = try runNNS("summary(\(Self.mnistCNN))")
        // 28 − 3 + 1 = 26, ⌊26/2⌋ = 13, 13 − 3 + 1 = 11, ⌊11/2⌋ = 5, 64·5·5 = 1600
        for row in ["[m, 32, 26, 26]", "[m, 32, 13, 13]", "[m, 64, 11, 11]", "[m, 64, 5, 5]", "[m, 1600]", "225,034"] {
            #expect(output.contains(row), "summary lacks \(row)")
        }
    }

    /// The second network: conv h (9 + 2 − 3)/2 + 1 = 5, w (8 + 2 − 5)/2 + 1 = 3; avgpool(2,
    /// stride: 1) → 4×4×2 = 32.
    @Test func printedFormReparsesToTheSameSummary() throws {
        for source in [Self.mnistCNN,
                       "reshape(3, 9, 8) |> conv2d(3, 4, [3, 5], stride: 2, padding: 1) |> batchnorm2d(4) |> elu |> avgpool(2, stride: 1) |> dropout(0.25) |> flatten |> linear(32, 2)"] {
            let text = try runNNS("print(\(source))").output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(text.contains("conv2d("))
            #expect(try runNNS("summary(\(text))").output == runNNS("summary(\(source))").output)
        }
        #expect(try runNNS("print(conv2d(16, 32, [3, 5], stride: 2, padding: 1))").output == "conv2d(16, 32, [3, 5], stride: 2, padding: 1)\n")
        #expect(try runNNS("print(maxpool([2, 3], stride: 1))").output == "maxpool([2, 3], stride: 1)\n")
    }

    @Test func channelMismatchNamesBothLayers() {
        #expect(errorText("net = reshape(1, 28, 28) |> conv2d(1, 16, 3) |> relu\n  |> conv2d(32, 64, 3)") == """
        <test>:2:3: error: layer 4 expects 32 channels but layer 2 gives 16
          |> conv2d(32, 64, 3)
          ^~
        hint: layer 2 is conv2d(1, 16, 3), layer 4 is conv2d(32, 64, 3); make conv2d's first argument 16, the channels of the layer before
        """)
    }

    @Test func kernelLargerThanTheInput() {
        #expect(errorText("net = reshape(1, 4, 4)\n  |> conv2d(1, 2, 5)") == """
        <test>:2:3: error: conv2d(1, 2, 5) at layer 2 needs at least 5×5 input but gets 4×4
          |> conv2d(1, 2, 5)
          ^~
        hint: use a smaller kernel, more padding, or fewer poolings before it
        """)
    }

    @Test func poolingBelowOneByOne() {
        // 8 → 4 → 2 → 1, and a fourth maxpool(2) has nothing to pool
        #expect(errorText("net = reshape(1, 8, 8) |> maxpool(2) |> maxpool(2) |> maxpool(2)\n  |> maxpool(2)") == """
        <test>:2:3: error: maxpool(2) at layer 5 needs at least 2×2 input but gets 1×1
          |> maxpool(2)
          ^~
        hint: use a smaller window, or pool less before it
        """)
    }

    @Test func flatInputToConv2dSaysStartWithReshape() {
        #expect(errorText("net = linear(784, 784)\n  |> conv2d(1, 8, 3)") == """
        <test>:2:3: error: layer 2 expects images of 1 channel [c, h, w] but layer 1 gives flat samples of 784 numbers
          |> conv2d(1, 8, 3)
          ^~
        hint: layer 1 is linear(784, 784), layer 2 is conv2d(1, 8, 3); start with reshape(1, 28, 28)
        """)
        let header = errorHeader("net = conv2d(1, 8, 3) |> relu |> flatten |> linear(5408, 10)\nnet(zeros([2, 784]))")
        #expect(header.hasPrefix("<test>:2:"), "\(header)")
        #expect(errorText("net = conv2d(1, 8, 3) |> relu |> flatten |> linear(5408, 10)\nnet(zeros([2, 784]))").contains("reshape(1, 28, 28)"))
    }

    @Test func badArgumentsAreLocated() {
        #expect(errorHeader("conv2d(1, 8, [3, 0])") == "<test>:1:14: error: conv2d: parameter `kernel` must be a whole number ≥ 1 or a list [h, w] of them, got [3, 0]")
        #expect(errorHeader("maxpool(2, stride: -1)").hasPrefix("<test>:1:20: error: maxpool: parameter `stride`"))
        #expect(errorHeader("reshape(1, 28, 2.5)").hasPrefix("<test>:1:16: error: reshape: reshape(c, h, w) needs three positive whole numbers"))
        #expect(errorHeader("conv2d(1, 2, 3, weight: zeros([2, 1, 3]))").contains("weight must have shape [out, in, kh, kw] = [2×1×3×3]"))
    }

    @Test func reshapeStillReshapesTensors() throws {
        #expect(try evalText("reshape([1, 2, 3, 4, 5, 6], [3, 2])") == "tensor[3×2] [[1, 2], [3, 4], [5, 6]]")
    }

    @Test func saveLoadAndLoadIntoACNN() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nns-cnn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cnn.safetensors").path
        let net = "reshape(2, 6, 6) |> conv2d(2, 3, [3, 2], stride: [1, 2], padding: 1) |> batchnorm2d(3) |> relu |> maxpool(2) |> avgpool(1) |> flatten |> linear(18, 2)"
        // 2×6×6 → conv: h (6 + 2 − 3)/1 + 1 = 6, w (6 + 2 − 2)/2 + 1 = 4 → pool 2: 3×3×2 = 18
        let text = try evalText("""
        seed(3)
        net = \(net)
        x = rand([4, 72])
        y = net(x)
        save(net, "\(path)")
        copy = load("\(path)")
        other = \(net)
        load("\(path)", into: other)
        [str(copy) == str(net), max(abs(copy(x) - y)), max(abs(other(x) - y)), max(abs(other(x) - net(x)))]
        """)
        #expect(text == "[true, 0, 0, 0]")
    }
}
