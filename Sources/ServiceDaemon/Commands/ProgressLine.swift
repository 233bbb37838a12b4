import Foundation
import ServiceCore

/// The progress of a long billing run on stderr, for a person watching a
/// terminal: devices done of all, and the rate. Nothing for a run that ends
/// within `after`, and nothing at all when stderr is not a terminal (a cron
/// job's mail or the journal must not fill with redrawn lines).
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let after: Duration
    private let write: (String) -> Void
    private let clock: () -> Duration
    private var nextDraw: Duration
    private var drawn = false

    /// Nil when stderr is not a terminal.
    static func onTerminal(_ label: String, after: Duration = .seconds(1)) -> ProgressLine? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let start = ContinuousClock.now
        return ProgressLine(label, after: after, clock: { ContinuousClock.now - start }) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    init(_ label: String, after: Duration, clock: @escaping () -> Duration, write: @escaping (String) -> Void) {
        self.label = label
        self.after = after
        self.clock = clock
        self.write = write
        nextDraw = after
    }

    /// Called once per device, from one thread at a time; redraws at most
    /// every quarter second.
    func update(_ progress: BillingRunner.Progress) {
        let elapsed = clock()
        guard elapsed >= nextDraw || (drawn && progress.devicesDone == progress.devicesTotal) else { return }
        nextDraw = elapsed + .milliseconds(250)
        drawn = true
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(progress.devicesDone) / seconds) : 0
        // Carriage return and erase-to-end-of-line: the line redraws in place.
        write("\r\(label): \(progress.devicesDone) / \(progress.devicesTotal) devices, \(rate) devices/s\u{1B}[K")
    }

    /// Ends a drawn line, so the summary starts on a line of its own.
    func finish() {
        if drawn { write("\n") }
    }
}
