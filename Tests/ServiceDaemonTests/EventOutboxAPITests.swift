import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

/// The transactional outbox seen through the API: every change a portal
/// cares about leaves its event with the resource as the change left it,
/// a change that fails leaves neither, and the feed pages through them in
/// order within the caller's tenancy.
@Suite struct EventOutboxAPITests {
    static func feed(_ server: APITestServer, key: String, _ query: String = "") throws -> APITestServer.Reply {
        try server.call("GET", "/v1/events\(query.isEmpty ? "" : "?" + query)", key: key)
    }

    /// Every event of the feed, in order, as (type, resource id, data).
    static func all(_ server: APITestServer, key: String, _ query: String = "") throws -> [(String, String, [String: Any])] {
        try feed(server, key: key, query).items.map { item in
            let resource = item["resource"] as! [String: Any]
            return (item["type"] as! String, resource["id"] as! String, item["data"] as! [String: Any])
        }
    }

    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
    }

    static func dms(_ server: APITestServer, _ key: String, _ body: String) throws -> APITestServer.Reply {
        try server.call("POST", "/v1/dms/events", key: key, body: body)
    }

    @Test func contractChangesCarryTheContractAsTheyLeftIt() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "EV-1")
        let created = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let id = created["id"] as! String
        let amended = try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-07-01", "tier": "premium"}"#)
        let terminated = try server.call("POST", "/v1/contracts/\(id)/terminate", key: a.key, body: #"{"effective_on": "2026-09-30"}"#)
        let events = try Self.all(server, key: a.key, "types=contract.created,contract.amended,contract.terminated")
        #expect(events.map(\.0) == ["contract.created", "contract.amended", "contract.terminated"])
        #expect(events.allSatisfy { $0.1 == id })
        // The data is the resource exactly as the write answered it.
        for (event, reply) in zip(events, [created, amended, terminated]) {
            #expect(try Self.canonical(event.2) == Self.canonical(reply.json))
        }
        #expect((events[1].2["tier_history"] as? [Any])?.count == 2)
        #expect(events[2].2["terminated_on"] as? String == "2026-09-30")
        let item = try Self.feed(server, key: a.key).items.first!
        #expect(item["dealer_id"] as? String == a.id)
        #expect((item["id"] as? String)?.hasPrefix("evt_") == true)
        #expect(item["timestamp"] is String)
    }

    @Test func serviceRequestLifecycleAndDMSEvents() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "EV-2")
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let request = try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: nil)
        let id = request["id"] as! String
        for type in ["respond", "hold", "resume", "resolve"] {
            #expect(try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "\#(type)"}"#).status == 200)
        }
        // Holds and resumes are bookkeeping: no event.
        let requestEvents = try Self.all(server, key: a.key, "types=service_request.created,service_request.responded,service_request.resolved,service_request.cancelled")
        #expect(requestEvents.map(\.0) == ["service_request.created", "service_request.responded", "service_request.resolved"])
        #expect(requestEvents.map { $0.2["state"] as? String } == ["open", "responded", "resolved"])

        // A DMS error raises the device alert and opens a request; a second one only the alert.
        let error = #"{"device_serial": "EV-2", "at": "2026-01-05T08:00:00Z", "type": "error", "code": "E602", "message": "fuser"}"#
        #expect(try Self.dms(server, a.key, error).status == 201)
        #expect(try Self.dms(server, a.key, error).status == 201)
        let alerts = try Self.all(server, key: a.key, "types=device.alert_raised")
        #expect(alerts.count == 2)
        #expect(alerts[0].1 == "EV-2")
        let dmsEvent = alerts[0].2["dms_event"] as? [String: Any]
        #expect((dmsEvent?["detail"] as? [String: Any])?["code"] as? String == "E602")
        #expect((dmsEvent?["action"] as? [String: Any])?["type"] as? String == "service_request_created")
        let opened = try Self.all(server, key: a.key, "types=service_request.created")
        #expect(opened.count == 2)
        #expect(opened[1].2["source"] as? String == "dms")

        // Toner at 5 %: an order opens, then ships and is delivered.
        let toner = #"{"device_serial": "EV-2", "at": "2026-01-05T09:00:00Z", "type": "toner_level", "channel": "cyan", "level_percent": 5}"#
        let order = (try Self.dms(server, a.key, toner)["action"] as! [String: Any])["order_id"] as! String
        let shipped = try server.call("POST", "/v1/consumable-orders/\(order)/events", key: a.key, body: #"{"type": "ship", "quantity": 1}"#)
        #expect(shipped.status == 200 && shipped.header("ETag") == "\"2\"")
        let delivered = try server.call("POST", "/v1/consumable-orders/\(order)/events", key: a.key, body: #"{"type": "deliver", "quantity": 1}"#)
        #expect(delivered.status == 200 && delivered.header("ETag") == "\"3\"")
        // The version the answers carried is the stored one.
        #expect(try server.call("GET", "/v1/consumable-orders/\(order)", key: a.key).header("ETag") == "\"3\"")
        let orders = try Self.all(server, key: a.key, "types=consumable_order.opened,consumable_order.shipped,consumable_order.delivered,consumable_order.cancelled")
        #expect(orders.map(\.0) == ["consumable_order.opened", "consumable_order.shipped", "consumable_order.delivered"])
        #expect(orders.map { $0.2["state"] as? String } == ["open", "shipped", "delivered"])
        // The device has an address: no ip_address_missing so far.
        #expect(try Self.all(server, key: a.key, "types=device.ip_address_missing").isEmpty)
        #expect(try server.call("PATCH", "/v1/devices/EV-2", key: a.key, body: #"{"ip_address": null}"#).status == 200)
        #expect(try Self.dms(server, a.key, toner).status == 201)
        let missing = try Self.all(server, key: a.key, "types=device.ip_address_missing")
        #expect(missing.count == 1)
        #expect(missing.first?.2["ip_address"] is NSNull)
    }

    /// The outbox refuses an insert (a trigger standing in for any failure
    /// inside the transaction): the change it would have described is
    /// rolled back with it, and a refused change leaves no event.
    @Test func noChangeWithoutItsEventAndNoEventWithoutItsChange() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "EV-3")
        try server.application.database.write { connection in
            try connection.execute("CREATE TRIGGER outbox_refuses BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'outbox refused'); END")
        }
        let refused = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        #expect(refused.status == 500)
        #expect(try server.call("GET", "/v1/contracts", key: a.key).items.isEmpty)
        #expect(try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: nil).status == 500)
        #expect(try server.call("GET", "/v1/service-requests", key: a.key).items.isEmpty)
        try server.application.database.write { try $0.execute("DROP TRIGGER outbox_refuses") }

        // A change refused by its own rules writes no event either.
        #expect(try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial])).status == 201)
        #expect(try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial])).status == 409)
        let events = try Self.all(server, key: a.key)
        #expect(events.map(\.0) == ["contract.created"])
        let contracts = try server.call("GET", "/v1/contracts", key: a.key).items
        #expect(contracts.map { $0["id"] as? String } == [events[0].1])
    }

    @Test func feedPagesInOrderWithinTheDealersTenancy() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "EV-4")
        let b = try server.dealer("B", serial: "EV-5")
        var mine: [String] = []
        for index in 0..<5 {
            let fixture = index % 2 == 0 ? a : b
            let reply = try ServiceRequestAPITests.report(server, fixture.key, serial: fixture.serial, at: nil)
            if fixture.id == a.id { mine.append(reply["id"] as! String) }
        }
        // Two at a time: A's three requests, in order, and nothing of B's.
        var seen: [String] = []
        var query = "limit=2"
        for _ in 0..<3 {
            let page = try Self.feed(server, key: a.key, query)
            #expect(page.status == 200)
            seen += page.items.map { ($0["resource"] as! [String: Any])["id"] as! String }
            #expect(page.items.allSatisfy { $0["dealer_id"] as? String == a.id })
            query = "limit=2&after=\(page["next_cursor"] as! String)"
        }
        #expect(seen == mine)
        // The last cursor resumes with nothing new, and keeps its place.
        let end = try Self.feed(server, key: a.key, query)
        #expect(end.items.isEmpty)
        #expect(end["has_more"] as? Bool == false)
        #expect(end["next_cursor"] is String)
        // Admin sees all five, in order.
        #expect(try Self.all(server, key: server.adminKey).count == 5)
        #expect(try Self.all(server, key: b.key).count == 2)
    }

    /// `wait=` (a long poll): parked requests hold no worker. With ONE
    /// worker thread, three of dealer A's polls are parked while A reports
    /// a request: if a parked poll held the worker, the report would wait
    /// behind them and each poll would end empty at its deadline; instead
    /// each is answered with the new event. B's poll, woken by A's write
    /// too, sees nothing of its own and ends empty, its cursor kept.
    @Test func aLongPollIsAnsweredWhenAnEventArrivesWithoutHoldingAWorker() throws {
        let server = try APITestServer { $0.workers = 1 }
        let a = try server.dealer("A", serial: "EV-LP1")
        let b = try server.dealer("B", serial: "EV-LP2")
        let cursorA = try #require(try Self.feed(server, key: a.key)["next_cursor"] as? String)
        let cursorB = try #require(try Self.feed(server, key: b.key)["next_cursor"] as? String)
        /// Replies of polls made on threads of their own.
        final class Polls: @unchecked Sendable {
            let server: APITestServer
            let group = DispatchGroup()
            private let lock = NSLock()
            private var replies: [String: [APITestServer.Reply]] = [:]
            init(_ server: APITestServer) { self.server = server }
            func start(key: String, _ query: String) {
                DispatchQueue.global().async(group: group) {
                    let reply = try? EventOutboxAPITests.feed(self.server, key: key, query)
                    self.lock.withLock { if let reply { self.replies[key, default: []].append(reply) } }
                }
            }
            func replies(of key: String) -> [APITestServer.Reply] { lock.withLock { replies[key] ?? [] } }
        }
        let polls = Polls(server)
        for _ in 0..<3 { polls.start(key: a.key, "after=\(cursorA)&wait=4") }
        polls.start(key: b.key, "after=\(cursorB)&wait=2")
        Thread.sleep(forTimeInterval: 0.5)  // the polls are parked by now (a slower machine only makes them answer from the first read)
        let reported = try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: nil)
        let id = try #require(reported["id"] as? String)
        polls.group.wait()
        #expect(polls.replies(of: a.key).count == 3)
        for poll in polls.replies(of: a.key) {
            #expect(poll.status == 200)
            #expect(poll.items.map { ($0["resource"] as? [String: Any])?["id"] as? String } == [id])
            #expect(poll.items.first?["type"] as? String == "service_request.created")
        }
        let pollB = try #require(polls.replies(of: b.key).first)
        #expect(pollB.status == 200)
        #expect(pollB.items.isEmpty)
        #expect(pollB["next_cursor"] as? String == cursorB)
    }

    @Test(arguments: [
        ("types=service_request.exploded", "types"), ("types=", "types"), ("after=!!!", "after"), ("after=bm90YW51bWJlcg", "after"),
        ("limit=0", "limit"), ("wait=31", "wait"), ("wait=-1", "wait"), ("wait=1.5", "wait"), ("wait=", "wait"),
    ])
    func malformedFeedQueriesNameTheParameter(query: String, field: String) throws {
        let server = try APITestServer()
        let reply = try Self.feed(server, key: server.adminKey, query)
        #expect(reply.status == 422)
        #expect(reply.errors[field] != nil)
    }

    @Test func billingRunCompletionIsAnEventForAdminsAndEachDealerBilled() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "EV-6")
        let run = try server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)
        #expect(run.status == 201)
        let completed = try Self.all(server, key: server.adminKey, "types=billing_run.completed")
        #expect(completed.count == 1)  // nothing billed: no dealer's share
        #expect(completed.first?.1 == run["id"] as? String)
        #expect(completed.first?.2["year"] as? Int == 2025)
        #expect(try Self.all(server, key: a.key, "types=billing_run.completed").isEmpty)
        // A dry run stores nothing and tells nobody.
        #expect(try server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": true}"#).status == 200)
        #expect(try Self.all(server, key: server.adminKey, "types=billing_run.completed").count == 1)
    }

    /// A run left `running` by a process that died is removed at the next
    /// start, and the removal is its `billing_run.failed`.
    @Test func billingRunLeftByADeadProcessFailsWithItsEvent() throws {
        let server = try APITestServer()
        try server.application.database.write { connection in
            try connection.execute("""
                INSERT INTO billing_runs (id, year, status, api_key_id, role, currency, total_minor, line_count, created_at)
                VALUES ('run_orphan', 2024, 'running', NULL, 'admin', 'NOK', 0, 0, '2026-01-05T06:00:00Z')
                """)
        }
        let runner = BillingRunner(database: server.application.database, catalogue: try CatalogueLoader.load(path: DaemonProcess.catalogue))
        #expect(try runner.removeOrphans().map(\.id) == ["run_orphan"])
        let failed = try Self.all(server, key: server.adminKey, "types=billing_run.failed")
        #expect(failed.map(\.1) == ["run_orphan"])
        #expect(failed.first?.2["reason"] as? String == "left running by a process that died")
    }
}
