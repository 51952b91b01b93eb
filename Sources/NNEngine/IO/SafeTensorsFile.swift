#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The contents of a safetensors file: a validated header and the data section it describes.
/// Read with `SafeTensorsFile.read(path:)`, build with `init(tensors:metadata:)` and write
/// with `encoded()` (or `write(to:)`, atomically).
public struct SafeTensorsFile {
    public var header: SafeTensorsHeader
    /// The data section: every tensor's little-endian elements, located by `header`.
    public var data: [UInt8]

    /// A tensor to store: its elements as raw little-endian bytes of `dtype`.
    public struct Item {
        public var name: String
        public var dtype: SafeTensorsDType
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        /// An F32 tensor.
        public init(name: String, tensor: Tensor) {
            var bytes = [UInt8]()
            bytes.reserveCapacity(tensor.count * 4)
            for x in tensor.scalars { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            self.init(name: name, dtype: .F32, shape: tensor.shape, bytes: bytes)
        }
    }

    /// Lays `items` out back to back in the given order. Names must be unique, shapes must
    /// match byte counts, and `__metadata__` is reserved.
    public init(items: [Item], metadata: [(key: String, value: String)] = []) throws {
        var entries: [SafeTensorsEntry] = []
        var data: [UInt8] = []
        var seen = Set<String>()
        for item in items {
            guard item.name != "__metadata__", seen.insert(item.name).inserted else {
                throw EngineError("cannot store two tensors named \"\(item.name)\" in one safetensors file")
            }
            let count = item.shape.reduce(1, *)
            guard count * item.dtype.byteSize == item.bytes.count else {
                throw EngineError("tensor \"\(item.name)\" of shape \(item.shape) needs \(count * item.dtype.byteSize) bytes, got \(item.bytes.count)")
            }
            entries.append(SafeTensorsEntry(name: item.name, dtype: item.dtype, shape: item.shape,
                                            dataOffsets: data.count..<data.count + item.bytes.count))
            data += item.bytes
        }
        self.header = SafeTensorsHeader(entries: entries, metadata: metadata)
        self.data = data
    }

    /// F32 tensors under the given names.
    public init(tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)] = []) throws {
        try self.init(items: tensors.map { Item(name: $0.name, tensor: $0.tensor) }, metadata: metadata)
    }

    /// The file's bytes: header length, JSON header padded with spaces to a multiple of 8
    /// (so the data section is aligned, as the reference implementation does), then data.
    public func encoded() -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !header.metadata.isEmpty {
            members.append(("__metadata__", .object(header.metadata.map { ($0.key, .string($0.value)) })))
        }
        for entry in header.entries {
            members.append((entry.name, .object([
                ("dtype", .string(entry.dtype.rawValue)),
                ("shape", .array(entry.shape.map { .integer($0) })),
                ("data_offsets", .array([.integer(entry.dataOffsets.lowerBound), .integer(entry.dataOffsets.upperBound)])),
            ])))
        }
        var json = Array(JSONValue.object(members).serialized.utf8)
        json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + data.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out += json
        out += data
        return out
    }

    /// Writes the file atomically (see `AtomicFile`).
    public func write(to path: String, using io: FileIO = .system) throws {
        try AtomicFile.write(encoded(), to: path, using: io)
    }

    /// Parses a whole file held in memory; the same checks as `read(path:)`.
    public init(bytes: [UInt8], source: String = "the data") throws {
        let total = bytes.count
        let length = try SafeTensorsFile.checkedHeaderLength(prefix: Array(bytes.prefix(8)), fileSize: total, source: source)
        let json = Array(bytes[8..<8 + length])
        self.header = try SafeTensorsFile.parseHeader(json, dataLength: total - 8 - length, source: source)
        self.data = Array(bytes[(8 + length)...])
    }

    /// Reads and validates a safetensors file. The header length is checked against the
    /// file's size and a limit, and every offset against the data, before anything the header
    /// asks for is allocated.
    /// - Throws: `EngineError` naming the file and what is wrong with it.
    public static func read(path: String) throws -> SafeTensorsFile {
        let file = try FileReader(path: path)
        defer { file.close() }
        let size = try file.size()
        let prefix = try file.read(count: min(8, size))
        let length = try checkedHeaderLength(prefix: prefix, fileSize: size, source: path)
        let json = try file.read(count: length)
        let header = try parseHeader(json, dataLength: size - 8 - length, source: path)
        let data = try file.read(count: size - 8 - length)
        return SafeTensorsFile(header: header, data: data)
    }

    private init(header: SafeTensorsHeader, data: [UInt8]) {
        self.header = header
        self.data = data
    }

    private static func invalid(_ source: String, _ problem: String) -> EngineError {
        EngineError("\(source) is not a valid safetensors file: \(problem)",
                    hint: "the file may be truncated or damaged; save it again from its source")
    }

    private static func checkedHeaderLength(prefix: [UInt8], fileSize: Int, source: String) throws -> Int {
        guard prefix.count == 8 else {
            throw invalid(source, "it is \(fileSize) bytes long, too short for the 8-byte header length")
        }
        let length = prefix.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(SafeTensorsHeader.maxHeaderLength) else {
            throw invalid(source, "its header length \(length) exceeds the \(SafeTensorsHeader.maxHeaderLength)-byte limit")
        }
        guard Int(length) <= fileSize - 8 else {
            throw invalid(source, "its header claims \(length) bytes but only \(fileSize - 8) follow the length")
        }
        guard length >= 2 else { throw invalid(source, "its header is \(length) bytes, too short for a JSON object") }
        return Int(length)
    }

    private static func parseHeader(_ json: [UInt8], dataLength: Int, source: String) throws -> SafeTensorsHeader {
        do {
            return try SafeTensorsHeader.parse(json: json, dataLength: dataLength)
        } catch let error as SafeTensorsFormatError {
            throw invalid(source, error.message)
        }
    }

    /// The bytes of one entry.
    public func bytes(of entry: SafeTensorsEntry) -> ArraySlice<UInt8> {
        data[entry.dataOffsets]
    }

    /// The tensor named `name` as Float elements, converting F64, F16 and BF16.
    /// - Throws: `EngineError` when there is no such tensor or its dtype is not floating point.
    public func tensor(named name: String) throws -> Tensor {
        guard let entry = header.entry(named: name) else {
            throw EngineError("no tensor named \"\(name)\" in the file")
        }
        return try tensor(for: entry)
    }

    /// The elements of `entry` as a Float tensor.
    public func tensor(for entry: SafeTensorsEntry) throws -> Tensor {
        let bytes = self.bytes(of: entry)
        let n = entry.elementCount
        var scalars = [Float](repeating: 0, count: n)
        try bytes.withUnsafeBytes { raw in
            switch entry.dtype {
            case .F32:
                for i in 0..<n { scalars[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
            case .F64:
                for i in 0..<n { scalars[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
            case .BF16:
                for i in 0..<n { scalars[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16) }
            case .F16:
                for i in 0..<n { scalars[i] = floatFromHalf(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
            default:
                throw EngineError("tensor \"\(entry.name)\" has dtype \(entry.dtype.rawValue); nns reads floating-point tensors (F32, F64, F16, BF16)",
                                  hint: "convert it to float32 before saving, e.g. tensor.float() in PyTorch")
            }
        }
        return Tensor(shape: entry.shape, scalars: scalars)
    }
}

/// IEEE 754 half precision bits to Float (exact: every half is a Float).
func floatFromHalf(_ bits: UInt16) -> Float {
    let sign = UInt32(bits >> 15) << 31
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    if exponent == 0 {
        // Subnormal (or zero): mantissa · 2⁻²⁴.
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}
