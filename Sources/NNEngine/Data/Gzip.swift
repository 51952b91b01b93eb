/// The gzip container (RFC 1952) around DEFLATE: header, compressed data, CRC-32 and size.
/// Concatenated members are decoded one after another, as `gunzip` does.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents. Throws an `EngineError` saying what is wrong (bad header,
    /// corrupt or truncated data, CRC or length mismatch); the caller adds the file name.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBufferPointer { input in
            var result: [UInt8] = []
            var start = 0
            repeat {
                let (member, next) = try decompressMember(input, at: start)
                if result.isEmpty { result = member } else { result += member }
                start = next
                // Trailing zero padding (as some tape tools write) ends the stream.
            } while start + 2 <= input.count && input[start] == 0x1f && input[start + 1] == 0x8b
            return result
        }
    }

    private static func decompressMember(_ input: UnsafeBufferPointer<UInt8>, at start: Int) throws -> ([UInt8], Int) {
        guard input.count - start >= 18 else { throw EngineError("truncated gzip data: \(input.count - start) bytes is too short for a gzip header") }
        guard input[start] == 0x1f, input[start + 1] == 0x8b else { throw EngineError("not gzip data (no 1f 8b magic number)") }
        guard input[start + 2] == 8 else { throw EngineError("unsupported gzip compression method \(input[start + 2]) (only deflate, 8, exists)") }
        let flags = input[start + 3]
        guard flags & 0xE0 == 0 else { throw EngineError("corrupt gzip header: reserved flag bits set") }
        var p = start + 10
        func need(_ n: Int) throws {
            guard p + n <= input.count else { throw EngineError("truncated gzip header") }
        }
        if flags & 4 != 0 {  // FEXTRA
            try need(2)
            let extra = Int(input[p]) | Int(input[p + 1]) << 8
            p += 2
            try need(extra)
            p += extra
        }
        for flag in [UInt8(8), 16] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while true {
                try need(1)
                p += 1
                if input[p - 1] == 0 { break }
            }
        }
        if flags & 2 != 0 { try need(2); p += 2 }  // FHCRC

        // ISIZE (size mod 2³²) sizes the output buffer; it is checked, not trusted.
        let sizeHint = input.count >= 4 ? Int(readLE32(input, input.count - 4)) : 0
        // DEFLATE expands at most 1032:1, so a corrupt ISIZE cannot make us reserve more.
        let plausible = min(sizeHint, (input.count - p) * 1032 + 1024, 1 << 30)
        var inflater = Inflater(input: input, start: p, expectedSize: plausible)
        let output = try inflater.inflate()
        let end = inflater.position
        guard end + 8 <= input.count else { throw EngineError("truncated gzip data: the CRC-32 and size trailer is missing") }
        let storedCRC = readLE32(input, end)
        let storedSize = readLE32(input, end + 4)
        guard storedSize == UInt32(truncatingIfNeeded: output.count) else {
            throw EngineError("corrupt gzip data: the trailer says \(storedSize) bytes but \(output.count) were decoded")
        }
        let crc = CRC32.checksum(UnsafeBufferPointer(start: output.base, count: output.count))
        guard crc == storedCRC else { throw EngineError("corrupt gzip data: CRC-32 mismatch") }
        return (output.bytes, end + 8)
    }

    private static func readLE32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), slicing by 8 bytes.
public enum CRC32 {
    /// Eight 256-entry tables, flattened: table k at offset 256·k.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 256 * 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[256 * (k - 1) + i]
                t[256 * k + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    public static func checksum(_ data: UnsafeBufferPointer<UInt8>) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var c: UInt32 = 0xFFFFFFFF
            var i = 0
            let n = data.count
            guard let base = data.baseAddress else { return 0 }
            while i + 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ c
                let high = UInt32(truncatingIfNeeded: word >> 32)
                c = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(base[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
            return c ^ 0xFFFFFFFF
        }
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }
}
