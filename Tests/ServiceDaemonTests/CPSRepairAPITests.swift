import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Repairs over HTTP: target dates worked out by hand on the centre's calendar,
/// the three-in-service limit, bad inputs, tenancy of partner centres.
@Suite(.serialized) struct CPSRepairAPITests {
    final class World {
        let server: APITestServer
        let dealerA: String
        let keyA: String
        let keyB: String
        let partner: String

        init(_ given: APITestServer? = nil) throws {
            server = try given ?? APITestServer()
            dealerA = try server.admin("POST", "/v1/dealers", #"{"name": "Nordic Foto Service"}"#)["id"] as! String
            keyA = try server.admin("POST", "/v1/dealers/\(dealerA)/api-keys")["key"] as! String
            let dealerB = try server.admin("POST", "/v1/dealers", #"{"name": "Other workshop"}"#)["id"] as! String
            keyB = try server.admin("POST", "/v1/dealers/\(dealerB)/api-keys")["key"] as! String
            let centre = try server.admin("POST", "/v1/cps/service-centres", #"{"name": "Nordic Foto Oslo", "country": "NO", "dealer_id": "\#(dealerA)"}"#)
            precondition(centre.status == 201, "\(centre.json)")
            partner = centre["id"] as! String
        }

        /// A member whose products were registered in full on 2026-01-05; returns its membership number.
        func member(_ email: String, products: [String]) throws -> (id: String, number: String) {
            let id = try server.cpsMember("Member", email: email)
            try server.application.database.write { connection in
                for (index, product) in products.enumerated() {
                    let day = LocalDate("2026-01-05")!
                    try CPSRegistrationStore.insert(connection, Registration(
                        id: "reg_\(email.prefix(3))\(index)", memberID: id, productID: product,
                        details: .init(serial: "\(email.prefix(3).uppercased())\(1000 + index)", countryOfPurchase: "NO", purchasedOn: day, store: "Foto"),
                        addedOn: day, startReason: .registered, completedOn: day))
                }
            }
            return (id, try server.admin("GET", "/v1/cps/members/\(id)")["membership_number"] as! String)
        }

        func repair(_ key: String, number: String, product: String, centre: String, received: String, service: String = "repair") throws -> APITestServer.Reply {
            try server.call("POST", "/v1/cps/repairs", key: key, body: """
                {"membership_number": "\(number)", "product": "\(product)", "service_centre_id": "\(centre)", "service": "\(service)",
                 "received_at": "\(received)", "chargeable": false}
                """)
        }
    }

    // RF 400, 600, 800 (150 each), 10 x EOS R1 (100 each) and EOS R3 (90): 1 540 points, Platinum
    static let platinumKit = ["rf-400mm-f2-8l-is-usm", "rf-600mm-f4l-is-usm", "rf-800mm-f5-6l-is-usm", "eos-r3"] + Array(repeating: "eos-r1", count: 10)
    // 5 x EOS R1 = 500 points, Gold
    static let goldKit = Array(repeating: "eos-r1", count: 5)

    @Test func platinumReceivedFridayAfterClosingAtAPSC() throws {
        let world = try World()
        let member = try world.member("pla@example.com", products: Self.platinumKit)
        // Friday 2026-03-06 18:00 Johannesburg (16:00Z), after 17:00: Monday 9th + 2 working days = Wednesday 11th
        let reply = try world.repair(world.server.adminKey, number: member.number, product: "PLA1000", centre: "psc-za-johannesburg",
                                     received: "2026-03-06T16:00:00Z")
        #expect(reply.status == 201, "\(reply.json)")
        #expect(reply["level"] as? String == "platinum" && reply["points"] as? Int == 1540)
        #expect(reply["fast_track"] as? Bool == true && reply["turnaround_working_days"] as? Int == 2)
        #expect(reply["starts_on"] as? String == "2026-03-09" && reply["target_completion_on"] as? String == "2026-03-11")
    }

    @Test func goldOverNorwegianEasterAtThePartnerAndItsTenancy() throws {
        let world = try World()
        let member = try world.member("gol@example.com", products: Self.goldKit)
        // Tuesday 2026-03-31 10:00 Oslo; 2, 3 and 6 April closed: Wed 1, Tue 7, Wed 8
        let reply = try world.repair(world.keyA, number: member.number, product: "reg_gol0", centre: world.partner, received: "2026-03-31T08:00:00Z")
        #expect(reply.status == 201, "\(reply.json)")
        #expect(reply["level"] as? String == "gold" && reply["target_completion_on"] as? String == "2026-04-08")
        let id = reply["id"] as! String
        // another dealer: neither the repair nor the centre exist for it
        #expect(try world.server.call("GET", "/v1/cps/repairs/\(id)", key: world.keyB).status == 404)
        #expect(try world.repair(world.keyB, number: member.number, product: "reg_gol1", centre: world.partner, received: "2026-03-31T08:00:00Z").status == 404)
        // the partner cannot act for a PSC
        #expect(try world.repair(world.keyA, number: member.number, product: "reg_gol1", centre: "psc-za-johannesburg", received: "2026-03-31T08:00:00Z").status == 404)
        // late completion: Gold gets a backup loan
        let done = try world.server.call("POST", "/v1/cps/repairs/\(id)/events", key: world.keyA, body: #"{"type": "completed", "at": "2026-04-09T10:00:00Z"}"#)
        #expect(done["state"] as? String == "completed" && done["backup_loan_entitled"] as? Bool == true)
        #expect(try world.server.call("POST", "/v1/cps/repairs/\(id)/events", key: world.keyA, body: #"{"type": "diagnosed"}"#).status == 409)
        let lent = try world.server.call("POST", "/v1/cps/repairs/\(id)/loan", key: world.keyA, body: #"{"product": "EOS R5 loan body", "lent_on": "2026-04-09"}"#)
        #expect(lent.status == 201 && (lent["loan"] as? [String: Any])?["product"] as? String == "EOS R5 loan body")
        #expect(try world.server.call("POST", "/v1/cps/repairs/\(id)/loan", key: world.keyA, body: #"{"product": "another"}"#).status == 409)
        #expect(try world.server.call("POST", "/v1/cps/repairs/\(id)/loan/return", key: world.keyA, body: #"{"returned_on": "2026-04-10"}"#).status == 200)
        // the report: one Gold repair at the partner, late; started Tue 31 March, completed Thu 9 April:
        // working days Wed 1, Tue 7, Wed 8, Thu 9 = 4
        let report = try world.server.call("GET", "/v1/cps/reports/turnaround?from=2026-01-01&to=2026-12-31", key: world.keyA)
        let row = try #require(report.items.first)
        #expect(report.items.count == 1 && row["service_centre_id"] as? String == world.partner && row["level"] as? String == "gold")
        #expect(row["completed"] as? Int == 1 && row["late"] as? Int == 1 && row["on_target"] as? Int == 0)
        #expect(row["median_working_days"] as? Double == 4 && row["loans_entitled"] as? Int == 1 && row["loans_lent"] as? Int == 1)
        #expect(try world.server.call("GET", "/v1/cps/reports/turnaround?from=2026-01-01&to=2026-12-31", key: world.keyB).items.isEmpty)
        let csv = try HTTPTestSupportClient.make(world.server).request("GET", "/v1/cps/reports/turnaround?from=2026-01-01&to=2026-12-31",
                                                                       headers: ["Authorization: Bearer \(world.server.adminKey)", "Accept: text/csv"])
        #expect(String(decoding: csv.body, as: UTF8.self) == "service_centre_id,level,completed,on_target,late,median_working_days,loans_entitled,loans_lent\r\n"
                + "\(world.partner),gold,1,0,1,4.0,1,1\r\n")
        // maintenance at the partner: the standard 10
        let maintenance = try world.repair(world.keyA, number: member.number, product: "reg_gol2", centre: world.partner,
                                           received: "2026-06-01T07:00:00Z", service: "maintenance")
        #expect(maintenance["turnaround_working_days"] as? Int == 10 && maintenance["target_completion_on"] as? String == "2026-06-15")
    }

    @Test func theFourthRepairWhileThreeAreOpenGetsTheStandard() throws {
        let world = try World()
        let member = try world.member("fou@example.com", products: Self.platinumKit)
        var ids: [String] = []
        for index in 0..<3 {
            let reply = try world.repair(world.server.adminKey, number: member.number, product: "reg_fou\(index)", centre: "psc-za-johannesburg",
                                         received: "2026-03-02T07:00:00Z")
            #expect(reply["fast_track"] as? Bool == true)
            ids.append(reply["id"] as! String)
        }
        let fourth = try world.repair(world.server.adminKey, number: member.number, product: "reg_fou3", centre: "psc-za-johannesburg",
                                      received: "2026-03-02T07:00:00Z")
        #expect(fourth["fast_track"] as? Bool == false && fourth["turnaround_working_days"] as? Int == 10)
        #expect((fourth["reasons"] as? [String])?.contains { $0.contains("already in servicing") } == true)
        // the same product again while its repair is open: refused, nothing stored
        let again = try world.repair(world.server.adminKey, number: member.number, product: "reg_fou0", centre: "psc-za-johannesburg",
                                     received: "2026-03-02T08:00:00Z")
        #expect(again.status == 409)
        #expect(try world.server.admin("POST", "/v1/cps/repairs/\(ids[0])/events", #"{"type": "completed", "at": "2026-03-03T10:00:00Z"}"#).status == 200)
        let next = try world.repair(world.server.adminKey, number: member.number, product: "reg_fou4", centre: "psc-za-johannesburg",
                                    received: "2026-03-03T07:00:00Z")
        // Tuesday 3 March + 2 working days = Thursday 5th
        #expect(next["fast_track"] as? Bool == true && next["target_completion_on"] as? String == "2026-03-05")
    }

    @Test func repairsElsewhereCountTowardTheLimitWithoutBeingShownToThePartner() throws {
        let world = try World()
        let member = try world.member("els@example.com", products: Self.platinumKit)
        var elsewhere: [String] = []
        for index in 0..<3 {
            let reply = try world.repair(world.server.adminKey, number: member.number, product: "reg_els\(index)", centre: "psc-za-johannesburg",
                                         received: "2026-03-02T07:00:00Z")
            #expect(reply["fast_track"] as? Bool == true)
            elsewhere.append(reply["id"] as! String)
        }
        // the partner's fourth: three already open at the PSC, so the standard 10
        let fourth = try world.repair(world.keyA, number: member.number, product: "reg_els3", centre: world.partner, received: "2026-03-02T07:00:00Z")
        #expect(fourth.status == 201 && fourth["fast_track"] as? Bool == false && fourth["turnaround_working_days"] as? Int == 10)
        #expect((fourth["reasons"] as? [String])?.contains { $0.contains("already in servicing") } == true)
        for id in elsewhere { #expect(try world.server.call("GET", "/v1/cps/repairs/\(id)", key: world.keyA).status == 404) }
        let report = try world.server.call("GET", "/v1/cps/reports/turnaround?from=2026-01-01&to=2026-12-31", key: world.keyA)
        #expect(report.status == 200 && report.items.isEmpty)
    }

    @Test func badInputsAreNamedAndStoreNothing() throws {
        let world = try World()
        let member = try world.member("bad@example.com", products: Self.goldKit)
        let before = try world.server.admin("GET", "/v1/audit?limit=500").items.count
        let unknown = try world.repair(world.server.adminKey, number: "CPS0000000000", product: "reg_bad0", centre: "psc-za-johannesburg",
                                       received: "2026-03-02T07:00:00Z")
        #expect(unknown.status == 404 && (unknown["detail"] as? String)?.contains("CPS0000000000") == true)
        let notHers = try world.repair(world.server.adminKey, number: member.number, product: "ZZZZ9999", centre: "psc-za-johannesburg",
                                       received: "2026-03-02T07:00:00Z")
        #expect(notHers.status == 422 && notHers.errors["product"] != nil)
        let future = try world.repair(world.server.adminKey, number: member.number, product: "reg_bad0", centre: "psc-za-johannesburg",
                                      received: "2099-03-02T07:00:00Z")
        #expect(future.status == 422 && future.errors["received_at"] != nil)
        // before the product was registered it was not in the Kitbag
        let early = try world.repair(world.server.adminKey, number: member.number, product: "reg_bad0", centre: "psc-za-johannesburg",
                                     received: "2025-12-01T07:00:00Z")
        #expect(early.status == 422 && early.errors["product"] != nil)
        #expect(try world.server.admin("GET", "/v1/audit?limit=500").items.count == before)
    }

    @Test func anOpenRepairPastItsTargetIsEntitledAndACancelledOneIsNot() throws {
        let world = try World()
        let member = try world.member("ope@example.com", products: Self.goldKit)
        // Monday 2026-03-02 09:00 Johannesburg, Gold 3 days: Thursday 5 March, long past today and still open
        let open = try world.repair(world.server.adminKey, number: member.number, product: "reg_ope0", centre: "psc-za-johannesburg",
                                    received: "2026-03-02T07:00:00Z")
        #expect(open["target_completion_on"] as? String == "2026-03-05")
        let openID = open["id"] as! String
        #expect(try world.server.admin("GET", "/v1/cps/repairs/\(openID)")["backup_loan_entitled"] as? Bool == true)
        let cancelled = try world.repair(world.server.adminKey, number: member.number, product: "reg_ope1", centre: "psc-za-johannesburg",
                                         received: "2026-03-02T07:00:00Z")["id"] as! String
        let cancel = try world.server.admin("POST", "/v1/cps/repairs/\(cancelled)/events", #"{"type": "cancelled", "at": "2026-03-03T10:00:00Z"}"#)
        #expect(cancel["state"] as? String == "cancelled" && cancel["backup_loan_entitled"] as? Bool == false)
        #expect(try world.server.admin("POST", "/v1/cps/repairs/\(cancelled)/loan", #"{"product": "body", "lent_on": "2026-03-06"}"#).status == 409)
        // received on 2 March: a loan cannot go out the day before
        let early = try world.server.admin("POST", "/v1/cps/repairs/\(openID)/loan", #"{"product": "body", "lent_on": "2026-03-01"}"#)
        #expect(early.status == 422 && early.errors["lent_on"] != nil)
        #expect(try world.server.admin("POST", "/v1/cps/repairs/\(openID)/loan", #"{"product": "body", "lent_on": "2026-03-06"}"#).status == 201)
    }

    @Test func aLateSilverRepairGetsNoLoan() throws {
        let world = try World()
        // EOS R1 100 points: Silver
        let member = try world.member("sil@example.com", products: ["eos-r1"])
        // Monday 2026-05-11 09:00 Oslo at the partner: Silver 5 days over Ascension Day, Tuesday 19 May
        let reply = try world.repair(world.keyA, number: member.number, product: "SIL1000", centre: world.partner, received: "2026-05-11T07:00:00Z")
        #expect(reply["level"] as? String == "silver" && reply["target_completion_on"] as? String == "2026-05-19")
        let id = reply["id"] as! String
        let done = try world.server.call("POST", "/v1/cps/repairs/\(id)/events", key: world.keyA, body: #"{"type": "completed", "at": "2026-05-22T10:00:00Z"}"#)
        #expect(done["backup_loan_entitled"] as? Bool == false)
        #expect(try world.server.call("POST", "/v1/cps/repairs/\(id)/loan", key: world.keyA, body: #"{"product": "body"}"#).status == 409)
    }
}
