import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Tenancy and roles over every imagePROGRAF endpoint: the owning dealer,
/// another dealer (404 as if absent, nothing changes), admin, billing (reads
/// only), and no key.
@Suite(.serialized) struct IPFTenancyTests {
    struct Call: CustomTestStringConvertible, Sendable {
        let name: String
        let method: String
        let path: String
        let body: String?
        let ownerStatus: Int
        /// Admin-only writes answer dealers 403 whoever owns the data.
        var adminOnly = false
        /// What an admin gets when not a success (escalating a case without its steps).
        var adminStatus: Int?
        var testDescription: String { name }
    }

    static let calls: [Call] = [
        Call(name: "create technician", method: "POST", path: "/v1/ipf/technicians",
             body: #"{"name": "N", "dealer_id": "{dealer}", "certifications": []}"#, ownerStatus: 201),
        Call(name: "get technician", method: "GET", path: "/v1/ipf/technicians/{technician}", body: nil, ownerStatus: 200),
        Call(name: "certify technician", method: "POST", path: "/v1/ipf/technicians/{technician}/certifications",
             body: #"{"product_line": "imageprograf", "certified_on": "2026-01-05"}"#, ownerStatus: 201),
        Call(name: "get authorisation", method: "GET", path: "/v1/ipf/dealers/{dealer}/authorisation?on=2026-06-01", body: nil, ownerStatus: 200),
        Call(name: "suspend", method: "POST", path: "/v1/ipf/dealers/{dealer}/authorisation/actions",
             body: #"{"kind": "suspend", "reason": "audit"}"#, ownerStatus: 403, adminOnly: true),
        Call(name: "create registration", method: "POST", path: "/v1/ipf/registrations",
             body: IPFTestWorld.registrationBody(serial: "NEW{n}").replacingOccurrences(of: "{\"serial\"", with: "{\"dealer_id\": \"{dealer}\", \"serial\""),
             ownerStatus: 201),
        Call(name: "get registration", method: "GET", path: "/v1/ipf/registrations/{serial}", body: nil, ownerStatus: 200),
        Call(name: "patch registration", method: "PATCH", path: "/v1/ipf/registrations/{serial}", body: #"{"support_model": "manufacturer"}"#,
             ownerStatus: 200),
        Call(name: "get coverage", method: "GET", path: "/v1/ipf/registrations/{serial}/coverage?on=2026-01-01", body: nil, ownerStatus: 200),
        Call(name: "buy ecarepak", method: "POST", path: "/v1/ipf/registrations/{serial}/ecarepaks",
             body: #"{"term_months": 12, "purchased_on": "2026-03-01"}"#, ownerStatus: 201),
        Call(name: "transfer registration", method: "POST", path: "/v1/ipf/registrations/{serial}/transfer",
             body: #"{"dealer_id": "{dealer}", "reason": "sold on"}"#, ownerStatus: 403, adminOnly: true),
        Call(name: "submit claim", method: "POST", path: "/v1/ipf/claims", body: """
            {"dealer_id": "{dealer}", "serial": "IPFA0002", "service_date": "2026-01-0{n}", "technician_id": "{technician}", "labour_minutes": 10,
             "parts": [], "description": "d"}
            """, ownerStatus: 201),
        Call(name: "get claim", method: "GET", path: "/v1/ipf/claims/{claim}", body: nil, ownerStatus: 200),
        Call(name: "pay claim", method: "POST", path: "/v1/ipf/claims/{claim}/payment", body: #"{"reference": "P-1"}"#, ownerStatus: 403,
             adminOnly: true),
        Call(name: "claim statement", method: "GET", path: "/v1/ipf/claims/statement?month={month}&dealer_id={dealer}", body: nil, ownerStatus: 200),
        Call(name: "submit order", method: "POST", path: "/v1/ipf/orders",
             body: #"{"dealer_id": "{dealer}", "channel": "cna", "lines": [{"part_number": "P1", "quantity": 1}], "claim_id": "{claim}"}"#, ownerStatus: 201),
        Call(name: "get order", method: "GET", path: "/v1/ipf/orders/{order}", body: nil, ownerStatus: 200),
        Call(name: "order event", method: "POST", path: "/v1/ipf/orders/{order}/events", body: #"{"type": "confirm"}"#, ownerStatus: 200),
        Call(name: "open support case", method: "POST", path: "/v1/ipf/support-cases",
             body: #"{"dealer_id": "{dealer}", "serial": "{serial}", "channel": "web", "problem": "p"}"#, ownerStatus: 201),
        Call(name: "get support case", method: "GET", path: "/v1/ipf/support-cases/{case}", body: nil, ownerStatus: 200),
        Call(name: "support case step", method: "POST", path: "/v1/ipf/support-cases/{case}/steps", body: #"{"note": "n"}"#, ownerStatus: 200),
        Call(name: "escalate support case", method: "POST", path: "/v1/ipf/support-cases/{case}/escalate", body: "{}", ownerStatus: 422, adminStatus: 422),
        Call(name: "resolve support case", method: "POST", path: "/v1/ipf/support-cases/{case}/resolve", body: "{}", ownerStatus: 200),
    ]

    @Test(arguments: calls)
    func otherDealerGets404AndChangesNothing(_ call: Call) throws {
        let world = try IPFTestWorld()
        let before = try world.auditCount()
        let reply = try world.server.call(call.method, world.fill(call.path), key: world.b.key, body: call.body.map(world.fill))
        #expect(reply.status == (call.adminOnly ? 403 : 404), "\(reply.json)")
        #expect(reply.header("Content-Type") == "application/problem+json")
        #expect(try world.auditCount() == before)
    }

    @Test(arguments: calls)
    func owningDealerSucceeds(_ call: Call) throws {
        let world = try IPFTestWorld()
        let reply = try world.server.call(call.method, world.fill(call.path), key: world.a.key, body: call.body.map(world.fill))
        #expect(reply.status == call.ownerStatus, "\(reply.json)")
    }

    @Test(arguments: calls)
    func adminSucceedsAndBillingOnlyReads(_ call: Call) throws {
        let world = try IPFTestWorld()
        let billing = try world.server.application.database.write { try APIKeyStore.create($0, role: .billing, dealerID: nil).1 }
        let asBilling = try world.server.call(call.method, world.fill(call.path), key: billing, body: call.body.map(world.fill))
        #expect(asBilling.status == (call.method == "GET" ? 200 : 403), "\(asBilling.json)")
        // The transfer names dealer A, who owns the registration already: the admin gets 409 there, not a refusal.
        let body = call.name == "transfer registration" ? call.body?.replacingOccurrences(of: "{dealer}", with: world.b.id) : call.body
        let asAdmin = try world.server.admin(call.method, world.fill(call.path), body.map(world.fill))
        if let expected = call.adminStatus { #expect(asAdmin.status == expected) } else { #expect((200..<300).contains(asAdmin.status), "\(asAdmin.json)") }
    }

    @Test(arguments: calls)
    func noKeyGets401(_ call: Call) throws {
        let world = try IPFTestWorld()
        let reply = try world.server.call(call.method, world.fill(call.path), key: nil, body: call.body.map(world.fill))
        #expect(reply.status == 401)
    }

    @Test func listsNeverShowAnotherDealersRows() throws {
        let world = try IPFTestWorld()
        _ = try IPFTestWorld.technician(world.server, key: world.b.key, line: "imageprograf")
        for path in ["/v1/ipf/technicians", "/v1/ipf/registrations", "/v1/ipf/technicians?dealer_id=\(world.a.id)",
                     "/v1/ipf/registrations?dealer_id=\(world.a.id)", "/v1/ipf/claims", "/v1/ipf/claims?dealer_id=\(world.a.id)",
                     "/v1/ipf/orders", "/v1/ipf/support-cases"] {
            let asB = try world.server.call("GET", path, key: world.b.key)
            #expect(asB.status == 200)
            #expect(asB.items.allSatisfy { ($0["dealer_id"] as? String) == world.b.id }, "\(path): \(asB.items)")
        }
        let all = try world.server.admin("GET", "/v1/ipf/technicians")
        #expect(Set(all.items.compactMap { $0["dealer_id"] as? String }) == [world.a.id, world.b.id])
    }
}
