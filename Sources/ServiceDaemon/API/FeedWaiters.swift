import Foundation
import ServiceHTTP

/// Long polls of the event feed (`GET /v1/events?wait=`): a request with
/// nothing to answer yet is parked here, not on a worker thread. One
/// thread, started by the first parked request and ended when none is
/// left, looks again after every committed write (and every second, for
/// writes of other processes such as `bill`), answers each request whose
/// events have arrived, and the rest when their wait ends. A parked request
/// holds no thread at all, so long polls never starve the API's workers.
///
/// A look reads the latest event's sequence once and queries only the
/// requests that can have something: those whose cursor is behind it. A
/// request whose query found nothing (another dealer's events, other types)
/// is not queried again until a later event arrives. At most `capacity`
/// requests are held; beyond, a poll is answered at once, as without `wait`.
final class FeedWaiters: @unchecked Sendable {
    /// The answer as it stands, or nil while there is nothing new and the
    /// wait goes on; with `final` true it must answer (an empty page).
    typealias Answer = @Sendable (_ final: Bool) -> HTTPResponse?

    private struct Parked {
        let deadline: Date
        /// The request has nothing up to this sequence: its cursor, then the
        /// latest sequence of a look that found nothing for it.
        var seen: Int
        let answer: Answer
        let complete: @Sendable (HTTPResponse) -> Void
    }

    /// How often other processes' writes are looked for.
    static let poll: TimeInterval = 1
    /// Long polls held at once, at most (README, Events).
    static let defaultCapacity = 1_000

    let capacity: Int
    private let signal: CommitSignal
    /// The latest event's sequence (one read).
    private let latest: @Sendable () throws -> Int
    private let lock = NSLock()
    private var parked: [Parked] = []
    /// Parked, or taken by the looking thread and not answered yet.
    private var held = 0
    private var looking = false
    private var stopping = false

    init(signal: CommitSignal, capacity: Int = FeedWaiters.defaultCapacity, latest: @escaping @Sendable () throws -> Int) {
        self.signal = signal
        self.capacity = capacity
        self.latest = latest
    }

    /// Holds a request that has nothing after `cursor` until `deadline`, or
    /// answers it at once with `unheld` (its answer as it stands, built
    /// before: this runs on an event loop, which must not read the database)
    /// when `capacity` are held already or the feed stops.
    func park(after cursor: Int, until deadline: Date, unheld: HTTPResponse, answer: @escaping Answer,
              complete: @escaping @Sendable (HTTPResponse) -> Void) {
        lock.lock()
        guard held < capacity, !stopping else {
            lock.unlock()
            complete(unheld)
            return
        }
        held += 1
        parked.append(Parked(deadline: deadline, seen: cursor, answer: answer, complete: complete))
        let start = !looking
        looking = true
        lock.unlock()
        if start {
            let thread = Thread { self.run() }
            thread.name = "event-feed-waiters"
            thread.start()
        } else {
            signal.nudge()  // the looking thread looks at the new request (an event may have come since its first read)
        }
    }

    /// Answers every parked request now (shutdown): none waits for its deadline.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        signal.nudge()
    }

    private static func finalAnswer(_ answer: Answer) -> HTTPResponse {
        answer(true) ?? Problem(.internalServerError, detail: "the feed gave no final answer").response
    }

    private func run() {
        while true {
            let (generation, nudges) = signal.state
            lock.lock()
            let batch = parked
            parked = []
            let stop = stopping
            lock.unlock()
            let now = Date()
            // One read for every request; unread (an error), each is queried.
            let latest = try? self.latest()
            var waiting: [Parked] = []
            for var request in batch {
                let final = stop || now >= request.deadline
                if final {
                    request.complete(Self.finalAnswer(request.answer))
                } else if let latest, latest <= request.seen {
                    waiting.append(request)
                } else if let response = request.answer(false) {
                    request.complete(response)
                } else {
                    if let latest { request.seen = latest }
                    waiting.append(request)
                }
            }
            lock.lock()
            held -= batch.count - waiting.count
            parked.append(contentsOf: waiting)
            let next = parked.map(\.deadline).min()
            if next == nil { looking = false }
            lock.unlock()
            guard let next else { return }
            signal.wait(after: generation, nudgedAfter: nudges, until: min(next, Date().addingTimeInterval(Self.poll)))
        }
    }
}
