import Foundation
import NNEngine

/// The framing of `nns --serve` (docs/serve-protocol.md): one JSON object per line in each
/// direction. Requests arrive on standard input; replies and events leave on their own file
/// descriptor, so nothing a program prints can be read as protocol.
public enum ServeProtocol {
    /// The protocol's version, sent in the `ready` event; bumped when a message changes.
    public static let version = 1

    /// A request, decoded from one line.
    public struct Request: Equatable {
        public enum Kind: String, CaseIterable {
            case execute, complete, inspect, isComplete = "is_complete", interrupt, shutdown
        }
        /// Echoed in every message the request causes, so the client can pair them.
        public var id: String
        public var kind: Kind
        /// The cell's source (execute, complete, inspect, is_complete).
        public var code: String
        /// The cursor as an offset in Unicode scalars (Jupyter's convention), clamped to the code.
        public var cursor: Int
    }

    /// Why a line is not a request; the message goes back in an error reply.
    public struct FramingError: Error, Equatable, CustomStringConvertible {
        public var id: String
        public var description: String
    }

    /// Decodes one request line. Never traps: malformed input is a `FramingError` naming the
    /// problem (and the request's id when it could be read).
    public static func decode(_ line: String) -> Result<Request, FramingError> {
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return .failure(FramingError(id: "", description: "the request is not valid JSON"))
        }
        guard let fields = object as? [String: Any] else {
            return .failure(FramingError(id: "", description: "a request must be a JSON object"))
        }
        let id: String
        switch fields["id"] {
        case nil: id = ""
        case let s as String: id = s
        case let n as NSNumber: id = n.stringValue
        default: return .failure(FramingError(id: "", description: "\"id\" must be a string or a number"))
        }
        guard let typeName = fields["type"] as? String else {
            return .failure(FramingError(id: id, description: "a request needs \"type\" (one of "
                + Request.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
        }
        guard let kind = Request.Kind(rawValue: typeName) else {
            return .failure(FramingError(id: id, description: "unknown request type \"\(typeName)\"; use one of "
                + Request.Kind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        var code = ""
        if let given = fields["code"] {
            guard let s = given as? String else { return .failure(FramingError(id: id, description: "\"code\" must be a string")) }
            code = s
        } else if [.execute, .complete, .inspect, .isComplete].contains(kind) {
            return .failure(FramingError(id: id, description: "a \(typeName) request needs \"code\""))
        }
        let length = code.unicodeScalars.count
        var cursor = length
        if let given = fields["cursor"] {
            guard let n = given as? NSNumber, n.doubleValue.isFinite else {
                return .failure(FramingError(id: id, description: "\"cursor\" must be a number"))
            }
            cursor = Int(max(0, min(n.doubleValue, Double(length))))
        }
        return .success(Request(id: id, kind: kind, code: code, cursor: cursor))
    }

    /// One message as a line of JSON (no newline inside: JSON escapes them).
    /// Keys are sorted, so a message reads the same every time; written by the one JSON
    /// writer (`JSONWriter`).
    public static func encode(_ message: [String: Any]) -> String {
        guard let json = jsonValue(message) else {
            return #"{"event":"reply","evalue":"unencodable message","status":"error"}"# + "\n"
        }
        return json.serialized + "\n"
    }

    /// A message's fields as JSON: strings, whole numbers, numbers, booleans, arrays and
    /// string-keyed dictionaries (keys sorted); nil for anything else.
    static func jsonValue(_ field: Any) -> JSONValue? {
        switch field {
        case let b as Bool: return .bool(b)
        case let i as Int: return .integer(i)
        case let x as Double: return .number(x)
        case let s as String: return .string(s)
        case let items as [Any]:
            var values: [JSONValue] = []
            for item in items {
                guard let value = jsonValue(item) else { return nil }
                values.append(value)
            }
            return .array(values)
        case let members as [String: Any]:
            var values: [(key: String, value: JSONValue)] = []
            for key in members.keys.sorted() {
                guard let value = jsonValue(members[key]!) else { return nil }
                values.append((key, value))
            }
            return .object(values)
        default: return nil
        }
    }

    /// Splits bytes read from a pipe into the longest prefix of whole UTF-8 characters and the
    /// start of a character still being written, so a stream event never cuts a character.
    public static func splitCompleteUTF8(_ bytes: [UInt8]) -> (complete: [UInt8], rest: [UInt8]) {
        // A character is at most 4 bytes: look back at most 3 for an unfinished lead byte.
        var i = bytes.count - 1
        var back = 0
        while i >= 0 && back < 4 {
            let byte = bytes[i]
            if byte & 0b1100_0000 != 0b1000_0000 {   // a lead byte (or ASCII)
                let needed = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                if bytes.count - i < needed { return (Array(bytes[..<i]), Array(bytes[i...])) }
                break
            }
            i -= 1
            back += 1
        }
        return (bytes, [])
    }
}

/// Writes protocol messages to their file descriptor, whole lines at a time from any thread.
public final class ProtocolWriter {
    private let descriptor: Int32
    private let lock = NSLock()

    public init(descriptor: Int32) { self.descriptor = descriptor }

    public func send(_ message: [String: Any]) {
        let line = Array(ServeProtocol.encode(message).utf8)
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < line.count {
            let n = line[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return   // the client went away; the read loop will see end of input
            }
            offset += n
        }
    }
}
