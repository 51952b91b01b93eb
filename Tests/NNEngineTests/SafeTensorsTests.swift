import Testing
@testable import NNEngine

/// A file assembled by hand: 8-byte little-endian length, the JSON text, then `data`.
func handMadeSafeTensors(_ json: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> [UInt8] {
    let header = Array(json.utf8)
    let length = claimedLength ?? UInt64(header.count)
    return (0..<8).map { UInt8((length >> (8 * UInt64($0))) & 0xFF) } + header + data
}

/// Expects decoding to fail with an EngineError whose message contains `fragment`.
func expectRejected(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try SafeTensorsFile(bytes: bytes, source: "t.safetensors")
        Issue.record("accepted a broken file (expected: \(fragment))", sourceLocation: sourceLocation)
    } catch let error as EngineError {
        #expect(error.message.hasPrefix("t.safetensors is not a valid safetensors file"), sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct SafeTensorsTests {
    @Test func encodesTheDocumentedLayout() throws {
        let file = try SafeTensorsFile(tensors: [(name: "a", tensor: Tensor([1, -2]))])
        let bytes = file.encoded()
        let json = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#  // 54 bytes, padded to 56
        #expect(json.utf8.count == 54)
        #expect(Array(bytes[0..<8]) == [56, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[8..<62]) == Array(json.utf8))
        #expect(Array(bytes[62..<64]) == [0x20, 0x20])
        // 1.0f is 0x3F800000 and -2.0f is 0xC0000000, little-endian.
        #expect(Array(bytes[64...]) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
    }

    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let w = Tensor(rows: [[0.2, 0.4], [0.3, 0.1]])
        let b = Tensor([0.1, 0.2])
        let file = try SafeTensorsFile(tensors: [(name: "0.weight", tensor: w), (name: "0.bias", tensor: b)],
                                       metadata: [(key: "nns.network", value: "linear(2, 2) |> \"σ\"\n")])
        let back = try SafeTensorsFile(bytes: file.encoded())
        #expect(try back.tensor(named: "0.weight") == w)
        #expect(try back.tensor(named: "0.bias") == b)
        #expect(back.header.metadataValue("nns.network") == "linear(2, 2) |> \"σ\"\n")
        #expect(back.header.entries.map(\.name) == ["0.weight", "0.bias"])
    }

    @Test func readsFilesLaidOutByOtherWriters() throws {
        // Keys in another order than the data, spaces, escapes, an empty tensor.
        let json = #"{ "b" : {"dtype":"F32","shape":[1],"data_offsets":[4,8]}, "__metadata__":{"format":"pt"},"#
            + #" "e": {"dtype":"F32","shape":[0, 3],"data_offsets":[8,8]}, "a\u00e9": {"dtype":"F32","shape":[],"data_offsets":[0,4]} }"#
        let data: [UInt8] = [0, 0, 0x40, 0x40, 0, 0, 0xC0, 0x3F]  // 3.0, 1.5
        let file = try SafeTensorsFile(bytes: handMadeSafeTensors(json, data: data))
        #expect(try file.tensor(named: "aé") == Tensor(scalar: 3))
        #expect(try file.tensor(named: "b") == Tensor([1.5]))
        #expect(try file.tensor(named: "e").shape == [0, 3])
        #expect(file.header.metadataValue("format") == "pt")
    }

    @Test func convertsHalfBfloatAndDoubleToFloat() throws {
        let json = #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"#
            + #""g":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]},"d":{"dtype":"F64","shape":[1],"data_offsets":[10,18]}}"#
        // F16: 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24 (smallest subnormal), 0x7BFF = 65504.
        // BF16: 0x3F80 = 1. F64: 0x3FF8000000000000 = 1.5.
        let data: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0xFF, 0x7B, 0x80, 0x3F,
                             0, 0, 0, 0, 0, 0, 0xF8, 0x3F]
        let file = try SafeTensorsFile(bytes: handMadeSafeTensors(json, data: data))
        #expect(try file.tensor(named: "h").scalars == [1, -2, 1.0 / 16_777_216, 65504])
        #expect(try file.tensor(named: "g").scalars == [1])
        #expect(try file.tensor(named: "d").scalars == [1.5])
    }

    @Test func integerTensorsAreNamedWhenRead() throws {
        let json = #"{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}"#
        let file = try SafeTensorsFile(bytes: handMadeSafeTensors(json, data: [UInt8](repeating: 0, count: 8)))
        #expect(throws: EngineError.self) { try file.tensor(named: "n") }
        #expect(throws: EngineError.self) { try file.tensor(named: "missing") }
    }

    @Test func rejectsBrokenLengths() {
        expectRejected([1, 2, 3], "too short for the 8-byte header length")
        expectRejected(handMadeSafeTensors("{}", claimedLength: 1000), "header claims 1000 bytes")
        expectRejected(handMadeSafeTensors("{}", claimedLength: UInt64.max), "exceeds the 100000000-byte limit")
        expectRejected(handMadeSafeTensors("{}", claimedLength: 200_000_000), "exceeds the 100000000-byte limit")
        expectRejected(handMadeSafeTensors(""), "too short for a JSON object")
    }

    @Test func rejectsBadJSON() {
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32""#), "not valid JSON")
        expectRejected(handMadeSafeTensors("[1, 2]"), "not a JSON object")
        expectRejected(handMadeSafeTensors(String(repeating: "[", count: 5000)), "not valid JSON")
        expectRejected(handMadeSafeTensors(#"{"a":{},"a":{}}"#), "duplicate key \"a\"")
        expectRejected(handMadeSafeTensors("{\"a\u{1}\":1}"), "control character")
        expectRejected(handMadeSafeTensors(#"{"__metadata__":{"k":1}}"#), "__metadata__ value \"k\" is a number")
        let invalidUTF8: [UInt8] = [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]  // {"\xFF":1}
        expectRejected([7, 0, 0, 0, 0, 0, 0, 0] + invalidUTF8, "invalid UTF-8")
    }

    @Test func rejectsBadEntries() {
        let d16 = [UInt8](repeating: 0, count: 16)
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F31","shape":[4],"data_offsets":[0,16]}}"#, data: d16), "unknown dtype \"F31\"")
        expectRejected(handMadeSafeTensors(#"{"a":{"shape":[4],"data_offsets":[0,16]}}"#, data: d16), "no \"dtype\"")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#, data: d16), "not a non-negative integer")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[4.5],"data_offsets":[0,16]}}"#, data: d16), "not a non-negative integer")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#, data: d16), "impossibly large shape")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0]}}"#, data: d16), "no \"data_offsets\" pair")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}"#, data: d16), "invalid data_offsets [16, 0]")
        // Shape and offsets disagree: 3 floats are 12 bytes, not 16.
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: d16), "(12 bytes) but data_offsets [0, 16] span 16 bytes")
        expectRejected(handMadeSafeTensors(#"{"a":[1]}"#, data: d16), "described by an array")
    }

    @Test func rejectsBadLayouts() {
        let d16 = [UInt8](repeating: 0, count: 16)
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}}"#, data: d16), "beyond the 16 bytes of data")
        expectRejected(handMadeSafeTensors(
            #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: d16),
            "tensors \"a\" and \"b\" overlap")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: d16), "gap of unclaimed bytes 0..<8")
        expectRejected(handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: d16), "cover 8 bytes of data but the file holds 16")
    }

    @Test func truncatingAValidFileAnywhereIsAnError() throws {
        let file = try SafeTensorsFile(tensors: [(name: "0.weight", tensor: Tensor(rows: [[1, 2], [3, 4]])),
                                                 (name: "0.bias", tensor: Tensor([5, 6]))],
                                       metadata: [(key: "k", value: "v")])
        let bytes = file.encoded()
        for cut in 0..<bytes.count {
            #expect(throws: EngineError.self) { try SafeTensorsFile(bytes: Array(bytes[..<cut])) }
        }
    }

    @Test func tamperingWithAnyHeaderByteNeverCrashes() throws {
        let file = try SafeTensorsFile(tensors: [(name: "0.weight", tensor: Tensor(rows: [[1, 2], [3, 4]])),
                                                 (name: "0.bias", tensor: Tensor([5, 6]))],
                                       metadata: [(key: "nns.layers", value: #"[{"kind":"linear","in":2,"out":2}]"#)])
        let bytes = file.encoded()
        let headerEnd = 8 + Int(bytes[0]) + Int(bytes[1]) << 8
        var rejected = 0
        for position in 0..<headerEnd {
            for replacement: UInt8 in [0x00, 0x22, 0x2C, 0x39, 0x5B, 0x7D, 0xFF] where bytes[position] != replacement {
                var tampered = bytes
                tampered[position] = replacement
                // Either a clean error or a file that still parses; never a trap.
                do {
                    let parsed = try SafeTensorsFile(bytes: tampered)
                    for entry in parsed.header.entries where entry.dtype.isFloatingPoint { _ = try parsed.tensor(for: entry) }
                    _ = try NetworkArchive.network(from: parsed, source: "t.safetensors")
                } catch is EngineError {
                    rejected += 1
                }
            }
        }
        #expect(rejected > headerEnd)  // most single-byte changes break the header
    }

    @Test func readsFromDiskAndNamesMissingFiles() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/w.safetensors"
        let file = try SafeTensorsFile(tensors: [(name: "x", tensor: Tensor([1, 2, 3]))])
        try file.write(to: path)
        #expect(try SafeTensorsFile.read(path: path).tensor(named: "x") == Tensor([1, 2, 3]))
        let bad = handMadeSafeTensors("{}", claimedLength: 1 << 40)
        try AtomicFile.write(bad, to: path)
        #expect(throws: EngineError.self) { try SafeTensorsFile.read(path: path) }
        do {
            _ = try SafeTensorsFile.read(path: dir + "/nothing.safetensors")
            Issue.record("read a missing file")
        } catch let error as EngineError {
            #expect(error.message.contains("nothing.safetensors"))
            #expect(error.message.contains("No such file"))
        }
        #expect(throws: EngineError.self) { try SafeTensorsFile.read(path: dir) }
    }
}
