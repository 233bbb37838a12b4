import Foundation

/// When a failed delivery is tried again: the first retry after the base
/// delay (`webhook_retry_base_ms`, default 5 s), each later one after twice
/// the one before, each spread by up to ±20 % so endpoints that failed
/// together do not retry together. Retries go on for 24 hours from the
/// first failure of the event being delivered; a failure after that marks
/// the endpoint failing, and its events wait for a replay.
public struct WebhookRetrySchedule: Sendable {
    public let baseMilliseconds: Int
    public let windowMilliseconds: Int

    public static let day = 86_400_000

    public init(baseMilliseconds: Int = 5_000, windowMilliseconds: Int = day) {
        self.baseMilliseconds = baseMilliseconds
        self.windowMilliseconds = windowMilliseconds
    }

    /// The delay before retry number `failures` (1 after the first failure),
    /// `jitter` in -1...1 (random in use, fixed in tests). Doubling, so with
    /// ±20 % each delay is still longer than the one before (0.8 x 2 > 1.2).
    public func delay(afterFailures failures: Int, jitter: Double) -> Int {
        let doublings = min(max(failures - 1, 0), 40)
        let nominal = Double(baseMilliseconds) * pow(2, Double(doublings))
        return Int(min(nominal * (1 + 0.2 * max(-1, min(1, jitter))), Double(windowMilliseconds)))
    }

    public enum Verdict: Equatable, Sendable {
        case retry(atMilliseconds: Int)
        case giveUp
    }

    /// After failure number `failures` at `now`, the first of them at `firstFailure`.
    public func next(failures: Int, firstFailure: Int, now: Int, jitter: Double) -> Verdict {
        let end = firstFailure + windowMilliseconds
        guard now < end else { return .giveUp }
        return .retry(atMilliseconds: min(now + delay(afterFailures: failures, jitter: jitter), end))
    }
}
