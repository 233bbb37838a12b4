import Foundation
import Logging
import ServiceCore
import Testing
@testable import ServiceDaemon

/// `service_request.response_breached`: raised within a minute of the
/// deadline (the watcher's clock stepped by hand), exactly once, and at
/// once for a request logged after its deadline had passed.
@Suite struct ResponseBreachTests {
    /// Steps the watcher's clock from `start` to each wake-up it asks for until
    /// one raises something (exactly one); returns that instant.
    static func firstRaise(_ watcher: DeadlineWatcher, from start: Date) throws -> Date {
        var clock = start
        for _ in 0..<10 {
            let (raised, next) = try watcher.check(now: clock)
            if raised > 0 {
                #expect(raised == 1)
                return clock
            }
            #expect(next > clock)
            clock = next
        }
        Issue.record("nothing raised within ten wake-ups")
        return clock
    }

    static func watcher(_ server: APITestServer) -> DeadlineWatcher {
        var logger = Logger(label: "breach-test")
        logger.logLevel = .critical
        return DeadlineWatcher(api: server.application.deadlineWatcher.api, logger: logger)
    }

    /// Premium, reported Monday 09:00 local: due four business hours later.
    /// The test's clock starts one minute before the deadline and jumps to
    /// wherever the watcher asks to be woken; the breach must come at a
    /// wake-up no later than a minute after the deadline.
    @Test func raisedWithinAMinuteOfTheDeadlineAndOnlyOnce() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "BR-1")
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], tier: "premium", from: "2026-01-01", to: "2027-12-31"))
        // Reported now: its deadline lies ahead in real time, so the daemon's own watcher stays quiet.
        let reply = try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: nil)
        let due = try #require((reply["response_due_at"] as? String).flatMap(RFC3339.parse))
        #expect(due > Date())
        let watcher = Self.watcher(server)
        let clock = try Self.firstRaise(watcher, from: due.addingTimeInterval(-60))
        #expect(clock > due)
        #expect(clock.timeIntervalSince(due) <= 60)
        let events = try EventOutboxAPITests.all(server, key: a.key, "types=service_request.response_breached")
        #expect(events.map(\.1) == [reply["id"] as? String])
        #expect(try watcher.check(now: clock.addingTimeInterval(3_600)).raised == 0)  // once
    }

    /// A request logged three days after it happened: its deadline has
    /// long passed, and the daemon's own watcher raises it at once.
    @Test func aRequestLoggedAfterItsDeadlineIsRaisedAtOnce() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "BR-2")
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], tier: "standard", from: "2026-01-01", to: "2027-12-31"))
        let reported = RFC3339.format(Date().addingTimeInterval(-3 * 86_400 - 3_600))
        let reply = try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: reported)
        let id = try #require(reply["id"] as? String)
        var events: [(String, String, [String: Any])] = []
        let deadline = Date().addingTimeInterval(10)
        while events.isEmpty && Date() < deadline {
            events = try EventOutboxAPITests.all(server, key: a.key, "types=service_request.response_breached")
            if events.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(events.map(\.1) == [id])
        #expect(events.first?.2["response_breached"] as? Bool == true)
        let shown = try server.call("GET", "/v1/service-requests/\(id)", key: a.key)
        #expect(shown["response_breached"] as? Bool == true)
        // Answered late: still breached.
        _ = try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "respond"}"#)
        #expect(try server.call("GET", "/v1/service-requests/\(id)", key: a.key)["response_breached"] as? Bool == true)
    }

    /// Deadlines that passed while the daemon was down are raised at start-up.
    @Test func deadlinesPassedWhileDownAreRaisedAtStartUp() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("down.db")
        var id: String?
        var configuration: DatabaseConfiguration?
        do {
            let server = try APITestServer { $0.databasePath = db }
            configuration = server.application.configuration.database
            let a = try server.dealer("A", serial: "BR-3")
            _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
                customer: a.customerID, serials: [a.serial], tier: "premium", from: "2026-01-01", to: "2027-12-31"))
            id = try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: nil)["id"] as? String
        }
        // The server is gone; its request's deadline passes while it is down (moved into the past behind its back).
        try DatabasePool(configuration: try #require(configuration)).write { connection in
            try connection.execute("UPDATE service_requests SET response_due_at = '2026-01-05T10:00:00Z' WHERE id = ?", [id])
        }
        let restarted = try APITestServer { $0.databasePath = db }
        var raised: [String] = []
        let deadline = Date().addingTimeInterval(10)
        while raised.isEmpty && Date() < deadline {
            raised = try EventOutboxAPITests.all(restarted, key: restarted.adminKey, "types=service_request.response_breached").map(\.1)
            if raised.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(raised == [id])
    }
}
