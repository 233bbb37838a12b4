import Foundation
import ServiceHTTP

/// Long polls of the event feed (`GET /v1/events?wait=`): a request with
/// nothing to answer yet is parked here, not on a worker thread. One
/// thread, started by the first parked request and ended when none is
/// left, looks again after every committed write (and every second, for
/// writes of other processes such as `bill`), answers each request whose
/// events have arrived, and the rest when their wait ends. A parked request
/// holds no thread at all, so long polls never starve the API's workers.
final class FeedWaiters: @unchecked Sendable {
    /// The answer as it stands, or nil while there is nothing new and the
    /// wait goes on; with `final` true it must answer (an empty page).
    typealias Answer = @Sendable (_ final: Bool) -> HTTPResponse?

    private struct Parked {
        let deadline: Date
        let answer: Answer
        let complete: @Sendable (HTTPResponse) -> Void
    }

    /// How often other processes' writes are looked for.
    static let poll: TimeInterval = 1

    private let signal: CommitSignal
    private let lock = NSLock()
    private var parked: [Parked] = []
    private var looking = false
    private var stopping = false

    init(signal: CommitSignal) {
        self.signal = signal
    }

    func park(until deadline: Date, answer: @escaping Answer, complete: @escaping @Sendable (HTTPResponse) -> Void) {
        lock.lock()
        parked.append(Parked(deadline: deadline, answer: answer, complete: complete))
        let start = !looking
        looking = true
        lock.unlock()
        if start {
            let thread = Thread { self.run() }
            thread.name = "event-feed-waiters"
            thread.start()
        } else {
            signal.ring()  // the looking thread learns the new deadline
        }
    }

    /// Answers every parked request now (shutdown): none waits for its deadline.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        signal.ring()
    }

    private func run() {
        while true {
            let generation = signal.current
            lock.lock()
            let batch = parked
            parked = []
            let stop = stopping
            lock.unlock()
            let now = Date()
            var waiting: [Parked] = []
            for request in batch {
                let final = stop || now >= request.deadline
                if let response = request.answer(final) {
                    request.complete(response)
                } else if final {
                    request.complete(Problem(.internalServerError, detail: "the feed gave no final answer").response)
                } else {
                    waiting.append(request)
                }
            }
            lock.lock()
            parked.append(contentsOf: waiting)
            let next = parked.map(\.deadline).min()
            if next == nil { looking = false }
            lock.unlock()
            guard let next else { return }
            _ = signal.wait(after: generation, until: min(next, Date().addingTimeInterval(Self.poll)))
        }
    }
}
