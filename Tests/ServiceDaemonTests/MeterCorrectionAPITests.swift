import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// `POST /v1/meter-readings/{serial}/{read_at}/void`: a wrong reading leaves
/// every computation, stays in the audit trail with its reason, and a billed
/// year gets the difference as an adjustment.
@Suite struct MeterCorrectionAPITests {
    static func void(_ server: APITestServer, _ key: String, _ serial: String, _ at: String, reason: String = "typo in the manual reading")
        throws -> APITestServer.Reply {
        try server.call("POST", "/v1/meter-readings/\(serial)/\(at.replacingOccurrences(of: "+", with: "%2B"))/void", key: key,
                        body: #"{"reason": "\#(reason)"}"#)
    }

    // BILL-A (IR ADV C3xxx, standard all 2025, allowance 60 000, 0.59 a page):
    // readings 0 on 1 Jan 2025, 62 000 on 1 Dec, and a mistyped 70 000 on
    // 1 Jan 2026. Billed: 70 000 - 60 000 = 10 000 x 59 = 590 000 (BILL-B
    // 59 000 and its 142 500 of service work beside it).
    // Voided, the year ends at the 1 December reading: 62 000 used, 2 000 over,
    // 118 000: the next run bills -472 000 as an adjustment. The right reading
    // (63 000) sent again: 3 000 over, 177 000: +59 000.
    @Test func aVoidedReadingLeavesBillingAndTheNextRunAdjusts() throws {
        let f = try BillingRunTests.fixture()
        let late = "2026-01-01T00:00:00+01:00"
        #expect(try f.server.call("POST", "/v1/meter-readings", key: f.a.key, body: BillingRunTests.reading("BILL-A", late, colour: 70_000)).status == 200)
        let first = try f.server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)
        #expect(first["total_minor"] as? Int == 590_000 + 59_000 + 142_500)

        // A reading above the wrong one's figure cannot be sent before it while it stands (the neighbour check)...
        let blocked = BillingRunTests.reading("BILL-A", "2025-12-31T12:00:00+01:00", colour: 71_000)
        #expect(try f.server.call("POST", "/v1/meter-readings", key: f.a.key, body: blocked).status == 422)
        let voided = try Self.void(f.server, f.a.key, "BILL-A", late)
        #expect(voided.status == 200, "\(voided.json)")
        #expect(voided["reason"] as? String == "typo in the manual reading")
        #expect((voided["counters"] as? [String: Any])?["colour_a4"] as? Int == 70_000)

        // ... and can once it is voided (then voided in turn); usage no longer
        // sees it: December is estimated from 1 December on.
        #expect(try f.server.call("POST", "/v1/meter-readings", key: f.a.key, body: blocked).status == 200)
        #expect(try Self.void(f.server, f.a.key, "BILL-A", "2025-12-31T12:00:00+01:00", reason: "test reading").status == 200)
        let usage = try f.server.call("GET", "/v1/devices/BILL-A/usage?from=2025-12-01&to=2025-12-31", key: f.a.key)
        let december = try #require((usage["periods"] as? [[String: Any]])?.first)
        #expect(december["colour_pages"] as? Int == 0 && december["estimated"] as? Bool == true)

        let adjusted = try f.server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)
        #expect(adjusted["total_minor"] as? Int == -472_000)
        let line = try #require(try f.server.admin("GET", "/v1/billing-runs/\(adjusted["id"] as! String)/lines").items.first)
        #expect(line["adjustment"] as? Bool == true && line["quantity"] as? Int == -8_000 && line["amount_minor"] as? Int == -472_000)

        // The corrected reading is accepted at the same instant, and billed.
        #expect(try f.server.call("POST", "/v1/meter-readings", key: f.a.key, body: BillingRunTests.reading("BILL-A", late, colour: 63_000)).status == 200)
        #expect(try f.server.admin("POST", "/v1/billing-runs", #"{"year": 2025, "dry_run": false}"#)["total_minor"] as? Int == 59_000)

        // The voiding stays in the audit trail, with the figures and the reason.
        let entry = try #require(try f.server.admin("GET", "/v1/audit?limit=500").items.first {
            $0["action"] as? String == "meter_reading.void" && ($0["detail"] as? [String: Any])?["reason"] as? String == "typo in the manual reading"
        })
        let detail = try #require(entry["detail"] as? [String: Any])
        #expect(detail["reason"] as? String == "typo in the manual reading")
        #expect((detail["counters"] as? [String: Any])?["colour_a4"] as? Int == 70_000)
        #expect(detail["read_at"] as? String == "2025-12-31T23:00:00Z")
    }

    // Colour 0 (1 Jan), 5 000 (1 Feb), a reset to 100 (1 Mar), 2 000 (1 Apr).
    // Without the reset, 2 000 on 1 April would follow 5 000 on 1 February:
    // refused, naming both. Voiding 1 April first, then the reset, works.
    @Test func neighboursAreCheckedAgain() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "V-1")
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: MeteringAPITests.batch([
            MeteringAPITests.reading("V-1", "2026-01-01T00:00:00Z", bw: 0, colour: 0),
            MeteringAPITests.reading("V-1", "2026-02-01T00:00:00Z", bw: 0, colour: 5_000),
            MeteringAPITests.reading("V-1", "2026-03-01T00:00:00Z", bw: 0, colour: 100, reset: true),
            MeteringAPITests.reading("V-1", "2026-04-01T00:00:00Z", bw: 0, colour: 2_000),
        ])).status == 200)
        let refused = try Self.void(server, a.key, "V-1", "2026-03-01T00:00:00Z")
        #expect(refused.status == 409)
        #expect((refused["detail"] as? String)?.contains("colour_a4 2000 of the reading at 2026-04-01T00:00:00Z would be below 5000 of the reading at 2026-02-01T00:00:00Z") == true,
                "\(refused.json)")
        #expect(try Self.void(server, a.key, "V-1", "2026-04-01T00:00:00Z").status == 200)
        #expect(try Self.void(server, a.key, "V-1", "2026-03-01T00:00:00Z").status == 200)
        // Voided already: 409 saying when; never read: 404.
        let again = try Self.void(server, a.key, "V-1", "2026-03-01T01:00:00+01:00")
        #expect(again.status == 409 && (again["detail"] as? String)?.contains("was voided at") == true)
        #expect(try Self.void(server, a.key, "V-1", "2026-03-02T00:00:00Z").status == 404)
    }

    @Test func badRequestsAreRefusedAndChangeNothing() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "V-2")
        let b = try server.dealer("B", serial: "V-3")
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: MeteringAPITests.reading("V-2", "2026-01-01T00:00:00Z", bw: 1, colour: 1)).status == 200)
        let before = try server.admin("GET", "/v1/audit?limit=500").items.count
        let path = "/v1/meter-readings/V-2/2026-01-01T00:00:00Z/void"
        #expect(try server.call("POST", path, key: a.key, body: "{}").errors["reason"] == "is required")
        #expect(try server.call("POST", path, key: a.key, body: #"{"reason": "x", "why": 1}"#).errors["why"] == "unknown field")
        #expect(try server.call("POST", path, key: a.key, body: #"{"reason": "\#(String(repeating: "x", count: 4_001))"}"#).errors["reason"] != nil)
        #expect(try server.call("POST", "/v1/meter-readings/V-2/yesterday/void", key: a.key, body: #"{"reason": "x"}"#).errors["read_at"] != nil)
        // Another dealer's device is not there at all; a billing key may not write.
        #expect(try Self.void(server, b.key, "V-2", "2026-01-01T00:00:00Z").status == 404)
        let billing = try server.application.database.write { try APIKeyStore.create($0, role: .billing, dealerID: nil).1 }
        #expect(try Self.void(server, billing, "V-2", "2026-01-01T00:00:00Z").status == 403)
        #expect(try server.admin("GET", "/v1/audit?limit=500").items.count == before)
        // An admin may; the serial in any case, the instant in any offset.
        #expect(try server.admin("POST", "/v1/meter-readings/v-2/2026-01-01T01:00:00%2B01:00/void", #"{"reason": "duplicate device"}"#).status == 200)
    }
}
