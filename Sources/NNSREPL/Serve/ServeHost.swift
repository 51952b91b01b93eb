import Foundation
import NNEngine
import NNSLanguage

/// The interpreter's host under `nns --serve`: printed text becomes `stream` events,
/// training becomes `progress` events (throttled; the client shows one display updated in
/// place), and Ctrl-C is SIGINT sent to the process (or an `interrupt` request).
final class ServeHost: InterpreterHost {
    private let writer: ProtocolWriter
    private let capture: OutputCapture?
    /// The request whose messages are being sent (events carry its id).
    private let currentRequest: CurrentRequest
    private var lastSent = Date.distantPast
    private var lastProgress: TrainingProgress?
    /// Seconds between progress events: often enough to watch, rarely enough not to flood.
    let progressInterval: TimeInterval

    init(writer: ProtocolWriter, capture: OutputCapture?, currentRequest: CurrentRequest,
         progressInterval: TimeInterval = 0.25) {
        self.writer = writer
        self.capture = capture
        self.currentRequest = currentRequest
        self.progressInterval = progressInterval
    }

    /// Sends an event for the current request, after any output written before it.
    func send(_ event: String, _ fields: [String: Any] = [:]) {
        capture?.drain()
        var message = fields
        message["id"] = currentRequest.id
        message["event"] = event
        writer.send(message)
    }

    func write(_ text: String) {
        send("stream", ["name": "stdout", "text": text])
    }

    var interruptRequested: Bool { Interrupt.isRequested }

    func trainingProgress(_ progress: TrainingProgress) {
        lastProgress = progress
        let now = Date()
        guard now.timeIntervalSince(lastSent) >= progressInterval else { return }
        lastSent = now
        sendProgress(progress)
    }

    func trainingFinished() {
        if let last = lastProgress { sendProgress(last) }
        send("progress_end")
        lastProgress = nil
        lastSent = .distantPast
        if Interrupt.consume() {
            send("stream", ["name": "stderr",
                            "text": "training stopped by interrupt; the weights and the history so far are kept\n"])
        }
    }

    private func sendProgress(_ progress: TrainingProgress) {
        let snapshot = ProgressSnapshot(progress)
        var fields: [String: Any] = [
            "text": ProgressBar.line(snapshot, width: 100),
            "epoch": progress.epoch, "epochs": progress.epochs,
            "batch": progress.batch, "batches": progress.batchesPerEpoch,
            "fraction": snapshot.fraction,
        ]
        if progress.loss.isFinite { fields["loss"] = progress.loss }
        if let accuracy = progress.accuracy, accuracy.isFinite { fields["accuracy"] = accuracy }
        send("progress", fields)
    }
}
