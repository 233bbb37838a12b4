import Foundation
import ServiceHTTP
import Testing
@testable import ServiceDaemon

/// The event feed's long polls (`FeedWaiters`): a look reads the latest
/// sequence once and queries only the polls whose cursor is behind it, a
/// parked poll does not ring the commit signal the breach watcher and the
/// webhook sender wait on, and polls beyond the cap are answered at once.
@Suite struct FeedWaitersTests {
    /// The latest sequence the waiters read, and what they did.
    final class Probe: @unchecked Sendable {
        private let lock = NSLock()
        private var latestValue = 5
        private var answerNow = false
        private(set) var looks = 0
        private(set) var queries = 0
        private(set) var answered: [HTTPStatus] = []

        var latest: Int {
            get { lock.withLock { latestValue } }
            set { lock.withLock { latestValue = newValue } }
        }
        func look() -> Int { lock.withLock { looks += 1; return latestValue } }
        func setAnswerNow() { lock.withLock { answerNow = true } }
        /// Not final: a query, answering only once `answerNow`.
        func answer(_ final: Bool) -> HTTPResponse? {
            lock.withLock {
                if !final { queries += 1 }
                return final || answerNow ? HTTPResponse(status: final ? .ok : .created) : nil
            }
        }
        func complete(_ response: HTTPResponse) { lock.withLock { answered.append(response.status) } }
        var counts: (looks: Int, queries: Int, answered: [HTTPStatus]) { lock.withLock { (looks, queries, answered) } }

        /// Waits (up to 10 s) until `condition` holds.
        func until(_ condition: (Probe) -> Bool) {
            let end = Date().addingTimeInterval(10)
            while !condition(self), Date() < end { Thread.sleep(forTimeInterval: 0.005) }
        }
    }

    static func park(_ waiters: FeedWaiters, _ probe: Probe, after: Int) {
        // Unheld, the answer as it stood when the route read the feed (here 204, to tell it apart).
        waiters.park(after: after, until: Date().addingTimeInterval(20), unheld: HTTPResponse(status: .noContent), answer: { probe.answer($0) },
                     complete: { probe.complete($0) })
    }

    /// Rings `times`, each time until the waiters have looked again.
    static func commit(_ signal: CommitSignal, _ probe: Probe, times: Int) {
        for _ in 0..<times {
            let looks = probe.counts.looks
            signal.ring()
            probe.until { $0.counts.looks > looks }
        }
    }

    @Test func aPollIsQueriedOnlyWhenALaterEventThanItHasSeenExists() {
        let signal = CommitSignal()
        let probe = Probe()
        let waiters = FeedWaiters(signal: signal, capacity: 10) { probe.look() }
        defer { waiters.stop() }
        let before = signal.state.generation
        Self.park(waiters, probe, after: 5)
        // Parking is no commit: whoever waits on commits sleeps on.
        #expect(signal.state.generation == before)
        probe.until { $0.looks >= 1 }
        // Commits without a later event: looked at, never queried.
        Self.commit(signal, probe, times: 3)
        #expect(probe.queries == 0)
        // A later event (another dealer's: the query finds nothing) is queried once, then not until a later one.
        probe.latest = 6
        signal.ring()
        probe.until { $0.queries >= 1 }
        Self.commit(signal, probe, times: 3)
        #expect(probe.queries == 1)
        probe.setAnswerNow()
        probe.latest = 7
        signal.ring()
        probe.until { !$0.answered.isEmpty }
        #expect(probe.counts.queries == 2)
        #expect(probe.counts.answered == [.created])
    }

    @Test func pollsBeyondTheCapAreAnsweredAtOnce() {
        let probe = Probe()
        let waiters = FeedWaiters(signal: CommitSignal(), capacity: 2) { probe.look() }
        Self.park(waiters, probe, after: 5)
        Self.park(waiters, probe, after: 5)
        #expect(probe.counts.answered.isEmpty)
        // The third: answered before park returns with the page as it stood (the empty page), without a query.
        Self.park(waiters, probe, after: 5)
        #expect(probe.counts.answered == [.noContent])
        waiters.stop()
        probe.until { $0.answered.count == 3 }
        #expect(probe.counts.answered == [.noContent, .ok, .ok])
        #expect(probe.counts.queries == 0)
    }
}
