import CZlib

/// The gzip container (RFC 1952) around DEFLATE, decoded by the system's zlib (which checks
/// the header, the CRC-32 and the size). Concatenated members are decoded one after another,
/// as `gunzip` does.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents. Throws an `EngineError` saying what is wrong (not gzip,
    /// corrupt or truncated data, CRC or length mismatch); the caller adds the file name.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        guard isGzip(bytes) else { throw EngineError("not gzip data (no 1f 8b magic number)") }
        var stream = z_stream()
        // 15 + 16: a gzip wrapper (not zlib's, not raw DEFLATE) with the largest window.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw EngineError("gzip: zlib could not start (out of memory)")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: initialCapacity(bytes))
        var produced = 0
        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
            stream.avail_in = UInt32(input.count)
            while true {
                if produced == output.count {
                    guard output.count < maximumSize else {
                        throw EngineError("gzip data expands past \(maximumSize >> 30) GiB; refusing to decompress it")
                    }
                    output += [UInt8](repeating: 0, count: min(output.count, maximumSize - output.count))
                }
                let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(out.count - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced = out.count - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; anything else after the last one (such as
                    // tape padding) ends the stream, as it does for gunzip.
                    let consumed = input.count - Int(stream.avail_in)
                    guard input.count - consumed >= 2, input[consumed] == 0x1f, input[consumed + 1] == 0x8b else { return }
                    inflateReset(&stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress although output space was free: the input ran out.
                    throw EngineError("truncated gzip data: it ends before the compressed stream and its CRC-32 trailer do")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw EngineError("corrupt gzip data: \(reason)")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Decompression stops at 4 GiB: more than any data set nns reads, and a guard against
    /// a small file that expands without end.
    static let maximumSize = 1 << 32

    /// The output buffer's first size: the trailer's ISIZE (the size mod 2³²), checked
    /// against what DEFLATE can expand to (1032:1), so a corrupt trailer cannot reserve more.
    private static func initialCapacity(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        guard n >= 4 else { return 1024 }
        let size = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
        return max(1024, min(size, n * 1032 + 1024, 1 << 30))
    }
}

/// CRC-32 (IEEE 802.3), as gzip and PNG use it: zlib's.
public enum CRC32 {
    public static func checksum(_ data: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let base = data.baseAddress else { return 0 }
        var crc: UInt = 0
        var start = 0
        while start < data.count {  // zlib takes a 32-bit length
            let n = min(data.count - start, Int(UInt32.max))
            crc = crc32(crc, base + start, UInt32(n))
            start += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }
}
