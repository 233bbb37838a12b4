import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Authentication, roles, and tenancy as a matrix: every endpoint, called
/// with the owning dealer's key, another dealer's key, and no key.
@Suite(.serialized) struct TenancyTests {
    struct Call: CustomTestStringConvertible, Sendable {
        let name: String
        let method: String
        /// Path with {customer}, {serial}, {contract}, {dealer} placeholders.
        let path: String
        let body: String?
        /// Status for the owning dealer.
        let ownerStatus: Int
        var testDescription: String { name }
    }

    static let calls: [Call] = [
        Call(name: "get dealer", method: "GET", path: "/v1/dealers/{dealer}", body: nil, ownerStatus: 200),
        Call(name: "get customer", method: "GET", path: "/v1/customers/{customer}", body: nil, ownerStatus: 200),
        Call(name: "patch customer", method: "PATCH", path: "/v1/customers/{customer}", body: #"{"name": "Renamed"}"#, ownerStatus: 200),
        Call(name: "get device", method: "GET", path: "/v1/devices/{serial}", body: nil, ownerStatus: 200),
        Call(name: "patch device", method: "PATCH", path: "/v1/devices/{serial}", body: #"{"ip_address": "192.0.2.99"}"#, ownerStatus: 200),
        Call(name: "get contract", method: "GET", path: "/v1/contracts/{contract}", body: nil, ownerStatus: 200),
        Call(name: "amend contract", method: "POST", path: "/v1/contracts/{contract}/amendments",
             body: #"{"effective_on": "2026-07-01", "tier": "premium"}"#, ownerStatus: 201),
        Call(name: "terminate contract", method: "POST", path: "/v1/contracts/{contract}/terminate",
             body: #"{"effective_on": "2026-09-30"}"#, ownerStatus: 200),
        Call(name: "create customer under the dealer", method: "POST", path: "/v1/customers",
             body: #"{"name": "New", "dealer_id": "{dealer}"}"#, ownerStatus: 201),
        Call(name: "create device for the customer", method: "POST", path: "/v1/devices",
             body: #"{"serial": "NEW-{n}", "model": "imageRUNNER C1325iF", "customer_id": "{customer}"}"#, ownerStatus: 201),
        Call(name: "create contract for the customer", method: "POST", path: "/v1/contracts",
             body: APITestServer.contractBody(customer: "{customer}", serials: ["{serial}"], from: "2027-01-01", to: "2027-12-31"),
             ownerStatus: 201),
        Call(name: "void meter reading", method: "POST", path: "/v1/meter-readings/{serial}/2026-01-01T00:00:00Z/void",
             body: #"{"reason": "typo"}"#, ownerStatus: 200),
        Call(name: "create work order for the contract", method: "POST", path: "/v1/work-orders",
             body: #"{"contract_id": "{contract}", "device_serial": "{serial}"}"#, ownerStatus: 201),
        Call(name: "get work order", method: "GET", path: "/v1/work-orders/{work_order}", body: nil, ownerStatus: 200),
        Call(name: "deliver work order", method: "POST", path: "/v1/work-orders/{work_order}/delivery",
             body: #"{"delivered_at": "2026-05-13T08:00:00Z"}"#, ownerStatus: 200),
        Call(name: "complete work order service", method: "POST", path: "/v1/work-orders/{work_order}/services/pre_install/complete",
             body: "{}", ownerStatus: 200),
        Call(name: "record work order time", method: "POST", path: "/v1/work-orders/{delivered_work_order}/time-entries",
             body: #"{"service": "user_training", "minutes": 30, "people": 4}"#, ownerStatus: 201),
        Call(name: "record work order extra", method: "POST", path: "/v1/work-orders/{delivered_work_order}/extras",
             body: #"{"add_on": "stairs_carry", "minutes": 15}"#, ownerStatus: 201),
    ]

    final class World {
        let server: APITestServer
        let a: APITestServer.DealerFixture
        let b: APITestServer.DealerFixture
        var contractA = ""
        /// Dealer A's work order for its device, when the call needs one (delivered for time and extras).
        var workOrderA = ""
        var counter = 0

        init(for call: Call? = nil) throws {
            server = try APITestServer()
            a = try server.dealer("Alpha", serial: "A-1")
            b = try server.dealer("Beta", serial: "B-1")
            contractA = try server.call("POST", "/v1/contracts", key: a.key,
                                        body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))["id"] as! String
            _ = try server.call("POST", "/v1/meter-readings", key: a.key,
                                body: MeteringAPITests.reading(a.serial, "2026-01-01T00:00:00Z", bw: 10, colour: 10))
            if let call, call.path.contains("work_order}") { try makeWorkOrder(delivered: call.path.contains("{delivered_work_order}")) }
        }

        func makeWorkOrder(delivered: Bool) throws {
            workOrderA = try server.call("POST", "/v1/work-orders", key: a.key,
                                         body: #"{"contract_id": "\#(contractA)", "device_serial": "\#(a.serial)"}"#)["id"] as! String
            if delivered {
                let reply = try server.call("POST", "/v1/work-orders/\(workOrderA)/delivery", key: a.key, body: #"{"delivered_at": "2026-05-13T08:00:00Z"}"#)
                precondition(reply.status == 200, "\(reply.json)")
            }
        }

        func fill(_ text: String) -> String {
            counter += 1
            return text.replacingOccurrences(of: "{dealer}", with: a.id).replacingOccurrences(of: "{customer}", with: a.customerID)
                .replacingOccurrences(of: "{serial}", with: a.serial).replacingOccurrences(of: "{contract}", with: contractA)
                .replacingOccurrences(of: "{delivered_work_order}", with: workOrderA).replacingOccurrences(of: "{work_order}", with: workOrderA)
                .replacingOccurrences(of: "{n}", with: String(counter))
        }
    }

    /// Another dealer's key sees nothing of dealer A: 404, exactly as for a
    /// resource that does not exist, and nothing changes.
    @Test(arguments: calls)
    func otherDealerGets404AndChangesNothing(_ call: Call) throws {
        let world = try World(for: call)
        let before = try world.server.admin("GET", "/v1/audit?limit=500").items.count
        let reply = try world.server.call(call.method, world.fill(call.path), key: world.b.key, body: call.body.map(world.fill))
        #expect(reply.status == 404, "\(reply.json)")
        #expect(reply.header("Content-Type") == "application/problem+json")
        let after = try world.server.admin("GET", "/v1/audit?limit=500").items.count
        #expect(after == before)
        let missing = try world.server.call(call.method, world.fill(call.path)
            .replacingOccurrences(of: world.a.customerID, with: "cus_missing").replacingOccurrences(of: world.contractA, with: "con_missing")
            .replacingOccurrences(of: world.workOrderA.isEmpty ? "\u{0}" : world.workOrderA, with: "wko_missing")
            .replacingOccurrences(of: world.a.id, with: "dlr_missing").replacingOccurrences(of: "/\(world.a.serial)", with: "/NOPE"),
            key: world.a.key, body: call.body.map(world.fill)?.replacingOccurrences(of: world.a.customerID, with: "cus_missing")
                .replacingOccurrences(of: world.a.id, with: "dlr_missing"))
        if call.path.contains("{") || call.body?.contains("{customer}") == true || call.body?.contains("{dealer}") == true {
            #expect(missing.status == 404, "nonexistent resource: \(missing.json)")
            #expect((missing["detail"] as? String)?.contains("not found") == true)
        }
    }

    @Test(arguments: calls)
    func owningDealerSucceeds(_ call: Call) throws {
        let world = try World(for: call)
        let reply = try world.server.call(call.method, world.fill(call.path), key: world.a.key, body: call.body.map(world.fill))
        #expect(reply.status == call.ownerStatus, "\(reply.json)")
    }

    @Test(arguments: calls)
    func noKeyGets401(_ call: Call) throws {
        let world = try World(for: call)
        let reply = try world.server.call(call.method, world.fill(call.path), key: nil, body: call.body.map(world.fill))
        #expect(reply.status == 401)
        #expect(reply.header("WWW-Authenticate") == "Bearer")
    }

    @Test func listsNeverShowAnotherDealersRows() throws {
        let world = try World()
        try world.makeWorkOrder(delivered: true)
        for path in ["/v1/customers", "/v1/devices", "/v1/contracts", "/v1/work-orders", "/v1/work-orders?contract_id=\(world.contractA)", "/v1/customers?dealer_id=\(world.a.id)",
                     "/v1/devices?customer_id=\(world.a.customerID)", "/v1/contracts?customer_id=\(world.a.customerID)"] {
            let asB = try world.server.call("GET", path, key: world.b.key)
            #expect(asB.status == 200)
            let ids = asB.items.map { ($0["id"] ?? $0["serial"]) as? String ?? "" }
            #expect(!ids.contains(world.a.customerID) && !ids.contains(world.a.serial) && !ids.contains(world.contractA)
                    && !ids.contains(world.workOrderA), "\(path)")
            #expect(asB.items.allSatisfy { ($0["dealer_id"] as? String) == world.b.id }, "\(path)")
        }
        let admin = try world.server.admin("GET", "/v1/customers")
        #expect(Set(admin.items.compactMap { $0["dealer_id"] as? String }) == [world.a.id, world.b.id])
    }

    @Test func unknownAndRevokedKeysGet401() throws {
        let world = try World()
        #expect(try world.server.call("GET", "/v1/customers", key: "sdk_not-a-real-key").status == 401)
        let bad = try world.server.call("GET", "/v1/customers", key: nil, headers: ["Authorization: Basic dXNlcjpwYXNz"])
        #expect(bad.status == 401)
        let created = try world.server.admin("POST", "/v1/dealers/\(world.b.id)/api-keys")
        let key = created["key"] as! String
        #expect(try world.server.call("GET", "/v1/customers", key: key).status == 200)
        #expect(try world.server.admin("DELETE", "/v1/api-keys/\(created["id"] as! String)").status == 204)
        #expect(try world.server.call("GET", "/v1/customers", key: key).status == 401)
        #expect(try world.server.admin("DELETE", "/v1/api-keys/key_missing").status == 404)
    }

    @Test func rolesAreEnforcedWith403() throws {
        let world = try World()
        let billing = try world.server.application.database.write { try APIKeyStore.create($0, role: .billing, dealerID: nil).1 }
        // Dealers may not administer dealers, keys or the audit trail.
        #expect(try world.server.call("POST", "/v1/dealers", key: world.a.key, body: #"{"name": "X"}"#).status == 403)
        #expect(try world.server.call("GET", "/v1/dealers", key: world.a.key).status == 403)
        #expect(try world.server.call("POST", "/v1/dealers/\(world.a.id)/api-keys", key: world.a.key).status == 403)
        #expect(try world.server.call("GET", "/v1/audit", key: world.a.key).status == 403)
        // Billing reads everything and writes nothing here.
        #expect(try world.server.call("GET", "/v1/customers/\(world.a.customerID)", key: billing).status == 200)
        #expect(try world.server.call("GET", "/v1/contracts/\(world.contractA)", key: billing).status == 200)
        #expect(try world.server.call("PATCH", "/v1/customers/\(world.a.customerID)", key: billing, body: #"{"name": "X"}"#).status == 403)
        #expect(try world.server.call("POST", "/v1/customers", key: billing, body: #"{"name": "X", "dealer_id": "\#(world.a.id)"}"#).status == 403)
        // Any valid key reads the catalogue.
        for key in [world.a.key, billing, world.server.adminKey] {
            #expect(try world.server.call("GET", "/v1/catalogue", key: key).status == 200)
        }
    }
}
