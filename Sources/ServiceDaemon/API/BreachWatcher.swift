import Foundation
import Logging
import ServiceCore

/// Raises `service_request.response_breached` within a minute of a
/// response deadline passing with no response. A thread of its own checks
/// when the next deadline passes (and at least every 30 seconds), soon
/// after any write (a request logged late, its deadline already behind
/// it, is raised at once), and at start-up for deadlines that passed while
/// the daemon was down. Each breach is marked in the same transaction as
/// its event, so it is raised exactly once. The clock is injected: tests
/// step it by hand through `check(now:)`.
final class BreachWatcher: @unchecked Sendable {
    let api: API
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let lock = NSCondition()
    private var stopping = false
    private var running = false

    static let longestSleep: TimeInterval = 30
    /// Writes come in bursts: one check per quarter second is "at once".
    static let shortestSleep: TimeInterval = 0.25

    init(api: API, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.logger = logger
        self.now = now
    }

    /// Raises every breach due at `now`; returns how many, and when to look again.
    @discardableResult
    func check(now: Date) throws -> (raised: Int, next: Date) {
        var raised = 0
        // Every commit wakes the watcher; most wakes find nothing due, which a
        // read tells without taking the writer from the requests.
        while let first = try api.read({ try ServiceRequestStore.nextUnraisedDeadline($0) }), first < now {
            let batch = try api.database.write { connection -> Int in
                var count = 0
                for request in try ServiceRequestStore.unraisedBreaches(connection, at: now, limit: 100)
                where try ServiceRequestStore.markBreachRaised(connection, id: request.id, at: now) {
                    try api.publish(connection, .serviceRequestResponseBreached, dealer: request.dealerID, id: request.id,
                                    ServiceRequestRoutes(api: api).present(request))
                    count += 1
                }
                return count
            }
            raised += batch
            if batch < 100 { break }
        }
        if raised > 0 { api.commits.ring() }
        let latest = now.addingTimeInterval(Self.longestSleep)
        let deadline = try api.read { try ServiceRequestStore.nextUnraisedDeadline($0) }
        // A second past the deadline: `check` raises deadlines strictly before its instant.
        return (raised, deadline.map { min(max($0.addingTimeInterval(1), now), latest) } ?? latest)
    }

    func start() {
        lock.lock()
        running = true
        lock.unlock()
        let thread = Thread { self.run() }
        thread.name = "sla-breaches"
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
                if result.raised > 0 { logger.notice("SLA breaches raised", metadata: ["count": .stringConvertible(result.raised)]) }
                next = result.next
            } catch {
                logger.error("SLA breach check failed", metadata: ["error": .string("\(error)")])
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
