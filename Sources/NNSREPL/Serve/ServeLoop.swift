import Foundation
import NNSLanguage
#if canImport(Glibc)
import Glibc
#endif

/// `nns --serve`: the interpreter as a service for a client such as the Jupyter kernel
/// (docs/serve-protocol.md). Requests are JSON lines on standard input; replies and events
/// are JSON lines on `descriptor` (3 by default, opened by the client). Standard output and
/// error are captured and sent as `stream` events. Returns the exit status: 0 after
/// `shutdown` or end of input, 2 when `descriptor` is not open.
public func runServe(descriptor: Int32 = 3, arguments: [String] = []) -> Int32 {
    guard fcntl(descriptor, F_GETFD) != -1 else {
        FileHandle.standardError.write(Data("nns --serve: file descriptor \(descriptor) is not open; the client reads replies there (see docs/serve-protocol.md)\n".utf8))
        return 2
    }
    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    signal(SIGPIPE, SIG_IGN)
    let writer = ProtocolWriter(descriptor: descriptor)
    let current = CurrentRequest()
    let capture = OutputCapture { name, text in
        writer.send(["id": current.id, "event": "stream", "name": name, "text": text])
    }
    let captured = capture.start()
    let host = ServeHost(writer: writer, capture: captured ? capture : nil, currentRequest: current)
    let interpreter = Interpreter(host: host, arguments: arguments)
    let server = ServeSession(session: InterpreterSession(interpreter: interpreter), host: host)
    Interrupt.installHandler()

    let inbox = RequestInbox(writer: writer)
    inbox.start()
    writer.send(["event": "ready", "protocol": ServeProtocol.version, "version": NNSLanguage.version,
                 "pid": Int(getpid())])
    while let request = inbox.next() {
        current.id = request.id
        var reply: [String: Any]
        switch request.kind {
        case .execute: reply = server.execute(request.code)
        case .complete: reply = server.complete(request.code, cursor: request.cursor)
        case .inspect: reply = server.inspect(request.code, cursor: request.cursor)
        case .isComplete: reply = server.isComplete(request.code)
        case .interrupt: reply = ["status": "ok"]   // handled on arrival by the inbox
        case .shutdown:
            host.send("reply", ["status": "ok"])
            return 0
        }
        capture.drain()
        reply["id"] = request.id
        reply["event"] = "reply"
        writer.send(reply)
        current.id = ""
    }
    capture.drain()
    return 0
}

/// The id of the request being served, read by the output thread.
final class CurrentRequest {
    private let lock = NSLock()
    private var value = ""
    var id: String {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

/// Reads requests on a thread of its own, so that an `interrupt` request takes effect while
/// a cell runs; other requests wait their turn. Lines that are not requests get an error
/// reply at once.
final class RequestInbox {
    private let writer: ProtocolWriter
    private let condition = NSCondition()
    private var queue: [ServeProtocol.Request] = []
    private var ended = false

    init(writer: ProtocolWriter) { self.writer = writer }

    func start() {
        let thread = Thread { [self] in
            while let line = readLine(strippingNewline: true) {
                if line.allSatisfy(\.isWhitespace) { continue }
                switch ServeProtocol.decode(line) {
                case .failure(let error):
                    writer.send(["id": error.id, "event": "reply", "status": "error", "ename": "ProtocolError",
                                 "evalue": error.description, "traceback": [error.description]])
                case .success(let request) where request.kind == .interrupt:
                    Interrupt.request()
                    writer.send(["id": request.id, "event": "reply", "status": "ok"])
                case .success(let request):
                    condition.lock()
                    queue.append(request)
                    condition.signal()
                    condition.unlock()
                }
            }
            // The client is gone: stop what runs (training after its step), then the loop ends.
            Interrupt.request()
            condition.lock()
            ended = true
            condition.signal()
            condition.unlock()
        }
        thread.name = "nns-serve-requests"
        thread.start()
    }

    /// The next request, waiting for one; nil at end of input.
    func next() -> ServeProtocol.Request? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !ended { condition.wait() }
        return queue.isEmpty ? nil : queue.removeFirst()
    }
}
