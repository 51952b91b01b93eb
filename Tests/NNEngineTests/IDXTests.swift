import Foundation
import Testing
@testable import NNEngine

/// IDX files the tests write themselves into a fresh temporary directory.
private struct IDXFiles {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "nns-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    static func header(_ dims: [Int], dtype: UInt8 = 8) -> [UInt8] {
        var out: [UInt8] = [0, 0, dtype, UInt8(dims.count)]
        for d in dims { out += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return out
    }

    /// 3 images of 2×2 with pixels 0, 51, 102, … (0/255, 0.2, 0.4, …) and labels 2, 0, 1.
    static let images = header([3, 2, 2]) + (0..<12).map { UInt8($0 % 6 * 51) }
    static let labels = header([3]) + [2, 0, 1]
}

@Suite struct IDXTests {
    @Test func readsRawAndGzipFiles() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let raw = try IDX.dataset(images: try files.write("i-idx3-ubyte", IDXFiles.images),
                                  labels: try files.write("l-idx1-ubyte", IDXFiles.labels))
        let gz = try IDX.dataset(images: try files.write("i.gz", GzipFixtures.storedGzip(IDXFiles.images)),
                                 labels: try files.write("l.gz", GzipFixtures.storedGzip(IDXFiles.labels)))
        for data in [raw, gz] {
            #expect(data.count == 3)
            #expect(data.inputWidth == 4)
            #expect(data.exampleShape == [2, 2])
            #expect(data.classCount == 3)
            #expect(data.label(at: 0) == 2)
            // Second image: pixels 4, 5, 0, 1 of the 0…5 cycle, times 51/255 = 0.2.
            let (x, y) = try data.example(at: 1)
            #expect(zip(x.scalars, [0.8, 1.0, 0.0, 0.2] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
            #expect(y.scalars == [0])
        }
    }

    @Test func truncatedImagesNameTheFileAndTheSizes() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let images = try files.write("train-images-idx3-ubyte.gz", GzipFixtures.storedGzip(Array(IDXFiles.images.dropLast(5))))
        let labels = try files.write("l", IDXFiles.labels)
        do {
            _ = try IDX.dataset(images: images, labels: labels)
            Issue.record("a truncated file was accepted")
        } catch let e as EngineError {
            #expect(e.message == "train-images-idx3-ubyte.gz: truncated: header says 3 images of 2×2 (12 bytes) but the file holds 7")
        }
    }

    @Test func truncatedGzipStreamIsAnError() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let gz = GzipFixtures.storedGzip(IDXFiles.images)
        let path = try files.write("cut.gz", Array(gz.dropLast(12)))
        #expect { try IDX.read(path) } throws: { e in
            (e as? EngineError)?.message.hasPrefix("cut.gz: truncated") == true
        }
    }

    @Test func wrongMagicAndTypeAndDimensions() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let text = try files.write("notes.txt", Array("hello, this is not IDX".utf8))
        #expect { try IDX.read(text) } throws: { ($0 as? EngineError)?.message.contains("not an IDX file") == true }
        let floats = try files.write("f", IDXFiles.header([1], dtype: 0x0D) + [0, 0, 0, 0])
        #expect { try IDX.read(floats) } throws: { ($0 as? EngineError)?.message.contains("unsupported IDX data type 0d") == true }
        let short = try files.write("s", [0, 0, 8, 3, 0, 0])
        #expect { try IDX.read(short) } throws: { ($0 as? EngineError)?.message.contains("truncated") == true }
        let long = try files.write("long", IDXFiles.labels + [7])
        #expect { try IDX.read(long) } throws: { ($0 as? EngineError)?.message.contains("holds 4") == true }
        let huge = try files.write("huge", IDXFiles.header([0x7FFF_FFFF, 0x7FFF_FFFF, 0x7FFF_FFFF]))
        #expect { try IDX.read(huge) } throws: { ($0 as? EngineError)?.message.contains("implausibly large") == true }
        #expect { try IDX.read(files.directory + "/absent") } throws: { ($0 as? EngineError)?.message.contains("No such file") == true }
    }

    @Test func mismatchedCountsAndSwappedFiles() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let images = try files.write("images", IDXFiles.images)
        let fourLabels = try files.write("labels4", IDXFiles.header([4]) + [0, 1, 2, 3])
        #expect { try IDX.dataset(images: images, labels: fourLabels) } throws: {
            ($0 as? EngineError)?.message == "images holds 3 images but labels4 holds 4 labels"
        }
        let labels = try files.write("labels", IDXFiles.labels)
        #expect(throws: EngineError.self) { try IDX.dataset(images: labels, labels: images) }
    }

    @Test func missingMNISTSaysWhereItLookedAndHowToGetIt() throws {
        let env = ["NNS_DATA": "/nonexistent-nns-data", "HOME": "/nonexistent-home"]
        do {
            _ = try StandardDataset.mnist.load("train", environment: env)
            Issue.record("found MNIST in a nonexistent directory")
        } catch let e as EngineError {
            #expect(e.message.contains("/nonexistent-nns-data/mnist"))
            #expect(e.message.contains("/nonexistent-home/.nns/data/mnist"))
            #expect(e.message.contains("./data/mnist"))
            #expect(e.message.contains("/usr/share/datasets/mnist"))
            #expect(e.hint?.contains("train-images-idx3-ubyte.gz") == true)
        }
        #expect(throws: EngineError.self) { try StandardDataset.mnist.load("validation", environment: env) }
        let fashion = StandardDataset.fashionMNIST.searchDirectories(environment: env)
        #expect(fashion.last == "/usr/share/datasets/fashion-mnist")
    }

    /// Debian's dataset-fashion-mnist files, when installed (skipped otherwise): the labels
    /// of the test set (small, quick to inflate in a debug build).
    @Test func installedFashionMNISTLabels() throws {
        let path = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let labels = try IDX.read(path)
        #expect(labels.dimensions == [10000])
        #expect(labels.bytes.max() == 9)
        #expect(labels.bytes[0] == 9)  // the first Fashion-MNIST test item is an ankle boot (class 9)
    }

    /// The real MNIST files, when the shared data directory has them (skipped otherwise).
    /// The 60,000 training images take ~10 s to inflate in a debug build, so the training set
    /// is checked through its labels file; the test set is loaded whole.
    /// The project's data folder: `$NNS_DATA`, else `../shared/data` beside the checkout.
    static var dataFolder: String {
        if let folder = ProcessInfo.processInfo.environment["NNS_DATA"] { return folder }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return checkout.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }

    @Test func realMNIST() throws {
        let dir = Self.dataFolder + "/mnist"
        guard FileManager.default.fileExists(atPath: dir + "/t10k-images-idx3-ubyte.gz") else { return }
        let trainLabels = try IDX.read(dir + "/train-labels-idx1-ubyte.gz")
        #expect(trainLabels.dimensions == [60000])
        #expect(trainLabels.bytes[0] == 5)  // the famous first training digit
        // The decompressed bytes, header included, as Python's gzip module reads them:
        // length and byte sum of gzip.open(f).read().
        let testImages = try Gzip.decompress(try readFile(dir + "/t10k-images-idx3-ubyte.gz"))
        #expect(testImages.count == 7_840_016)
        #expect(testImages.reduce(0) { $0 + Int($1) } == 264_923_322)
        let headerSum = 0x08 + 0x01 + 0xEA + 0x60  // 00 00 08 01 | 00 00 EA 60 (60,000 labels)
        #expect(trainLabels.bytes.reduce(0) { $0 + Int($1) } + headerSum == 267_575)
        let test = try StandardDataset.mnist.load("test", environment: ["NNS_DATA": Self.dataFolder])
        #expect(test.count == 10000)
        #expect(test.inputWidth == 784)
        #expect(test.classCount == 10)
        #expect(test.label(at: 0) == 7)  // the first test digit is a 7
        guard case .bytes(let pixels, let scale) = test.inputs else { Issue.record("pixels not bytes"); return }
        #expect(scale == Float(1) / 255)
        #expect(pixels.max() == 255 && pixels.min() == 0)
        let (x, _) = try test.example(at: 0)
        #expect(x.scalars.allSatisfy { $0 >= 0 && $0 <= 1 } && x.scalars.max() == 1)
    }
}
