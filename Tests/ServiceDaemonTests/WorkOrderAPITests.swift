import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Implementation work orders over HTTP: the services of the contract's
/// package, delivery and the installation deadline, time and extras billed
/// by the next billing run with explanations, and malformed input refused
/// without a change.
@Suite(.serialized) struct WorkOrderAPITests {
    final class World {
        let server: APITestServer
        let a: APITestServer.DealerFixture
        let contract: String
        let order: String

        /// Dealer A's device under an Advanced contract for 2026 with Connectivity and User training bought
        /// (and `downgrades`, a JSON member to add, if any).
        init(deliver: String? = nil, downgrades: String = "") throws {
            server = try APITestServer()
            a = try server.dealer("Alpha", serial: "WO-1")
            let body = APITestServer.contractBody(customer: a.customerID, serials: [a.serial], extra: downgrades)
                .replacingOccurrences(of: #""implementation_package": "standard""#, with: #""implementation_package": "advanced""#)
                .replacingOccurrences(of: #""options": ["user_training"]"#, with: #""options": ["user_training", "connectivity"]"#)
            let created = try server.call("POST", "/v1/contracts", key: a.key, body: body)
            precondition(created.status == 201, "\(created.json)")
            contract = created["id"] as! String
            let order = try server.call("POST", "/v1/work-orders", key: a.key,
                                        body: #"{"contract_id": "\#(contract)", "device_serial": "\#(a.serial)"}"#)
            precondition(order.status == 201, "\(order.json)")
            self.order = order["id"] as! String
            if let deliver {
                let delivered = try post("delivery", #"{"delivered_at": "\#(deliver)"}"#)
                precondition(delivered.status == 200, "\(delivered.json)")
            }
        }

        func post(_ path: String, _ body: String) throws -> APITestServer.Reply {
            try server.call("POST", "/v1/work-orders/\(order)/\(path)", key: a.key, body: body)
        }

        func get() throws -> APITestServer.Reply { try server.call("GET", "/v1/work-orders/\(order)", key: a.key) }

        func service(_ reply: APITestServer.Reply, _ id: String) -> [String: Any]? {
            (reply["services"] as? [[String: Any]])?.first { $0["service"] as? String == id }
        }

        /// Lines of a stored 2026 run that came from work orders.
        func bill() throws -> [[String: Any]] {
            let run = try server.admin("POST", "/v1/billing-runs", #"{"year": 2026, "dry_run": false}"#)
            precondition(run.status == 201, "\(run.json)")
            return try server.admin("GET", "/v1/billing-runs/\(run["id"] as! String)/lines?limit=500").items
                .filter { ($0["kind"] as? String)?.hasPrefix("implementation_") == true }
        }
    }

    @Test func workOrderCarriesThePackageServicesOncePerDevice() throws {
        let world = try World()
        let order = try world.get()
        #expect(order.status == 200)
        #expect((order["services"] as? [[String: Any]])?.compactMap { $0["service"] as? String }
            == ["pre_install", "freight_delivery", "installation_network", "connectivity", "user_training", "security_activation"])
        #expect((order["services"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "pending" } == true)
        #expect(order["delivered_at"] is NSNull)
        let again = try world.server.call("POST", "/v1/work-orders", key: world.a.key,
                                          body: #"{"contract_id": "\#(world.contract)", "device_serial": "\#(world.a.serial)"}"#)
        #expect(again.status == 409)
        #expect((again["detail"] as? String)?.contains(world.order) == true)
        let list = try world.server.call("GET", "/v1/work-orders?contract_id=\(world.contract)", key: world.a.key)
        #expect(list.items.compactMap { $0["id"] as? String } == [world.order])
    }

    @Test func aServiceTheContractDowngradedIsNotOnItsWorkOrder() throws {
        let world = try World(deliver: "2026-05-13T08:00:00Z", downgrades: #", "downgrades": ["security_activation"]"#)
        let order = try world.get()
        #expect((order["services"] as? [[String: Any]])?.compactMap { $0["service"] as? String }
            == ["pre_install", "freight_delivery", "installation_network", "connectivity", "user_training"])
        // Not performed: it cannot be completed, and nothing of it is billed.
        #expect(try world.post("services/security_activation/complete", "{}").status == 404)
        #expect(try world.post("services/pre_install/complete", "{}").status == 200)
    }

    @Test func installationLateAfterDeliveryIsABreachInTheReport() throws {
        // Delivered Wednesday 13 May 2026 10:00 CEST; Thursday 14 May is Ascension Day,
        // so installation is due Friday 15 May 16:00 CEST = 14:00Z.
        let world = try World()
        #expect(try world.post("time-entries", #"{"service": "installation_network", "minutes": 30}"#).status == 409)
        let delivered = try world.post("delivery", #"{"delivered_at": "2026-05-13T08:00:00Z"}"#)
        #expect(delivered.status == 200)
        #expect(world.service(delivered, "freight_delivery")?["state"] as? String == "done")
        #expect(world.service(delivered, "freight_delivery")?["completed_at"] as? String == "2026-05-13T08:00:00Z")
        #expect(world.service(delivered, "installation_network")?["due_at"] as? String == "2026-05-15T14:00:00Z")
        #expect(world.service(delivered, "installation_network")?["deadline"] as? String == "overdue")
        #expect(try world.post("delivery", #"{"delivered_at": "2026-05-13T09:00:00Z"}"#).status == 409)
        // Completed Friday 17:00 CEST, an hour late.
        let done = try world.post("services/installation_network/complete", #"{"completed_at": "2026-05-15T15:00:00Z"}"#)
        #expect(done.status == 200)
        #expect(world.service(done, "installation_network")?["deadline"] as? String == "breached")
        #expect(try world.post("services/installation_network/complete", "{}").status == 409)
        #expect(try world.post("services/plug_and_play/complete", "{}").status == 404)
        let report = try world.server.call("GET", "/v1/reports/implementation?from=2026-05-01&to=2026-05-31", key: world.a.key)
        #expect(report.status == 200)
        #expect((report["deadlines"] as? Int, report["breached"] as? Int, report["completed_in_time"] as? Int) == (1, 1, 0))
        let breach = (report["breaches"] as? [[String: Any]])?.first
        #expect(breach?["work_order_id"] as? String == world.order)
        #expect(breach?["due_at"] as? String == "2026-05-15T14:00:00Z")
        // Outside the period, nothing.
        let june = try world.server.call("GET", "/v1/reports/implementation?from=2026-06-01&to=2026-06-30", key: world.a.key)
        #expect(june["deadlines"] as? Int == 0)
    }

    @Test func timeBeyondTheInclusionAndExtrasAreBilledByTheNextRunOnce() throws {
        let world = try World(deliver: "2026-05-13T08:00:00Z")
        for body in [
            // Training: 45 min with 4 people and 30 with 5 (75 within the group size, 60 included, 15 beyond),
            // 20 min with 8 people (over the group size, billed in full): 35 minutes, 35 x 950.00 / 60 = 554.17 kr.
            #"{"service": "user_training", "minutes": 45, "people": 4, "performed_at": "2026-05-14T08:00:00Z"}"#,
            #"{"service": "user_training", "minutes": 30, "people": 5, "performed_at": "2026-05-14T09:00:00Z"}"#,
            #"{"service": "user_training", "minutes": 20, "people": 8, "performed_at": "2026-05-14T10:00:00Z"}"#,
            // Installation: 90 min, 30 beyond its included hour, billed as one started hour: 950.00 kr.
            #"{"service": "installation_network", "minutes": 90, "performed_at": "2026-05-14T11:00:00Z"}"#,
            // Connectivity: 40 min, within its included hour: nothing billed.
            #"{"service": "connectivity", "minutes": 40, "performed_at": "2026-05-14T12:00:00Z"}"#,
        ] {
            let reply = try world.post("time-entries", body)
            #expect(reply.status == 201, "\(reply.json)")
        }
        // Stairs carry, 30 min at 950.00 kr an hour: 475.00 kr.
        #expect(try world.post("extras", #"{"add_on": "stairs_carry", "minutes": 30, "note": "3rd floor, no lift"}"#).status == 201)
        let first = try world.bill()
        func line(_ lines: [[String: Any]], _ needle: String) -> [String: Any]? {
            lines.first { ($0["explanation"] as? [String: Any]).map { "\($0["service"] ?? $0["add_on"] ?? "")" == needle } ?? false }
        }
        #expect(first.count == 3, "\(first)")
        let training = line(first, "user_training")
        #expect((training?["quantity"] as? Int, training?["amount_minor"] as? Int, training?["adjustment"] as? Bool) == (35, 55_417, false))
        #expect(training?["unit"] as? String == "minute" && training?["price_unit"] as? String == "hour")
        #expect((training?["explanation"] as? [String: Any])?["minutes_over_group_size"] as? Int == 20)
        let installation = line(first, "installation_network")
        #expect((installation?["quantity"] as? Int, installation?["amount_minor"] as? Int) == (60, 95_000))
        let stairs = line(first, "stairs_carry")
        #expect((stairs?["quantity"] as? Int, stairs?["amount_minor"] as? Int) == (30, 47_500))
        #expect((stairs?["explanation"] as? [String: Any])?["note"] as? String == "3rd floor, no lift")
        #expect(line(first, "connectivity") == nil)

        // Nothing new: the next run bills nothing of the work order again.
        #expect(try world.bill().isEmpty)

        // 10 more training minutes with 3 people: 45 beyond to date = 712.50 kr; 712.50 - 554.17 = 158.33 kr as an adjustment.
        #expect(try world.post("time-entries", #"{"service": "user_training", "minutes": 10, "people": 3, "performed_at": "2026-05-20T08:00:00Z"}"#).status == 201)
        let adjusted = try world.bill()
        #expect(adjusted.count == 1, "\(adjusted)")
        #expect((adjusted.first?["quantity"] as? Int, adjusted.first?["amount_minor"] as? Int, adjusted.first?["adjustment"] as? Bool) == (10, 15_833, true))
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let body: String
        let fields: [String]
        var testDescription: String { name }
    }

    static let malformed: [Bad] = [
        Bad(name: "time: empty", path: "time-entries", body: "{}", fields: ["service", "minutes"]),
        Bad(name: "time: zero minutes", path: "time-entries", body: #"{"service": "user_training", "minutes": 0, "people": 3}"#, fields: ["minutes"]),
        Bad(name: "time: over a day", path: "time-entries", body: #"{"service": "user_training", "minutes": 1441, "people": 3}"#, fields: ["minutes"]),
        Bad(name: "time: minutes as text", path: "time-entries", body: #"{"service": "user_training", "minutes": "30", "people": 3}"#, fields: ["minutes"]),
        Bad(name: "time: training without people", path: "time-entries", body: #"{"service": "user_training", "minutes": 30}"#, fields: ["people"]),
        Bad(name: "time: no people", path: "time-entries", body: #"{"service": "user_training", "minutes": 30, "people": 0}"#, fields: ["people"]),
        Bad(name: "time: people on connectivity", path: "time-entries", body: #"{"service": "connectivity", "minutes": 30, "people": 2}"#, fields: ["people"]),
        Bad(name: "time: untimed service", path: "time-entries", body: #"{"service": "pre_install", "minutes": 30}"#, fields: ["service"]),
        Bad(name: "time: service not ordered", path: "time-entries", body: #"{"service": "plug_and_play", "minutes": 30}"#, fields: ["service"]),
        Bad(name: "time: in the future", path: "time-entries",
            body: #"{"service": "connectivity", "minutes": 30, "performed_at": "2999-01-01T00:00:00Z"}"#, fields: ["performed_at"]),
        Bad(name: "time: before delivery", path: "time-entries",
            body: #"{"service": "connectivity", "minutes": 30, "performed_at": "2026-05-01T00:00:00Z"}"#, fields: ["performed_at"]),
        Bad(name: "time: unknown field", path: "time-entries", body: #"{"service": "connectivity", "minutes": 30, "hours": 1}"#, fields: ["hours"]),
        Bad(name: "extra: empty", path: "extras", body: "{}", fields: ["add_on", "minutes"]),
        Bad(name: "extra: unknown add-on", path: "extras", body: #"{"add_on": "helicopter", "minutes": 5}"#, fields: ["add_on"]),
        Bad(name: "extra: negative minutes", path: "extras", body: #"{"add_on": "stairs_carry", "minutes": -1}"#, fields: ["minutes"]),
        Bad(name: "extra: note too long", path: "extras",
            body: #"{"add_on": "stairs_carry", "minutes": 5, "note": "\#(String(repeating: "x", count: 4_001))"}"#, fields: ["note"]),
        Bad(name: "complete: not an instant", path: "services/connectivity/complete", body: #"{"completed_at": "tomorrow"}"#, fields: ["completed_at"]),
        Bad(name: "complete: before delivery", path: "services/connectivity/complete",
            body: #"{"completed_at": "2026-05-12T00:00:00Z"}"#, fields: ["completed_at"]),
    ]

    @Test(arguments: malformed)
    func malformedInputIsRefusedNamingTheFieldAndChangesNothing(_ bad: Bad) throws {
        let world = try World(deliver: "2026-05-13T08:00:00Z")
        let before = try world.get()
        let reply = try world.post(bad.path, bad.body)
        #expect(reply.status == 422, "\(reply.json)")
        #expect(reply.header("Content-Type") == "application/problem+json")
        #expect(Set(reply.errors.keys) == Set(bad.fields), "\(reply.json)")
        let after = try world.get()
        #expect(after.header("ETag") == before.header("ETag"))
        #expect((after["time_entries"] as? [Any])?.isEmpty == true && (after["extras"] as? [Any])?.isEmpty == true)
    }

    @Test func malformedCreationAndDeliveryAreRefused() throws {
        let world = try World()
        let empty = try world.server.call("POST", "/v1/work-orders", key: world.a.key, body: "{}")
        #expect(empty.status == 422 && Set(empty.errors.keys) == ["contract_id", "device_serial"])
        let notCovered = try world.server.call("POST", "/v1/work-orders", key: world.a.key,
                                               body: #"{"contract_id": "\#(world.contract)", "device_serial": "OTHER-1"}"#)
        #expect(notCovered.status == 422 && Set(notCovered.errors.keys) == ["device_serial"])
        #expect(try world.post("delivery", #"{"delivered_at": 5}"#).status == 422)
        #expect(try world.post("delivery", "not json").status == 400)
        #expect(try world.get()["delivered_at"] is NSNull)
    }
}
