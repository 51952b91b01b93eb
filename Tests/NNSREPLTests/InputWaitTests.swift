import Foundation
import Testing
@testable import NNSREPL

/// The wait behind the prompt and the step-through pause must never sleep through a Ctrl-C.
/// Each test gives the wait a pipe; where the wait could wrongly block, a writer thread puts
/// a byte in the pipe after a few seconds, so a regression shows as `.readable`, not a hang.
@Suite(.serialized) struct InputWaitTests {
    /// A pipe whose read end the test waits on; `writeLater` fills it after `seconds`.
    final class Pipe: @unchecked Sendable {
        let read: Int32
        let write: Int32
        init() {
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0)
            (read, write) = (fds[0], fds[1])
        }
        func writeLater(_ seconds: Double) {
            let fd = write
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: seconds)
                var byte: UInt8 = 1
                _ = Glibc.write(fd, &byte, 1)
            }
        }
        deinit { close(read); close(write) }
    }

    @Test func inputReadyIsReadable() {
        let pipe = Pipe()
        var byte: UInt8 = 7
        _ = write(pipe.write, &byte, 1)
        #expect(InputWait.wait(for: pipe.read) == .readable)
    }

    @Test func ctrlCPressedBeforeTheWaitIsNotMissed() {
        let pipe = Pipe()
        pipe.writeLater(5)
        Interrupt.request()
        #expect(InputWait.wait(for: pipe.read) == .interrupted)
        #expect(!Interrupt.isRequested)
    }

    /// The race that froze the prompt: SIGINT arrives after the flag was checked but before
    /// the wait began (here: while SIGINT is blocked, so it stays pending). It must still
    /// wake the wait.
    @Test func ctrlCArrivingJustBeforeTheWaitWakesIt() {
        let pipe = Pipe()
        pipe.writeLater(5)
        Interrupt.clear()
        let previousHandler = Interrupt.installHandler()
        defer { Interrupt.restoreHandler(previousHandler) }
        var sigint = sigset_t()
        sigemptyset(&sigint)
        sigaddset(&sigint, SIGINT)
        var mask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &sigint, &mask)
        pthread_kill(pthread_self(), SIGINT)
        let outcome = InputWait.wait(for: pipe.read)
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        #expect(outcome == .interrupted)
    }

    @Test func closedDescriptorFails() {
        #expect(InputWait.wait(for: -1) == .failed)
    }
}
