import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Technicians, authorisation, ASCR registrations, eCarePaks and coverage over HTTP.
@Suite(.serialized) struct IPFRegistrationAPITests {
    @Test func badRegistrationsListEveryFieldAndStoreNothing() throws {
        let world = try IPFTestWorld()
        let before = try world.auditCount()
        let reply = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: """
            {"serial": "BAD#1", "model": "imagePROGRAF TM-999", "installed_on": "\(IPFTestWorld.daysFromToday(5))", "support_model": "reseller",
             "end_customer": {"name": "X", "address": "Y", "country": "Norway"}, "colour": "red"}
            """)
        #expect(reply.status == 422)
        #expect(Set(reply.errors.keys) == ["serial", "model", "installed_on", "support_model", "end_customer.country", "colour"], "\(reply.errors)")
        #expect(reply.errors["model"]?.contains("unknown model imagePROGRAF TM-999") == true)
        #expect(reply.errors["installed_on"]?.contains("after today") == true)
        #expect(try world.auditCount() == before)
        #expect(try world.server.admin("GET", "/v1/ipf/registrations").items.count == 2)  // the world's two
    }

    @Test func onlyAnAuthorisedDealerRegistersAndEachSerialOnce() throws {
        let world = try IPFTestWorld()
        // Dealer B has no certified technician: pending for every line.
        let refused = try world.server.call("POST", "/v1/ipf/registrations", key: world.b.key, body: IPFTestWorld.registrationBody(serial: "B100"))
        #expect(refused.status == 422)
        #expect(refused.errors["model"]?.contains("not authorised for imageprograf-tm") == true, "\(refused.errors)")
        #expect(refused.errors["model"]?.contains("pending") == true)
        // A is certified for the TM-series only; a Colortrac L36ei is on another line.
        let otherLine = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key,
                                              body: IPFTestWorld.registrationBody(serial: "A200", model: "Colortrac L36ei"))
        #expect(otherLine.status == 422)
        // The same serial in another spelling is the same device.
        let again = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: IPFTestWorld.registrationBody(serial: " ipfa0001"))
        #expect(again.status == 409, "\(again.json)")
        let shown = try world.server.call("GET", "/v1/ipf/registrations/ipfa0001", key: world.a.key)
        #expect(shown.status == 200)
        #expect(shown["product_line"] as? String == "imageprograf-tm")
        #expect(shown.header("ETag") == "\"1\"")
    }

    @Test func coverageOnTheLastWarrantyDayAndTheDayAfterThenAnECarePakInTimeAndOneADayLate() throws {
        let world = try IPFTestWorld()
        // Installed 2025-03-15, 12 months' warranty: through 2026-03-14.
        let last = try world.server.call("GET", "/v1/ipf/registrations/\(world.serialA)/coverage?on=2026-03-14", key: world.a.key)
        #expect(last["coverage"] as? String == "warranty")
        #expect((last["period"] as? [String: Any])?["through"] as? String == "2026-03-14")
        let after = try world.server.call("GET", "/v1/ipf/registrations/\(world.serialA)/coverage?on=2026-03-15", key: world.a.key)
        #expect(after["coverage"] as? String == "none")
        #expect(after["period"] is NSNull)
        // Bought the day after the warranty ended: refused with the date it had to be bought by; nothing stored.
        let before = try world.auditCount()
        let late = try world.server.call("POST", "/v1/ipf/registrations/\(world.serialA)/ecarepaks", key: world.a.key,
                                         body: #"{"term_months": 12, "purchased_on": "2026-03-15"}"#)
        #expect(late.status == 422)
        #expect(late.errors["purchased_on"]?.contains("had to be bought by 2026-03-14") == true, "\(late.errors)")
        #expect(try world.auditCount() == before)
        // Bought on the last day: 2026-03-15 through 2027-03-14; a second, 24 months, follows on from 2027-03-15.
        let inTime = try world.server.call("POST", "/v1/ipf/registrations/\(world.serialA)/ecarepaks", key: world.a.key,
                                           body: #"{"term_months": 12, "purchased_on": "2026-03-14"}"#)
        #expect(inTime.status == 201, "\(inTime.json)")
        #expect((inTime["ecarepak"] as? [String: Any])?["from"] as? String == "2026-03-15")
        #expect((inTime["ecarepak"] as? [String: Any])?["through"] as? String == "2027-03-14")
        let covered = try world.server.call("GET", "/v1/ipf/registrations/\(world.serialA)/coverage?on=2026-03-15", key: world.a.key)
        #expect(covered["coverage"] as? String == "ecarepak")
        let second = try world.server.call("POST", "/v1/ipf/registrations/\(world.serialA)/ecarepaks", key: world.a.key,
                                           body: #"{"term_months": 24, "purchased_on": "2026-06-01"}"#)
        #expect((second["ecarepak"] as? [String: Any])?["through"] as? String == "2029-03-14", "\(second.json)")
        let odd = try world.server.call("POST", "/v1/ipf/registrations/\(world.serialA)/ecarepaks", key: world.a.key, body: #"{"term_months": 18}"#)
        #expect(odd.errors["term_months"] == "must be one of 12, 24, 36")
    }

    @Test func authorisationLapsesTheDayACertificationExpiresAndAdminsSuspend() throws {
        let world = try IPFTestWorld()
        // B's technician certified for imagePROGRAF on 2024-06-01, valid 24 months: expires 2026-06-01.
        _ = try IPFTestWorld.technician(world.server, key: world.b.key, line: "imageprograf", certifiedOn: "2024-06-01")
        func status(_ on: String) throws -> (String?, [String]) {
            let reply = try world.server.call("GET", "/v1/ipf/dealers/\(world.b.id)/authorisation?on=\(on)", key: world.b.key)
            let line = (reply["lines"] as? [[String: Any]])?.first { $0["product_line"] as? String == "imageprograf" }
            return (line?["status"] as? String, line?["unmet"] as? [String] ?? [])
        }
        #expect(try status("2024-05-31").0 == "pending")
        #expect(try status("2026-05-31") == ("authorised", []))
        let lapsed = try status("2026-06-01")
        #expect(lapsed.0 == "lapsed")
        #expect(lapsed.1.first?.contains("needs 1 technician") == true)
        let report = try world.server.call("GET", "/v1/ipf/dealers/\(world.b.id)/authorisation?on=2026-12-31", key: world.b.key)
        let history = (report["history"] as? [[String: Any]] ?? []).filter { $0["product_line"] as? String == "imageprograf" }
        #expect(history.map { "\($0["on"]!) \($0["status"]!)" } == ["2024-06-01 authorised", "2026-06-01 lapsed"])
        // A dealer may not suspend; an admin suspends A's TM line and registrations stop until reinstated.
        let body = #"{"kind": "suspend", "product_line": "imageprograf-tm", "reason": "customer complaints"}"#
        #expect(try world.server.call("POST", "/v1/ipf/dealers/\(world.a.id)/authorisation/actions", key: world.a.key, body: body).status == 403)
        #expect(try world.server.admin("POST", "/v1/ipf/dealers/\(world.a.id)/authorisation/actions", body).status == 201)
        let refused = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: IPFTestWorld.registrationBody(serial: "A300"))
        #expect(refused.errors["model"]?.contains("suspended") == true, "\(refused.errors)")
        #expect(try world.server.admin("POST", "/v1/ipf/dealers/\(world.a.id)/authorisation/actions",
                                       #"{"kind": "reinstate", "reason": "resolved"}"#).status == 201)
        #expect(try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: IPFTestWorld.registrationBody(serial: "A300")).status == 201)
        let actions = try world.server.call("GET", "/v1/ipf/dealers/\(world.a.id)/authorisation", key: world.a.key)["actions"] as? [[String: Any]]
        #expect(actions?.map { $0["reason"] as? String } == ["customer complaints", "resolved"])
    }

    @Test func technicianInputsAreCheckedAndUnknownTechniciansAreNotFound() throws {
        let world = try IPFTestWorld()
        let bad = try world.server.call("POST", "/v1/ipf/technicians", key: world.a.key, body: """
            {"name": "", "certifications": [{"product_line": "plotters", "certified_on": "\(IPFTestWorld.daysFromToday(3))"}]}
            """)
        #expect(Set(bad.errors.keys) == ["name", "certifications[0].product_line", "certifications[0].certified_on"], "\(bad.errors)")
        let missing = try world.server.call("POST", "/v1/ipf/technicians/tec_missing/certifications", key: world.a.key,
                                            body: #"{"product_line": "imageprograf", "certified_on": "2026-01-05"}"#)
        #expect(missing.status == 404)
        let renewed = try world.server.call("POST", "/v1/ipf/technicians/\(world.technicianA)/certifications", key: world.a.key,
                                            body: #"{"product_line": "colortrac-z36", "certified_on": "2026-01-05"}"#)
        let certifications = renewed["certifications"] as? [[String: Any]]
        #expect(certifications?.contains { $0["product_line"] as? String == "colortrac-z36" && $0["expires_on"] as? String == "2028-01-05" } == true)
    }

    /// A dealer key's creations are its own dealer's; an admin key must say
    /// whose, and is told so (the document cannot tie a field to a role).
    @Test func dealerIDIsRequiredOfAdminKeysOnlyAndSaysSo() throws {
        let world = try IPFTestWorld()
        let body = #"{"name": "Kari", "certifications": []}"#
        let admin = try world.server.admin("POST", "/v1/ipf/technicians", body)
        #expect(admin.status == 422)
        #expect(admin.errors == ["dealer_id": "is required with an admin key"], "\(admin.errors)")
        let null = try world.server.admin("POST", "/v1/ipf/technicians", #"{"name": "Kari", "certifications": [], "dealer_id": null}"#)
        #expect(null.errors == ["dealer_id": "is required with an admin key"], "\(null.errors)")
        let own = try world.server.call("POST", "/v1/ipf/technicians", key: world.a.key, body: body)
        #expect(own.status == 201)
        #expect(own["dealer_id"] as? String == world.a.id)
        let named = try world.server.admin("POST", "/v1/ipf/technicians", #"{"name": "Kari", "certifications": [], "dealer_id": "\#(world.b.id)"}"#)
        #expect(named.status == 201)
        #expect(named["dealer_id"] as? String == world.b.id)
    }

    @Test func adminsTransferARegistrationWithHistory() throws {
        let world = try IPFTestWorld()
        let moved = try world.server.admin("POST", "/v1/ipf/registrations/\(world.serialA)/transfer",
                                           #"{"dealer_id": "\#(world.b.id)", "reason": "customer moved dealer"}"#)
        #expect(moved.status == 200)
        #expect(moved["dealer_id"] as? String == world.b.id)
        #expect(try world.server.call("GET", "/v1/ipf/registrations/\(world.serialA)", key: world.a.key).status == 404)
        let seen = try world.server.call("GET", "/v1/ipf/registrations/\(world.serialA)", key: world.b.key)
        let transfers = seen["transfers"] as? [[String: Any]]
        #expect(transfers?.first?["from_dealer_id"] as? String == world.a.id)
        #expect(transfers?.first?["reason"] as? String == "customer moved dealer")
        let unknown = try world.server.admin("POST", "/v1/ipf/registrations/\(world.serialA)/transfer", #"{"dealer_id": "dlr_x", "reason": "r"}"#)
        #expect(unknown.status == 404)
        #expect(unknown["detail"] as? String == "dealer dlr_x not found")
    }

    @Test func registrationsAreIdempotentUnderTheirKey() throws {
        let world = try IPFTestWorld()
        let body = IPFTestWorld.registrationBody(serial: "A400")
        let first = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: body, headers: ["Idempotency-Key: reg-a400"])
        let second = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: body, headers: ["Idempotency-Key: reg-a400"])
        #expect(first.status == 201 && second.status == 201)
        #expect(second.header("Idempotent-Replayed") == "true")
        let audit = try world.server.admin("GET", "/v1/audit?limit=500").items.filter { $0["resource_id"] as? String == "A400" }
        #expect(audit.count == 1)
    }

    @Test func unknownQueryParametersAreRefusedOnTheProgrammesLists() throws {
        let world = try IPFTestWorld()
        for path in ["/v1/ipf/registrations?supportmodel=dealer", "/v1/ipf/claims/statement?month=2026-11&dealer=x",
                     "/v1/ipf/registrations/\(world.serialA)/coverage?date=2026-01-01"] {
            let reply = try world.server.call("GET", path, key: world.a.key)
            #expect(reply.status == 422, "\(path)")
        }
    }

    @Test func aStaleEditIsRefusedAndAFreshOneChangesTheSupportModel() throws {
        let world = try IPFTestWorld()
        let path = "/v1/ipf/registrations/\(world.serialA)"
        let stale = try world.server.call("PATCH", path, key: world.a.key, body: #"{"support_model": "manufacturer"}"#, headers: ["If-Match: \"7\""])
        #expect(stale.status == 412)
        let fresh = try world.server.call("PATCH", path, key: world.a.key, body: """
            {"support_model": "manufacturer", "end_customer": {"name": "Fjord Arkitekter AS", "address": "Kaien 2, 5003 Bergen", "country": "NO"}}
            """, headers: ["If-Match: \"1\""])
        #expect(fresh.status == 200, "\(fresh.json)")
        #expect(fresh["support_model"] as? String == "manufacturer")
        #expect(fresh.header("ETag") == "\"2\"")
        let empty = try world.server.call("PATCH", path, key: world.a.key, body: "{}")
        #expect(empty.errors["body"] != nil)
        let bad = try world.server.call("PATCH", path, key: world.a.key, body: #"{"support_model": "self", "end_customer": {"country": "xx"}}"#)
        #expect(Set(bad.errors.keys) == ["support_model", "end_customer.name", "end_customer.address", "end_customer.country"], "\(bad.errors)")
    }
}
