/// The element types the safetensors format names, with their sizes in bytes.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64

    public var byteSize: Int {
        switch self {
        case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3: return 1
        case .I16, .U16, .F16, .BF16: return 2
        case .I32, .U32, .F32: return 4
        case .I64, .U64, .F64: return 8
        }
    }

    /// Whether nns can read the elements as Float (parameters are F32; F64, F16 and BF16
    /// files from other tools are converted).
    public var isFloatingPoint: Bool { [.F16, .BF16, .F32, .F64].contains(self) }
}

/// One tensor's entry in a safetensors header: where its bytes lie in the data section.
public struct SafeTensorsEntry: Equatable, Sendable {
    public var name: String
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    /// Byte range within the data section (the bytes after the header).
    public var dataOffsets: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A validated safetensors header: tensor entries, checked against each other and against
/// the size of the data section, and the string-to-string `__metadata__`.
///
/// The layout: 8 bytes little-endian header length N, N bytes of JSON
/// `{"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}, ...}`,
/// then the data section, every tensor's raw little-endian elements back to back.
public struct SafeTensorsHeader: Sendable {
    /// The largest header accepted, as in the reference implementation (100 MB): a length
    /// above it is a corrupted or hostile file, not a network.
    public static let maxHeaderLength = 100_000_000

    /// Tensors in the order their data appears.
    public var entries: [SafeTensorsEntry]
    /// `__metadata__` in file order.
    public var metadata: [(key: String, value: String)]

    public init(entries: [SafeTensorsEntry], metadata: [(key: String, value: String)]) {
        self.entries = entries
        self.metadata = metadata
    }

    public func entry(named name: String) -> SafeTensorsEntry? { entries.first { $0.name == name } }

    public func metadataValue(_ key: String) -> String? { metadata.first { $0.key == key }?.value }

    /// Parses and validates the JSON header of a file whose data section holds `dataLength`
    /// bytes. Nothing the header asks for is allocated here; every offset is checked against
    /// `dataLength` first.
    /// - Throws: `SafeTensorsFormatError` naming the first problem.
    public static func parse(json: [UInt8], dataLength: Int) throws -> SafeTensorsHeader {
        let root: JSONValue
        do {
            root = try JSONValue.parse(json, maxDepth: 8)
        } catch let error as JSONParseError {
            throw SafeTensorsFormatError("the header is not valid JSON (\(error))")
        }
        guard let members = root.objectValue else {
            throw SafeTensorsFormatError("the header is \(root.kindName), not a JSON object")
        }
        var entries: [SafeTensorsEntry] = []
        var metadata: [(key: String, value: String)] = []
        for (key, value) in members {
            if key == "__metadata__" {
                guard let pairs = value.objectValue else {
                    throw SafeTensorsFormatError("__metadata__ is \(value.kindName), not an object of strings")
                }
                for (mkey, mvalue) in pairs {
                    guard let s = mvalue.stringValue else {
                        throw SafeTensorsFormatError("__metadata__ value \"\(mkey)\" is \(mvalue.kindName), not a string")
                    }
                    metadata.append((mkey, s))
                }
            } else {
                entries.append(try parseEntry(name: key, value))
            }
        }
        try checkLayout(&entries, dataLength: dataLength)
        return SafeTensorsHeader(entries: entries, metadata: metadata)
    }

    private static func parseEntry(name: String, _ value: JSONValue) throws -> SafeTensorsEntry {
        guard value.objectValue != nil else {
            throw SafeTensorsFormatError("tensor \"\(name)\" is described by \(value.kindName), not an object")
        }
        guard let dtypeName = value["dtype"]?.stringValue else {
            throw SafeTensorsFormatError("tensor \"\(name)\" has no \"dtype\" string")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw SafeTensorsFormatError("tensor \"\(name)\" has unknown dtype \"\(dtypeName)\" (known: \(known))")
        }
        guard let shapeItems = value["shape"]?.arrayValue else {
            throw SafeTensorsFormatError("tensor \"\(name)\" has no \"shape\" array")
        }
        var shape: [Int] = []
        var count = 1
        for item in shapeItems {
            guard let extent = item.intValue, extent >= 0 else {
                throw SafeTensorsFormatError("tensor \"\(name)\" has a shape entry that is not a non-negative integer")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw SafeTensorsFormatError("tensor \"\(name)\" has an impossibly large shape") }
            count = product
            shape.append(extent)
        }
        guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].intValue, let end = offsets[1].intValue else {
            throw SafeTensorsFormatError("tensor \"\(name)\" has no \"data_offsets\" pair of integers")
        }
        guard begin >= 0, end >= begin else {
            throw SafeTensorsFormatError("tensor \"\(name)\" has invalid data_offsets [\(begin), \(end)]")
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes == end - begin else {
            throw SafeTensorsFormatError(
                "tensor \"\(name)\" has shape \(shape) of \(dtype.rawValue) (\(overflow ? "too many" : String(bytes)) bytes) but data_offsets [\(begin), \(end)] span \(end - begin) bytes")
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// Tensors must tile the data section exactly: no overlap, no gap, nothing past its end.
    private static func checkLayout(_ entries: inout [SafeTensorsEntry], dataLength: Int) throws {
        entries.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        var position = 0
        var previous: SafeTensorsEntry? = nil
        for entry in entries {
            let range = entry.dataOffsets
            if range.upperBound > dataLength {
                throw SafeTensorsFormatError(
                    "tensor \"\(entry.name)\" has data_offsets [\(range.lowerBound), \(range.upperBound)] beyond the \(dataLength) bytes of data in the file")
            }
            if range.lowerBound < position, let previous {
                throw SafeTensorsFormatError(
                    "tensors \"\(previous.name)\" and \"\(entry.name)\" overlap (bytes \(range.lowerBound)..<\(position))")
            }
            if range.lowerBound > position {
                throw SafeTensorsFormatError("the data has a gap of unclaimed bytes \(position)..<\(range.lowerBound)")
            }
            position = range.upperBound
            previous = entry
        }
        if position != dataLength {
            throw SafeTensorsFormatError(
                "the tensors cover \(position) bytes of data but the file holds \(dataLength) after the header")
        }
    }
}

/// What is wrong with a file claiming to be safetensors. `SafeTensorsFile` turns it into an
/// `EngineError` naming the file.
public struct SafeTensorsFormatError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
