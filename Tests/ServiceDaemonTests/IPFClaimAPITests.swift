import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Compensation claims over HTTP, with amounts worked by hand from the
/// shipped catalogue: TM-series schedule 30-minute units at 47.50, cap 4
/// units, parts + 10 %; imagePROGRAF schedule 30-minute units at 55.00, cap
/// 6 units, parts + 15 %; claims due within 30 days of the service date.
@Suite(.serialized) struct IPFClaimAPITests {
    static func claimBody(serial: String, serviceDate: String, technician: String, minutes: Int = 135,
                          parts: String = #"[{"part_number": "QM7-1234", "quantity": 2, "unit_cost_minor": 1234}, {"part_number": "QY6-0099", "quantity": 1, "unit_cost_minor": 3337}]"#) -> String {
        """
        {"serial": "\(serial)", "service_date": "\(serviceDate)", "technician_id": "\(technician)", "labour_minutes": \(minutes),
         "parts": \(parts), "description": "Replaced the carriage belt"}
        """
    }

    /// A device of dealer A in warranty today (installed 100 days ago).
    static func coveredDevice(_ world: IPFTestWorld, serial: String, model: String = "imagePROGRAF TM-300") throws {
        let reply = try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key,
                                          body: IPFTestWorld.registrationBody(serial: serial, model: model, installedOn: IPFTestWorld.daysFromToday(-100)))
        precondition(reply.status == 201, "\(reply.json)")
    }

    @Test func aClaimIsApprovedWithTheLabourCapAndThePartsMarkUp() throws {
        let world = try IPFTestWorld()
        try Self.coveredDevice(world, serial: "TM0001")
        let reply = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                          body: Self.claimBody(serial: "tm-0001", serviceDate: IPFTestWorld.daysFromToday(-5), technician: world.technicianA))
        #expect(reply.status == 201, "\(reply.json)")
        #expect(reply["state"] as? String == "approved")
        #expect(reply["reasons"] as? [Any] != nil && (reply["reasons"] as! [Any]).isEmpty)
        // 135 min -> 5 started units, 4 paid x 47.50 = 190.00; parts 2 x 12.34 + 33.37 = 58.05, x 1.10 = 63.855 -> 63.86;
        // 190.00 + 63.86 = 253.86.
        #expect((reply["amount"] as? [String: Any])?["amount_minor"] as? Int == 25_386)
        #expect((reply["amount"] as? [String: Any])?["currency"] as? String == "USD")
        let explanation = reply["explanation"] as? [String: Any]
        #expect(explanation?["labour_units_started"] as? Int == 5)
        #expect(explanation?["labour_units_paid"] as? Int == 4)
        #expect(explanation?["parts_markup_minor"] as? Int == 581)
        #expect(explanation?["schedule"] as? String == "tm-series")
        // The same serial and service date again: 409 naming the claim.
        let again = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                          body: Self.claimBody(serial: "TM0001", serviceDate: IPFTestWorld.daysFromToday(-5), technician: world.technicianA))
        #expect(again.status == 409)
        #expect(again["existing_claim_id"] as? String == reply["id"] as? String)
    }

    @Test(arguments: [("colortrac-z36", "Colortrac Z36", "tm-series", 14_250), ("colortrac-l24ei", "Colortrac L24ei", "imageprograf", 16_500),
                      ("colortrac-l36ei", "Colortrac L36ei", "imageprograf", 16_500)])
    func scannersArePaidOnTheScheduleTheSeedNames(_ line: String, _ model: String, _ schedule: String, _ amount: Int) throws {
        let world = try IPFTestWorld()
        let technician = try IPFTestWorld.technician(world.server, key: world.a.key, line: line)
        try Self.coveredDevice(world, serial: "SCAN1", model: model)
        // 61 minutes -> 3 started units: 3 x 47.50 = 142.50 on the TM-series schedule, 3 x 55.00 = 165.00 on the imagePROGRAF one.
        let reply = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key, body: Self.claimBody(
            serial: "SCAN1", serviceDate: IPFTestWorld.daysFromToday(-1), technician: technician, minutes: 61, parts: "[]"))
        #expect(reply["state"] as? String == "approved", "\(reply.json)")
        #expect((reply["explanation"] as? [String: Any])?["schedule"] as? String == schedule)
        #expect((reply["amount"] as? [String: Any])?["amount_minor"] as? Int == amount)
    }

    @Test func aClaimBreakingFourRulesIsRejectedForAllFour() throws {
        let world = try IPFTestWorld()
        // The dealer has been authorised since 60 days ago through another technician; the claim's
        // technician was certified 30 days ago, after the service date 40 days ago.
        _ = try IPFTestWorld.technician(world.server, key: world.a.key, line: "imageprograf-tm", certifiedOn: IPFTestWorld.daysFromToday(-60))
        #expect(try world.server.call("POST", "/v1/ipf/registrations", key: world.a.key, body: IPFTestWorld.registrationBody(
            serial: "OLD1", installedOn: "2020-01-15", supportModel: "manufacturer")).status == 201)
        let reply = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                          body: Self.claimBody(serial: "OLD1", serviceDate: IPFTestWorld.daysFromToday(-40), technician: world.technicianA))
        #expect(reply.status == 201, "\(reply.json)")
        #expect(reply["state"] as? String == "rejected")
        let codes = (reply["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(codes == ["manufacturer_support_model", "not_covered", "technician_not_certified", "submitted_late"])
        #expect((reply["amount"] as? [String: Any])?["amount_minor"] as? Int == 0)
        // A rejected claim does not block a corrected one for the same day.
        let retry = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                          body: Self.claimBody(serial: "OLD1", serviceDate: IPFTestWorld.daysFromToday(-40), technician: world.technicianA))
        #expect(retry.status == 201)
        // A serial registered to another dealer, or to none, is rejected for that.
        let foreign = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                            body: Self.claimBody(serial: "NOSUCH", serviceDate: IPFTestWorld.daysFromToday(-1), technician: world.technicianA))
        #expect((foreign["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["not_registered_to_dealer"])
    }

    @Test func badClaimsAreRefusedWithEveryFieldAndStoreNothing() throws {
        let world = try IPFTestWorld()
        let before = try world.auditCount()
        let bad = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key, body: """
            {"serial": "\(world.serialA)", "service_date": "\(IPFTestWorld.daysFromToday(2))", "technician_id": "\(world.technicianA)",
             "labour_minutes": -5, "parts": [{"part_number": "P1", "quantity": -2, "unit_cost_minor": 100}, {"part_number": "P2", "quantity": 1}],
             "description": "x"}
            """)
        #expect(bad.status == 422)
        #expect(Set(bad.errors.keys) == ["service_date", "labour_minutes", "parts[0].quantity", "parts[1].unit_cost_minor"], "\(bad.errors)")
        #expect(bad.errors["parts[0].quantity"] == "must be between 1 and 10000")
        let unknown = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                            body: Self.claimBody(serial: world.serialA, serviceDate: "2026-01-05", technician: "tec_nobody"))
        #expect(unknown.status == 422)
        #expect(unknown.errors["technician_id"]?.contains("unknown technician tec_nobody") == true)
        // Another dealer's technician is as unknown as a missing one.
        let other = try IPFTestWorld.technician(world.server, key: world.b.key, line: "imageprograf-tm")
        let foreign = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                            body: Self.claimBody(serial: world.serialA, serviceDate: "2026-01-05", technician: other))
        #expect(foreign.errors["technician_id"] != nil)
        #expect(try world.auditCount() == before + 1)  // B's technician only
        #expect(try world.server.admin("GET", "/v1/ipf/claims").items.count == 1)  // the world's own
    }

    @Test func paymentAndTheMonthlyStatementInJSONAndCSV() throws {
        let world = try IPFTestWorld()
        try Self.coveredDevice(world, serial: "TM0001")
        let z36 = try IPFTestWorld.technician(world.server, key: world.a.key, line: "colortrac-z36")
        try Self.coveredDevice(world, serial: "Z36001", model: "Colortrac Z36")
        let first = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                          body: Self.claimBody(serial: "TM0001", serviceDate: IPFTestWorld.daysFromToday(-2), technician: world.technicianA))
        _ = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                  body: Self.claimBody(serial: "Z36001", serviceDate: IPFTestWorld.daysFromToday(-2), technician: z36, minutes: 61, parts: "[]"))
        let rejected = try world.server.call("POST", "/v1/ipf/claims", key: world.a.key,
                                             body: Self.claimBody(serial: "NOSUCH", serviceDate: IPFTestWorld.daysFromToday(-2), technician: z36))
        let id = first["id"] as! String
        #expect(try world.server.call("POST", "/v1/ipf/claims/\(id)/payment", key: world.a.key, body: #"{"reference": "PAY-1"}"#).status == 403)
        let paid = try world.server.admin("POST", "/v1/ipf/claims/\(id)/payment", #"{"reference": "PAY-1"}"#)
        #expect(paid["state"] as? String == "paid", "\(paid.json)")
        #expect(try world.server.admin("POST", "/v1/ipf/claims/\(id)/payment", #"{"reference": "PAY-2"}"#).status == 409)
        #expect(try world.server.admin("POST", "/v1/ipf/claims/\(rejected["id"] as! String)/payment", #"{"reference": "PAY-3"}"#).status == 409)
        // This month: paid 253.86 (TM0001); approved and unpaid 142.50 (Z36001: 3 units x 47.50) and the world's
        // own claim 47.50 (30 minutes, 1 unit): 190.00; one rejected; total 253.86 + 190.00 = 443.86.
        let month = String(IPFTestWorld.daysFromToday(0).prefix(7))
        let statement = try world.server.call("GET", "/v1/ipf/claims/statement?month=\(month)", key: world.a.key)
        let totals = statement["totals"] as? [String: Any]
        #expect(totals?["claims"] as? Int == 4)
        #expect(totals?["rejected"] as? Int == 1)
        #expect(totals?["paid_minor"] as? Int == 25_386)
        #expect(totals?["approved_unpaid_minor"] as? Int == 19_000)
        #expect(totals?["total_minor"] as? Int == 44_386)
        let client = try HTTPTestSupportClient.make(world.server)
        let csv = try client.request("GET", "/v1/ipf/claims/statement?month=\(month)", headers: ["Authorization: Bearer \(world.a.key)", "Accept: text/csv"])
        let lines = String(decoding: csv.body, as: UTF8.self).split(separator: "\r\n")
        #expect(lines.first == "claim_id,serial,product_line,service_date,submitted_on,state,amount_minor,currency,paid_on,payment_reference,reasons")
        #expect(lines.count == 5)
        #expect(lines.contains { $0.hasPrefix("\(id),TM0001,imageprograf-tm,") && $0.contains(",paid,25386,USD,") && $0.hasSuffix(",PAY-1,") })
        #expect(lines.contains { $0.hasSuffix(",rejected,0,USD,,,not_registered_to_dealer") })
        // Another month is empty; an admin must name the dealer; B cannot read A's statement.
        #expect((try world.server.call("GET", "/v1/ipf/claims/statement?month=2020-01", key: world.a.key)["totals"] as? [String: Any])?["claims"] as? Int == 0)
        #expect(try world.server.admin("GET", "/v1/ipf/claims/statement?month=\(month)").errors["dealer_id"]
            == "is required with an admin or billing key: a statement is per dealer")
        #expect(try world.server.call("GET", "/v1/ipf/claims/statement?month=\(month)&dealer_id=\(world.a.id)", key: world.b.key).status == 404)
        #expect(try world.server.call("GET", "/v1/ipf/claims/statement?month=2026-13", key: world.a.key).errors["month"] != nil)
    }
}
