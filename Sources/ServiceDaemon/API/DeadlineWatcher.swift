import Foundation
import Logging
import ServiceCore

/// Raises the events of deadlines that pass unmet, which no request
/// announces: a service request's response deadline
/// (`service_request.response_breached`) and a CPS repair's target day
/// (`cps_repair.target_missed`). A thread of its own checks when the next
/// deadline passes (and at least every 30 seconds), soon after any write (a
/// request logged late, its deadline already behind it, is raised at once),
/// and at start-up for deadlines that passed while the daemon was down. Each
/// is marked in the same transaction as its event, so it is raised exactly
/// once. The clock is injected: tests step it by hand through `check(now:)`.
final class DeadlineWatcher: @unchecked Sendable {
    let api: API
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let deadlines: [any WatchedDeadlines]
    private let lock = NSCondition()
    private var stopping = false
    private var running = false

    static let longestSleep: TimeInterval = 30
    /// Writes come in bursts: one check per quarter second is "at once".
    static let shortestSleep: TimeInterval = 0.25
    static let batch = 100

    init(api: API, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.logger = logger
        self.now = now
        deadlines = [ResponseDeadlines(api: api), RepairTargets(api: api)]
    }

    /// Raises every deadline passed by `now`; returns how many, and when to look again.
    @discardableResult
    func check(now: Date) throws -> (raised: Int, next: Date) {
        var raised = 0
        var pending: [Date] = []
        for kind in deadlines {
            // Every commit wakes the watcher; most wakes find nothing due, which a
            // read tells without taking the writer from the requests. The last read
            // of each kind is also when it is next due: nothing is read twice.
            var next = try api.read { try kind.next($0) }
            while let due = next, due < now {
                let batch = try api.database.write { try kind.raise($0, now: now, limit: Self.batch) }
                raised += batch
                next = try api.read { try kind.next($0) }
                if batch < Self.batch { break }
            }
            if let next { pending.append(next) }
        }
        if raised > 0 { api.commits.ring() }
        let latest = now.addingTimeInterval(Self.longestSleep)
        // A second past the deadline: a deadline is raised once its instant is strictly behind `now`.
        return (raised, pending.min().map { min(max($0.addingTimeInterval(1), now), latest) } ?? latest)
    }

    func start() {
        lock.lock()
        running = true
        lock.unlock()
        let thread = Thread { self.run() }
        thread.name = "deadlines"
        thread.start()
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        lock.unlock()
        api.commits.ring()
        lock.lock()
        while running { lock.wait() }
        lock.unlock()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func run() {
        var seen = api.commits.current
        while !isStopping {
            var next = Date().addingTimeInterval(Self.longestSleep)
            do {
                let result = try check(now: now())
                if result.raised > 0 { logger.notice("missed deadlines raised", metadata: ["count": .stringConvertible(result.raised)]) }
                next = result.next
            } catch {
                logger.error("deadline check failed", metadata: ["error": .string("\(error)")])
            }
            Thread.sleep(forTimeInterval: Self.shortestSleep)
            seen = api.commits.wait(after: seen, until: next)
        }
        lock.lock()
        running = false
        lock.broadcast()
        lock.unlock()
    }
}
