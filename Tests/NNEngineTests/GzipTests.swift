import Foundation
import Testing
@testable import NNEngine

/// gzip files made by Python's gzip module (one per DEFLATE block type); the decompressed
/// contents are written out or generated independently here.
enum GzipFixtures {
    /// "hello hello hello hello!" — a fixed-Huffman block (type 1).
    static let fixed: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 255, 203, 72, 205, 201, 201, 87, 200, 64, 39, 21,
                                 1, 64, 113, 229, 167, 24, 0, 0, 0]
    /// "stored block data" at level 0 — a stored block (type 0).
    static let stored: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 0, 255, 1, 17, 0, 238, 255, 115, 116, 111, 114, 101,
                                  100, 32, 98, 108, 111, 99, 107, 32, 100, 97, 116, 97, 223, 101, 160, 165, 17, 0, 0, 0]
    /// 3000 bytes of `dynamicContents` at level 9 — a dynamic-Huffman block (type 2).
    static let dynamic: [UInt8] = [UInt8](Data(base64Encoded: "H4sIAAAAAAAC/xXKU5QYCBBFwWRj27Zt27Y1k4lt27Zt27Zt27a+duqrz+1XIQKCAgPnB7QICCoUGBTQ4lZwBfUKrsC4wRWwNbgCaiAfkAlIZuQ00hoJhyxDSiIPkYFIEmQPUh/5jkxHciGXkE5IVGQtUgF5gYxAUiOHkWbIP2QeUhC5ifRE4iBbkOrIe2Q8kgk5hbRCwiJLkRLIA2QAkhjZjdRDviHTkJzIRaQjEgVZg5RHniPDkVTIIaQp8heZixRAbiA9kNjIZqQa8g4Zh2RETiJBSBhkCVIcuY/0RxIhu5C6yFdkKpIDuYB0QCIjq5FyyDNkGJISOYg0Qf4gc5D8yHWkOxIL2YRURd4iY5EMyAmkJRIaWYwUQ+4h/ZCEyE6kDvIFmYJkR84j7ZFIyCqkLPIUGYqkQA4gjZHfyGwkH3IN6YbERDYiVZA3yBgkPXIcCURCIYuQoshdpC+SANmB1EY+I5ORbMg5pB0SEVmJlEGeIEOQ5Mh+pBHyC5mF5EWuIl2RGMgGpDLyGhmNpEOOIQHIf8hCpAhyB+mDxEe2I7WQT8gkJCtyFmmLREBWIKWRx8hgJBmyD2mI/ERmInmQK0gXJDqyHqmEvEJGIWmRo0gLJCSyACmM3EZ6I/GQbUhN5CMyEcmCnEHaIOGR5Ugp5BEyCEmK7EUaID+QGUhu5DLSGYmGrEMqIi+RkUga5AjSHAmBzEcKIbeQXkhcZCtSA/mATEAyI6eR1kg4ZBlSEnmIDESSIHuQ+sh3ZDqSC7mEdEKiImuRCsgLZASSGjmMNEP+IfOQgshNpCcSB9mCVEfeI+ORTMgppBUSFlmKlEAeIAOQxMhupB7yDZmG5EQuIh2RKMgapDzyHBmOpEIOIU2Rv8hcpAByA+mBxEY2I9WQd8g4JCNyEglCwiBLkOLIfaQ/kgjZhdRFviJTkRzIBaQDEhlZjZRDniHDkJTIQaQJ8geZg+RHriPdkVjIJqQq8hYZi2RATiAtkdDIYqQYcg/phyREdiJ1kC/IFCQ7ch5pj0RCViFlkafIUCQFcgBpjPxGZiP5kGtINyQmshGpgrxBxiDpkeNIIBIKWYQURe4ifZEEyA6kNvIZmYxkQ84h7ZCIyEqkDPIEGYIkR/YjjZBfyCwkL3IV6YrEQDYglZHXyGgkHXIMCUD+QxYiRZA7SB8kPrIdqYV8QiYhWZGzSFskArICKY08RgYjyZB9SEPkJzITyYNcQbog0ZH1SCXkFTIKSYscRVogIZEFSGHkNtIbiYdsQ2oiH5GJSBbkDNIGCY8sR0ohj5BBSFJkL9IA+YHMQHIjl5HOSDRkHVIReYmMRNIgR5DmSAhkPlIIuYX0QuIiW5EayAdkApIZOY20RsIhy5CSyENkIJIE2YPUR74j05FcyCWkExIVWYtUQF4gI5DUyGGkGfIPmYcURG4iPZE4yBakOvIeGY9kQk4hrZCwyFKkBPIAGYAkRnYj9ZBvyDQkJ3IR6YhEQdYg5ZHnyHAkFXIIaYr8ReYiBZAbSA8kNrIZqYa8Q8YhGZGTiAoK4yxRxZH7nv1tiZBdSF3kKzIVyYFcQDogkZHVSDnkGfI/1F6SargLAAA=")!)
    static var dynamicContents: [UInt8] {
        (0..<3000).map { (i: Int) -> UInt8 in
            let value: Int = i % 5 != 0 ? (i * i) % 7 + 97 : (i * 31) % 251
            return UInt8(value)
        }
    }

    /// A gzip member holding `bytes` in stored DEFLATE blocks (≤ 65535 bytes each).
    static func storedGzip(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
        var start = 0
        repeat {
            let n = min(65535, bytes.count - start)
            let last: UInt8 = start + n == bytes.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += bytes[start..<(start + n)]
            start += n
        } while start < bytes.count
        let crc = CRC32.checksum(bytes)
        for v in [crc, UInt32(truncatingIfNeeded: bytes.count)] {
            out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
        }
        return out
    }
}

@Suite struct GzipTests {
    @Test func crc32KnownValue() {
        // The CRC-32 check value of the ASCII digits "123456789" is 0xCBF43926.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926)
    }

    @Test func fixedHuffmanBlock() throws {
        #expect(try Gzip.decompress(GzipFixtures.fixed) == Array("hello hello hello hello!".utf8))
    }

    @Test func storedBlock() throws {
        #expect(try Gzip.decompress(GzipFixtures.stored) == Array("stored block data".utf8))
    }

    @Test func dynamicHuffmanBlock() throws {
        #expect((GzipFixtures.dynamic[10] >> 1) & 3 == 2)  // really a dynamic block
        #expect(try Gzip.decompress(GzipFixtures.dynamic) == GzipFixtures.dynamicContents)
    }

    @Test func storedBlocksSpanningSeveralBlocksAndMembers() throws {
        let data = (0..<70000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(try Gzip.decompress(GzipFixtures.storedGzip(data)) == data)
        // Two concatenated members decode to the concatenation, as gunzip does.
        let both = GzipFixtures.fixed + GzipFixtures.stored
        #expect(try Gzip.decompress(both) == Array("hello hello hello hello!stored block data".utf8))
    }

    @Test func optionalHeaderFieldsAreSkipped() throws {
        // FEXTRA (4) with 3 bytes, FNAME (8) "a.txt", FCOMMENT (16) "hi", FHCRC (2): flags 0x1E.
        var withFields = Array(GzipFixtures.stored[0..<10])
        withFields[3] = 0x1E
        withFields += [3, 0, 9, 9, 9] + Array("a.txt".utf8) + [0] + Array("hi".utf8) + [0]
        // FHCRC is the low 16 bits of the CRC-32 of the header before it (RFC 1952 §2.3.1).
        let headerCRC = CRC32.checksum(withFields)
        let wrongCRC = withFields + [UInt8(~headerCRC & 0xFF), UInt8((~headerCRC >> 8) & 0xFF)] + GzipFixtures.stored[10...]
        withFields += [UInt8(headerCRC & 0xFF), UInt8((headerCRC >> 8) & 0xFF)]
        withFields += GzipFixtures.stored[10...]
        #expect(try Gzip.decompress(withFields) == Array("stored block data".utf8))
        #expect(throws: EngineError.self) { try Gzip.decompress(wrongCRC) }
        // Reserved flag bits are an error, as is an unterminated file name.
        var reserved = GzipFixtures.stored
        reserved[3] = 0x20
        #expect(throws: EngineError.self) { try Gzip.decompress(reserved) }
        var unterminated = Array(GzipFixtures.stored[0..<10])
        unterminated[3] = 0x08
        unterminated += [UInt8](repeating: 65, count: 20)
        #expect(throws: EngineError.self) { try Gzip.decompress(unterminated) }
    }

    @Test func everyTruncationIsAnError() {
        let full = GzipFixtures.dynamic
        for cut in stride(from: 0, to: full.count, by: 3) {
            #expect(throws: EngineError.self) { try Gzip.decompress(Array(full[..<cut])) }
        }
    }

    @Test func corruptBytesNeverCrash() {
        // Flipping any byte of the compressed data must give an error (or, if the stream
        // still decodes, a CRC mismatch) — never a trap.
        var failures = 0
        for i in stride(from: 10, to: GzipFixtures.dynamic.count - 8, by: 2) {
            var bad = GzipFixtures.dynamic
            bad[i] ^= 0x5A
            do { _ = try Gzip.decompress(bad) } catch { failures += 1 }
        }
        #expect(failures == (GzipFixtures.dynamic.count - 18 + 1) / 2)
    }

    @Test func invalidBlockTypeAndLengths() {
        // BFINAL = 1, BTYPE = 11 (reserved).
        var bad = GzipFixtures.stored
        bad[10] = 0b111
        #expect(throws: EngineError.self) { try Gzip.decompress(bad) }
        // Stored LEN that does not match NLEN.
        var lengths = GzipFixtures.stored
        lengths[13] ^= 1
        #expect(throws: EngineError.self) { try Gzip.decompress(lengths) }
        // Wrong ISIZE in the trailer.
        var size = GzipFixtures.stored
        size[size.count - 4] = 99
        #expect(throws: EngineError.self) { try Gzip.decompress(size) }
        // Not gzip at all.
        #expect(throws: EngineError.self) { try Gzip.decompress(Array("plain text, not gzip".utf8)) }
    }
}
