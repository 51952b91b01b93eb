import Foundation
import NNEngine

/// The terminal side of long-running work: draws the training progress bar (only when
/// standard output is a terminal) and turns Ctrl-C into "stop after the current step".
///
/// Redraws are throttled so that a fast loop spends its time training, not printing.
public final class TerminalHost {
    /// Whether progress is drawn at all: true on a terminal, never on a pipe.
    public let showsProgress: Bool
    private let minimumRedrawInterval: TimeInterval
    private var lastDraw: Date = .distantPast
    private var barVisible = false
    private var trainingStart = Date()
    private var lastProgress: ProgressSnapshot?
    /// The learning rate of the latest training step seen (for `:grad`'s ‖lr·g‖/‖W‖).
    public private(set) var lastLearningRate: Double?

    /// For scripts: Ctrl-C is caught only while training runs (to stop it after the current
    /// step); elsewhere it ends the script as usual. The REPL catches it all the time instead.
    let catchesInterruptWhileTraining: Bool
    private var replacedHandler: sigaction?

    public init(showsProgress: Bool = TerminalInfo.outputIsTerminal, minimumRedrawInterval: TimeInterval = 0.1,
                catchesInterruptWhileTraining: Bool = false) {
        self.showsProgress = showsProgress
        self.catchesInterruptWhileTraining = catchesInterruptWhileTraining
        self.minimumRedrawInterval = minimumRedrawInterval
    }

    /// True once Ctrl-C was pressed: training polls this after each step.
    public var stopRequested: Bool { Interrupt.isRequested }

    /// Reports one step of training; redraws the bar when enough time has passed (the final
    /// state is drawn by `finishTraining`).
    public func report(_ report: TrainingProgress) {
        lastLearningRate = report.learningRate
        var snapshot = ProgressSnapshot(report)
        // The time left from the whole run's pace so far: steadier than one epoch's.
        let now = Date()
        if lastProgress == nil {
            trainingStart = now
            if catchesInterruptWhileTraining, replacedHandler == nil {
                replacedHandler = Interrupt.installHandler()
            }
        }
        let done = (report.epoch - 1) * report.batchesPerEpoch + report.batch
        let total = report.epochs * report.batchesPerEpoch
        let elapsed = now.timeIntervalSince(trainingStart)
        if done > 1, elapsed > 0 {
            snapshot.secondsRemaining = elapsed / Double(done - 1) * Double(max(total - done, 0))
        }
        show(snapshot)
    }

    /// Draws a snapshot (throttled).
    func show(_ progress: ProgressSnapshot) {
        lastProgress = progress
        guard showsProgress else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= minimumRedrawInterval else { return }
        lastDraw = now
        Console.out("\r" + ProgressBar.line(progress, width: TerminalInfo.width) + "\u{1B}[K")
        barVisible = true
    }

    /// Ends the progress line (leaving the final state visible) and says whether training
    /// was stopped by Ctrl-C, consuming that interrupt.
    @discardableResult
    public func finishTraining() -> Bool {
        if barVisible {
            if let p = lastProgress {
                Console.out("\r" + ProgressBar.line(p, width: TerminalInfo.width) + "\u{1B}[K")
            }
            Console.out("\n")
            barVisible = false
        }
        lastDraw = .distantPast
        lastProgress = nil
        if let previous = replacedHandler {
            Interrupt.restoreHandler(previous)
            replacedHandler = nil
        }
        let stopped = Interrupt.consume()
        if stopped {
            Console.err("training stopped by Ctrl-C; the weights and the history so far are kept\n")
        }
        return stopped
    }
}
