import Foundation

/// The IDX format of the MNIST files: a 4-byte magic (0, 0, dtype, number of dimensions),
/// each dimension as a big-endian 32-bit count, then the data. Files may be gzip-compressed
/// (detected by the 1f 8b magic, not by the name). Only unsigned-byte data (dtype 0x08) is
/// read — what every MNIST-style file uses.
public enum IDX {
    /// A decoded IDX file: its dimensions and its bytes (header removed).
    public struct Array: Sendable {
        public let dimensions: [Int]
        public let bytes: [UInt8]
    }

    /// Reads and validates one IDX file (raw or gzip). Errors start with the file name.
    public static func read(_ path: String) throws -> Array {
        let name = (path as NSString).lastPathComponent
        let raw = try readFile(path)
        let contents: [UInt8]
        if Gzip.isGzip(raw) {
            do { contents = try Gzip.decompress(raw) } catch let e as EngineError {
                throw EngineError("\(name): \(e.message)", hint: "the file is damaged; download it again")
            }
        } else {
            contents = raw
        }
        return try parse(consume contents, name: name)
    }

    /// Parses IDX bytes already decompressed; `name` prefixes error messages.
    public static func parse(_ b: consuming [UInt8], name: String) throws -> Array {
        guard b.count >= 4 else {
            throw EngineError("\(name): truncated: \(b.count) bytes is too short for an IDX header",
                              hint: "the file is damaged; download it again")
        }
        guard b[0] == 0, b[1] == 0 else {
            throw EngineError("\(name): not an IDX file (magic number starts \(hex(b[0])) \(hex(b[1])), expected 00 00)",
                              hint: "MNIST files are named like train-images-idx3-ubyte.gz")
        }
        guard b[2] == 0x08 else {
            let kinds: [UInt8: String] = [0x09: "signed bytes", 0x0B: "16-bit integers", 0x0C: "32-bit integers",
                                          0x0D: "32-bit floats", 0x0E: "64-bit floats"]
            throw EngineError("\(name): unsupported IDX data type \(hex(b[2])) (\(kinds[b[2]] ?? "unknown"))",
                              hint: "only unsigned-byte IDX files (type 08), as MNIST uses, are supported")
        }
        let rank = Int(b[3])
        guard rank >= 1 else { throw EngineError("\(name): the IDX header declares no dimensions") }
        let headerSize = 4 + 4 * rank
        guard b.count >= headerSize else {
            throw EngineError("\(name): truncated: the header declares \(rank) dimensions but the file ends after \(b.count) bytes",
                              hint: "the file is damaged; download it again")
        }
        var dims: [Int] = []
        var total = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let n = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
            dims.append(n)
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            guard !overflow, product <= 1 << 34 else {
                throw EngineError("\(name): the header's dimensions \(dims) are implausibly large", hint: "the file is damaged")
            }
            total = product
        }
        let held = b.count - headerSize
        guard held == total else {
            let what = describe(dims)
            if held < total {
                throw EngineError("\(name): truncated: header says \(what) (\(total) bytes) but the file holds \(held)",
                                  hint: "the file is incomplete; download it again")
            }
            throw EngineError("\(name): header says \(what) (\(total) bytes) but the file holds \(held)",
                              hint: "the file is damaged or not an IDX file")
        }
        // Drop the header in place: MNIST's 47 MB are moved, not copied into a second array.
        var bytes = b
        bytes.removeFirst(headerSize)
        return Array(dimensions: dims, bytes: bytes)
    }

    /// "60000 images of 28×28", "60000 labels", or the dimensions.
    static func describe(_ dims: [Int]) -> String {
        switch dims.count {
        case 1: return "\(dims[0]) labels"
        case 3: return "\(dims[0]) images of \(dims[1])×\(dims[2])"
        default: return "dimensions " + dims.map(String.init).joined(separator: "×")
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let s = String(byte, radix: 16)
        return s.count == 1 ? "0" + s : s
    }

    /// A data set of images (IDX3, or IDX2 of feature rows) and labels (IDX1), pixels scaled
    /// to [0, 1]. `classCount` defaults to the largest label + 1.
    public static func dataset(images imagesPath: String, labels labelsPath: String, classCount: Int? = nil) throws -> Dataset {
        let images = try read(imagesPath)
        let labels = try read(labelsPath)
        let imagesName = (imagesPath as NSString).lastPathComponent
        let labelsName = (labelsPath as NSString).lastPathComponent
        guard images.dimensions.count >= 2 else {
            throw EngineError("\(imagesName): expected images (3 dimensions: count×rows×columns) but the file has \(images.dimensions.count)",
                              hint: "are the image and label files swapped?")
        }
        guard labels.dimensions.count == 1 else {
            throw EngineError("\(labelsName): expected labels (1 dimension) but the file has \(labels.dimensions.count)",
                              hint: "are the image and label files swapped?")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw EngineError("\(imagesName) holds \(images.dimensions[0]) images but \(labelsName) holds \(labels.dimensions[0]) labels",
                              hint: "use an images file and the labels file of the same set (train or t10k)")
        }
        guard images.dimensions[0] >= 1 else { throw EngineError("\(imagesName): holds no images") }
        let shape = Swift.Array(images.dimensions.dropFirst())
        let width = shape.reduce(1, *)
        guard width >= 1 else { throw EngineError("\(imagesName): images have no pixels (\(shape))") }
        let labelValues = labels.bytes.map { Int32($0) }
        let k = classCount ?? (Int(labelValues.max() ?? 0) + 1)
        if let bad = labelValues.first(where: { Int($0) >= k }) {
            throw EngineError("\(labelsName): label \(bad) is outside 0..<\(k)")
        }
        var data = try Dataset(inputs: .bytes(images.bytes, scale: 1 / 255), inputWidth: width,
                               targets: .labels(labelValues, classCount: k), exampleShape: shape)
        data.source = .idx(images: DataSource.absolute(imagesPath), labels: DataSource.absolute(labelsPath))
        return data
    }
}

/// The whole file as bytes, or an error naming it and saying why it could not be read
/// (missing, unreadable, or not a regular file: FIFOs and devices are refused, never waited on).
func readFile(_ path: String) throws -> [UInt8] {
    try FileReader.contents(of: path)
}
