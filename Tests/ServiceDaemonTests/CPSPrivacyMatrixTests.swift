import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Personal data as a matrix: every CPS endpoint with an admin, a billing and
/// a dealer key and none. Only admins see contact details and addresses; a
/// dealer may only look a member up by number and sees number, level,
/// programme and which products are Fast Track eligible.
@Suite(.serialized) struct CPSPrivacyMatrixTests {
    struct Call: CustomTestStringConvertible, Sendable {
        let method: String
        let path: String
        let body: String?
        let admin: Int
        let billing: Int
        let dealer: Int
        var testDescription: String { "\(method) \(path)" }
    }

    static let calls: [Call] = [
        Call(method: "GET", path: "/v1/cps/products", body: nil, admin: 200, billing: 200, dealer: 200),
        Call(method: "GET", path: "/v1/cps/products/eos-r1", body: nil, admin: 200, billing: 200, dealer: 200),
        Call(method: "POST", path: "/v1/cps/members", body: #"{"name": "PII-New", "email": "new@pii.example", "country": "NO", "programme": "free"}"#,
             admin: 201, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/members/{member}", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "PATCH", path: "/v1/cps/members/{member}", body: #"{"name": "PII-Renamed"}"#, admin: 200, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/members?email=ada@pii.example", body: nil, admin: 200, billing: 200, dealer: 422),
        Call(method: "GET", path: "/v1/cps/members?membership_number={number}", body: nil, admin: 200, billing: 200, dealer: 200),
        Call(method: "GET", path: "/v1/cps/members/{member}/points-history", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "POST", path: "/v1/cps/members/{member}/products", body: #"{"product_id": "eos-r3", "serial": "PX0009"}"#,
             admin: 201, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/members/{member}/products", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "GET", path: "/v1/cps/members/{member}/products/{registration}", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "PATCH", path: "/v1/cps/members/{member}/products/{registration}", body: #"{"store": "Other store"}"#,
             admin: 200, billing: 403, dealer: 403),
        Call(method: "DELETE", path: "/v1/cps/members/{member}/products/{registration}", body: nil, admin: 204, billing: 403, dealer: 403),
        Call(method: "POST", path: "/v1/cps/members/{member}/products/{registration}/transfer", body: #"{"to_member_id": "{business}"}"#,
             admin: 201, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/members/{business}/subscription-options", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "POST", path: "/v1/cps/members/{business}/subscription", body: #"{"level": "silver", "payment_method": "card"}"#,
             admin: 201, billing: 403, dealer: 403),
        Call(method: "POST", path: "/v1/cps/members/{enrolled}/subscription/renewal", body: "{}", admin: 201, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/invoices", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "GET", path: "/v1/cps/invoices/{invoice}", body: nil, admin: 200, billing: 200, dealer: 403),
        Call(method: "POST", path: "/v1/cps/invoices/{invoice}/payments", body: #"{"amount_minor": 9900, "currency": "EUR"}"#,
             admin: 201, billing: 201, dealer: 403),
        Call(method: "POST", path: "/v1/cps/members/{member}/welcome-pack",
             body: #"{"address": {"recipient": "PII-Ada", "line1": "PII-Street 7", "postal_code": "0155", "city": "Oslo", "country": "NO"}}"#,
             admin: 201, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/welcome-packs", body: nil, admin: 200, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/welcome-packs/{pack}", body: nil, admin: 200, billing: 403, dealer: 403),
        Call(method: "POST", path: "/v1/cps/welcome-packs/{pack}/sent", body: "{}", admin: 200, billing: 403, dealer: 403),
        Call(method: "GET", path: "/v1/cps/service-centres", body: nil, admin: 200, billing: 200, dealer: 200),
        Call(method: "POST", path: "/v1/cps/service-centres", body: #"{"name": "Workshop", "country": "NO", "dealer_id": "{dealer}"}"#,
             admin: 201, billing: 403, dealer: 403),
        Call(method: "POST", path: "/v1/cps/repairs",
             body: #"{"membership_number": "{number}", "product": "PX0001", "service_centre_id": "psc-za-johannesburg", "service": "repair", "received_at": "{now}", "chargeable": true}"#,
             admin: 201, billing: 403, dealer: 404),
        Call(method: "GET", path: "/v1/cps/repairs/{repair}", body: nil, admin: 200, billing: 403, dealer: 404),
        Call(method: "POST", path: "/v1/cps/repairs/{repair}/events", body: #"{"type": "diagnosed"}"#, admin: 200, billing: 403, dealer: 404),
        Call(method: "POST", path: "/v1/cps/repairs/{repair}/loan", body: #"{"product": "loan body"}"#, admin: 409, billing: 403, dealer: 404),
        Call(method: "POST", path: "/v1/cps/repairs/{repair}/loan/return", body: "{}", admin: 409, billing: 403, dealer: 404),
        Call(method: "GET", path: "/v1/cps/reports/turnaround?from=2026-01-01&to=2026-12-31", body: nil, admin: 200, billing: 200, dealer: 200),
        Call(method: "POST", path: "/v1/cps/members/{business}/migrate", body: #"{"from_email": "old@pii.example"}"#,
             admin: 200, billing: 403, dealer: 403),
    ]

    final class World {
        let server: APITestServer
        let keys: [String: String?]
        var values: [String: String] = [:]

        init() throws {
            server = try APITestServer()
            let dealer = try server.admin("POST", "/v1/dealers", #"{"name": "Partner workshop"}"#)["id"] as! String
            keys = ["admin": server.adminKey, "billing": try server.key(.billing),
                    "dealer": try server.admin("POST", "/v1/dealers/\(dealer)/api-keys")["key"] as? String, "none": nil]
            let member = try server.cpsMember("PII-Ada", email: "ada@pii.example")
            values["member"] = member
            values["registration"] = try server.register(member, "eos-r1", serial: "PX0001")
            try server.register(member, "speedlite-el-5", serial: "PX0002")
            values["number"] = try server.admin("GET", "/v1/cps/members/\(member)")["membership_number"] as? String
            let other = try server.cpsMember("PII-Bo", email: "bo@pii.example")
            try server.register(other, "rf-400mm-f2-8l-is-usm", serial: "PX0003")
            values["pack"] = try server.admin("POST", "/v1/cps/members/\(other)/welcome-pack",
                                              #"{"address": {"recipient": "PII-Bo", "line1": "PII-Road 1", "postal_code": "5003", "city": "Bergen", "country": "NO"}}"#)["id"] as? String
            let business = try server.cpsMember("PII-Studio", email: "studio@pii.example", programme: "subscription")
            try server.fiveHundredPoints(business, prefix: "PB")
            values["business"] = business
            let enrolled = try server.cpsMember("PII-Enrolled", email: "enrolled@pii.example", programme: "subscription")
            try server.fiveHundredPoints(enrolled, prefix: "PE")
            let enrolment = try server.admin("POST", "/v1/cps/members/\(enrolled)/subscription", #"{"level": "silver", "payment_method": "card"}"#)
            values["enrolled"] = enrolled
            values["invoice"] = (enrolment["invoice"] as? [String: Any])?["id"] as? String
            values["dealer"] = dealer
            values["now"] = RFC3339.format(Date())
            values["repair"] = try server.admin("POST", "/v1/cps/repairs", """
                {"membership_number": "\(values["number"]!)", "product": "PX0002", "service_centre_id": "cec-tr-istanbul", "service": "repair",
                 "received_at": "\(values["now"]!)", "chargeable": false}
                """)["id"] as? String
            let old = try server.cpsMember("PII-Old", email: "old@pii.example")
            try server.register(old, "eos-r3", serial: "PX0004")
        }

        func fill(_ text: String) -> String {
            values.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
    }

    @Test(arguments: calls)
    func eachRoleGetsItsStatusAndOnlyAdminsSeePersonalData(_ call: Call) throws {
        for role in ["none", "dealer", "billing", "admin"] {
            let world = try World()
            let auditBefore = try world.server.admin("GET", "/v1/audit?limit=500").items.count
            let reply = try world.server.call(call.method, world.fill(call.path), key: world.keys[role]!, body: call.body.map(world.fill))
            let expected = ["none": 401, "dealer": call.dealer, "billing": call.billing, "admin": call.admin][role]!
            #expect(reply.status == expected, "\(role): \(reply.json)")
            let text = "\(reply.json)".lowercased()
            if role != "admin" {
                #expect(!text.contains("pii"), "\(role) saw personal data: \(text)")
                #expect(!text.contains("oslo") && !text.contains("bergen"))
            }
            if reply.status >= 400 && call.method != "GET" {
                #expect(try world.server.admin("GET", "/v1/audit?limit=500").items.count == auditBefore, "\(role): a refused write was audited")
            }
        }
    }

    @Test func adminsDoSeeContactDetails() throws {
        let world = try World()
        let member = try world.server.admin("GET", world.fill("/v1/cps/members/{member}"))
        #expect(member["email"] as? String == "ada@pii.example" && member["name"] as? String == "PII-Ada")
        let packs = try world.server.admin("GET", "/v1/cps/welcome-packs")
        #expect("\(packs.json)".contains("PII-Road 1"))
    }

    @Test func aDealerSeesOnlyNumberLevelProgrammeAndFastTrackProducts() throws {
        let world = try World()
        let reply = try world.server.call("GET", world.fill("/v1/cps/members?membership_number={number}"), key: world.keys["dealer"]!)
        let member = try #require(reply.items.first)
        #expect(Set(member.keys) == ["membership_number", "programme", "level", "products"])
        #expect(member["level"] as? String == "silver")
        let products = try #require(member["products"] as? [[String: Any]])
        #expect(products.allSatisfy { Set($0.keys) == ["id", "product_id", "product_name", "serial", "fast_track_eligible"] })
        // EOS R1 is Fast Track eligible; the Speedlite EL-5 is not
        #expect(products.map { "\($0["product_id"]!) \($0["fast_track_eligible"]!)" }.sorted() == ["eos-r1 1", "speedlite-el-5 0"])
        let unknown = try world.server.call("GET", "/v1/cps/members?membership_number=CPS0000000000", key: world.keys["dealer"]!)
        #expect(unknown.status == 200 && unknown.items.isEmpty)
        let billing = try world.server.call("GET", world.fill("/v1/cps/members/{member}"), key: world.keys["billing"]!)
        #expect(billing["email"] == nil && billing["name"] == nil && billing["country"] == nil)
        // EOS R1 100 + Speedlite EL-5 15
        #expect(billing["points"] as? Int == 115)
    }
}
