import Foundation
import HTTPTestSupport
import Testing
@testable import ServiceDaemon

@Suite struct MeteringAPITests {
    static func reading(_ serial: String, _ at: String, bw: Int, colour: Int, a3: Int = 0, banner: Int = 0, reset: Bool = false) -> String {
        """
        {"device_serial": "\(serial)", "read_at": "\(at)", "bw_a4": \(bw), "bw_a3": 0, "colour_a4": \(colour), "colour_a3": \(a3),
         "banner_bw": 0, "banner_colour": \(banner), "source": "dms"\(reset ? #", "counter_reset": true"# : "")}
        """
    }

    static func batch(_ readings: [String]) -> String { #"{"readings": [\#(readings.joined(separator: ","))]}"# }

    @Test func batchIsAllOrNothingAndListsEveryBadItem() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-1")
        let ok = try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("M-1", "2026-01-01T00:00:00Z", bw: 1000, colour: 400),
            Self.reading("M-1", "2026-02-01T00:00:00Z", bw: 2000, colour: 900),
        ]))
        #expect(ok.status == 200)
        #expect(ok["stored"] as? Int == 2)
        let bad = try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("M-1", "2026-03-01T00:00:00Z", bw: 3000, colour: 1000),  // fine on its own
            Self.reading("M-1", "2026-01-15T00:00:00Z", bw: 1500, colour: 950),   // late: colour above 1 Feb's 900
            Self.reading("M-1", "2026-04-01T00:00:00Z", bw: 2999, colour: 1100),  // bw below 1 March's 3000
            #"{"device_serial": "M-1", "read_at": "2099-01-01T00:00:00Z", "bw_a4": -1, "bw_a3": 0, "colour_a4": 0, "colour_a3": 0, "banner_bw": 0, "banner_colour": 0, "source": "guess"}"#,
            Self.reading("NOPE", "2026-03-01T00:00:00Z", bw: 1, colour: 1),
        ]))
        #expect(bad.status == 422)
        // Field errors are reported first, before the database is consulted.
        #expect(Set(bad.errors.keys) == ["readings[3].read_at", "readings[3].bw_a4", "readings[3].source"])
        let neighbours = try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("M-1", "2026-03-01T00:00:00Z", bw: 3000, colour: 1000),
            Self.reading("M-1", "2026-01-15T00:00:00Z", bw: 1500, colour: 950),
            Self.reading("M-1", "2026-04-01T00:00:00Z", bw: 2999, colour: 1100),
            Self.reading("NOPE", "2026-03-01T00:00:00Z", bw: 1, colour: 1),
        ]))
        #expect(neighbours.status == 422)
        #expect(neighbours.errors["readings[1].colour_a4"]?.contains("exceeds 900 of the later reading at 2026-02-01T00:00:00Z") == true)
        #expect(neighbours.errors["readings[2].bw_a4"]?.contains("is below 3000 of the reading at 2026-03-01T00:00:00Z") == true)
        #expect(neighbours.errors["readings[3].device_serial"] == "unknown device NOPE")
        #expect(neighbours.errors["readings[0].bw_a4"] == nil)
        // Nothing of the failed batch was stored: March is still unknown.
        let usage = try server.call("GET", "/v1/devices/M-1/usage?from=2026-02-01&to=2026-03-31", key: a.key)
        let periods = try #require(usage["periods"] as? [[String: Any]])
        #expect(periods[0]["estimated"] as? Bool == true)
        #expect(periods[1]["bw_pages"] as? Int == 0)
    }

    @Test func resendsAreIdempotentAndConflictsAre409() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-2")
        let body = Self.reading("M-2", "2026-01-01T00:00:00+01:00", bw: 10, colour: 5)
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: body)["stored"] as? Int == 1)
        let again = try server.call("POST", "/v1/meter-readings", key: a.key, body: body)
        #expect(again.status == 200)
        #expect(again["stored"] as? Int == 0)
        #expect(again["duplicates"] as? Int == 1)
        let other = try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.reading("M-2", "2025-12-31T23:00:00Z", bw: 11, colour: 5))
        #expect(other.status == 409)
    }

    @Test func resetStartsANewBaselineAndUsageSkipsTheGap() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-3")
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("M-3", "2026-01-01T00:00:00+01:00", bw: 90_000, colour: 30_000),
            Self.reading("M-3", "2026-01-11T00:00:00+01:00", bw: 0, colour: 0, reset: true),
            Self.reading("M-3", "2026-01-21T00:00:00+01:00", bw: 400, colour: 100),
        ])).status == 200)
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.reading("M-3", "2026-01-25T00:00:00+01:00", bw: 300, colour: 100)).status == 422)
        let usage = try server.call("GET", "/v1/devices/M-3/usage?from=2026-01-01&to=2026-01-20", key: a.key)
        let january = try #require((usage["periods"] as? [[String: Any]])?.first)
        #expect(january["bw_pages"] as? Int == 400)
        #expect(january["estimated"] as? Bool == true)
    }

    /// Readings at local midnights of 1 Jan (bw 1000, colour 400, colour A3
    /// 0), 11 Jan (1300, 500, A3 10) and 1 Feb (2000, 900, A3 30) plus 1 Mar
    /// (2600, 1000, 30). January: bw 1000, colour 500 A4 + 30 A3 = 530 colour
    /// pages, 560 colour A4-equivalents, 1560 A4-equivalents in all.
    /// February: bw 600, colour 100 + 0 = 100 pages, 700 A4-equivalents.
    @Test func monthlyUsageByHand() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-4")
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("M-4", "2026-01-01T00:00:00+01:00", bw: 1000, colour: 400),
            Self.reading("M-4", "2026-01-11T00:00:00+01:00", bw: 1300, colour: 500, a3: 10),
            Self.reading("M-4", "2026-02-01T00:00:00+01:00", bw: 2000, colour: 900, a3: 30),
            Self.reading("M-4", "2026-03-01T00:00:00+01:00", bw: 2600, colour: 1000, a3: 30),
        ])).status == 200)
        let usage = try server.call("GET", "/v1/devices/M-4/usage?from=2026-01-01&to=2026-03-31&granularity=month", key: a.key)
        #expect(usage["rated_monthly_duty"] as? Int == 20_000)
        let periods = try #require(usage["periods"] as? [[String: Any]])
        #expect(periods.map { $0["period"] as? String } == ["2026-01", "2026-02", "2026-03"])
        #expect(periods[0]["bw_pages"] as? Int == 1000)
        #expect(periods[0]["colour_pages"] as? Int == 530)
        #expect(periods[0]["colour_a4_equivalents"] as? Int == 560)
        #expect(periods[0]["a4_equivalents"] as? Int == 1560)
        #expect(periods[0]["colour_share"] as? Double == 0.359)  // 560 / 1560 = 0.35897
        #expect(periods[0]["estimated"] as? Bool == false)
        #expect(periods[0]["above_rated_duty"] == nil)  // single months are not judged against the rating
        #expect(usage["normal_use"] is NSNull)  // no contract
        #expect(periods[1]["bw_pages"] as? Int == 600)
        #expect(periods[1]["a4_equivalents"] as? Int == 700)
        #expect(periods[2]["estimated"] as? Bool == true)  // no reading after 31 March
        #expect(try server.call("GET", "/v1/devices/M-4/usage?from=2026-01-01&to=2026-03-31&granularity=week", key: a.key).status == 422)

        let report = try server.call("GET", "/v1/reports/usage?customer_id=\(a.customerID)&from=2026-01-01&to=2026-02-28", key: a.key)
        let row = try #require(report.items.first)
        #expect(row["device_serial"] as? String == "M-4")
        #expect(row["bw_pages"] as? Int == 1600)
        #expect(row["a4_equivalents"] as? Int == 2260)
        let csv = try HTTPTestSupportClient.make(server).request("GET", "/v1/reports/usage?customer_id=\(a.customerID)&from=2026-01-01&to=2026-02-28",
                                                                headers: ["Authorization: Bearer \(a.key)", "Accept: text/csv"])
        #expect(csv.text == "device_serial,model,family,bw_pages,colour_pages,a4_equivalents,banner_clicks,colour_share,estimated,banner_not_agreed\r\n"
            + "M-4,imageRUNNER ADVANCE C3530i,iradv-c3xxx,1600,630,2260,0,0.2920,false,false\r\n")
    }

    /// Normal use: IR ADV C3xxx rated 20 000 A4 a month. Standard from 1
    /// January; 60 000 pages by the start of 16 March: over 1 + 1 + 15/31 =
    /// 2.4839 months that is 24 156 a month, above the rating, whatever a
    /// single month shows. Made Premium from 1 March: no page-volume limit.
    @Test func normalUseIsTheAverageOverTheContractPeriod() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "N-1")
        let contract = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: ["N-1"]))
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("N-1", "2026-01-01T00:00:00+01:00", bw: 0, colour: 0),
            Self.reading("N-1", "2026-03-16T00:00:00+01:00", bw: 60_000, colour: 0),
        ])).status == 200)
        let usage = try server.call("GET", "/v1/devices/N-1/usage?from=2026-03-01&to=2026-03-15", key: a.key)
        let normal = try #require(usage["normal_use"] as? [String: Any])
        #expect(normal["from"] as? String == "2026-01-01" && normal["through"] as? String == "2026-03-15")
        #expect(normal["months"] as? String == "2.4839")
        #expect(normal["a4_equivalents"] as? Int == 60_000)
        #expect(normal["average_monthly_a4"] as? Int == 24_156)
        #expect(normal["rated_monthly_duty"] as? Int == 20_000 && normal["rated_duty_source"] as? String == "family")
        #expect(normal["limit"] as? Bool == true && normal["above_rated_duty"] as? Bool == true)
        #expect(try server.call("POST", "/v1/contracts/\(contract["id"] as! String)/amendments", key: a.key,
                                body: #"{"effective_on": "2026-03-01", "tier": "premium"}"#).status == 201)
        let premium = try #require(try server.call("GET", "/v1/devices/N-1/usage?from=2026-03-01&to=2026-03-15", key: a.key)["normal_use"] as? [String: Any])
        #expect(premium["limit"] as? Bool == false && premium["above_rated_duty"] is NSNull)
    }

    /// Banner printing "must be agreed separately". Contract 1 (January-June)
    /// has no banner agreement, contract 2 (July-December) has one. Banner
    /// clicks: 10 in January, none February-July, 20 in August. January is
    /// flagged, August not; the report over January-August is flagged (January's
    /// clicks), over July-August it is not.
    @Test func bannerClicksWithoutAnAgreementAreFlagged() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-9")
        #expect(try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: ["M-9"], from: "2026-01-01", to: "2026-06-30")).status == 201)
        #expect(try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: ["M-9"], from: "2026-07-01", to: "2026-12-31").replacingOccurrences(
                of: #""banner_agreed": false"#, with: #""banner_agreed": true"#)).status == 201)
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            Self.reading("M-9", "2026-01-01T00:00:00+01:00", bw: 0, colour: 0),
            Self.reading("M-9", "2026-02-01T00:00:00+01:00", bw: 0, colour: 0, banner: 10),
            Self.reading("M-9", "2026-08-01T00:00:00+02:00", bw: 0, colour: 0, banner: 10),
            Self.reading("M-9", "2026-09-01T00:00:00+02:00", bw: 0, colour: 0, banner: 30),
        ])).status == 200)
        let usage = try server.call("GET", "/v1/devices/M-9/usage?from=2026-01-01&to=2026-08-31", key: a.key)
        let periods = try #require(usage["periods"] as? [[String: Any]])
        #expect(periods.map { $0["banner_clicks"] as? Int } == [10, 0, 0, 0, 0, 0, 0, 20])
        #expect(periods.map { $0["banner_not_agreed"] as? Bool } == [true, false, false, false, false, false, false, false])
        func flagged(_ from: String, _ to: String) throws -> Bool? {
            try server.call("GET", "/v1/reports/usage?customer_id=\(a.customerID)&from=\(from)&to=\(to)", key: a.key).items.first?["banner_not_agreed"] as? Bool
        }
        #expect(try flagged("2026-01-01", "2026-08-31") == true)
        #expect(try flagged("2026-07-01", "2026-08-31") == false)
        #expect(try flagged("2026-02-01", "2026-06-30") == false)  // no clicks then
    }

    @Test func batchBoundsAndConflictsInsideOneRequest() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-7")
        #expect(try server.call("POST", "/v1/meter-readings", key: a.key, body: #"{"readings": []}"#).errors["readings"]
                == "must contain at least one reading")
        let reading = Self.reading("M-7", "2026-01-01T00:00:00Z", bw: 1, colour: 1)
        let tooMany = try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch(Array(repeating: reading, count: 10_001)))
        #expect(tooMany.status == 422)
        #expect(tooMany.errors["readings"] == "must have at most 10000 elements")
        // Two readings of one request at one instant with other figures: 409, naming the later one.
        let clash = try server.call("POST", "/v1/meter-readings", key: a.key, body: Self.batch([
            reading, Self.reading("M-7", "2026-01-01T00:00:00Z", bw: 2, colour: 1),
        ]))
        #expect(clash.status == 409)
        #expect(clash.errors["readings[1].read_at"] == "reading 0 of this request at the same instant has other figures")
        #expect(try server.call("GET", "/v1/devices/M-7/usage?from=2026-01-01&to=2026-01-31", key: a.key).status == 200)
        let stored = try server.application.database.read { try $0.fetchScalar("SELECT count(*) FROM meter_readings", as: Int.self) }
        #expect(stored == 0)
    }

    @Test func tenancyOnEveryMeteringEndpoint() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "M-5")
        let b = try server.dealer("B", serial: "M-6")
        let posted = try server.call("POST", "/v1/meter-readings", key: b.key, body: Self.reading("M-5", "2026-01-01T00:00:00Z", bw: 1, colour: 1))
        #expect(posted.status == 422)
        #expect(posted.errors["device_serial"] == "unknown device M-5")
        // A batch of one is still a batch: its fields are named by index.
        let batchOfOne = try server.call("POST", "/v1/meter-readings", key: b.key, body: Self.batch([Self.reading("M-5", "2026-01-01T00:00:00Z", bw: 1, colour: 1)]))
        #expect(batchOfOne.errors == ["readings[0].device_serial": "unknown device M-5"])
        #expect(try server.call("GET", "/v1/devices/M-5/usage?from=2026-01-01&to=2026-01-31", key: b.key).status == 404)
        #expect(try server.call("GET", "/v1/reports/usage?customer_id=\(a.customerID)&from=2026-01-01&to=2026-01-31", key: b.key).status == 404)
        #expect(try server.call("POST", "/v1/dms/events", key: b.key, body: #"{"device_serial": "M-5", "at": "2026-01-01T00:00:00Z", "type": "error", "code": "E1"}"#).status == 404)
        let order = try server.call("POST", "/v1/dms/events", key: a.key, body: #"{"device_serial": "M-5", "at": "2026-01-01T00:00:00Z", "type": "toner_level", "channel": "cyan", "level_percent": 5}"#)
        let orderID = try #require((order["action"] as? [String: Any])?["order_id"] as? String)
        #expect(try server.call("GET", "/v1/consumable-orders/\(orderID)", key: b.key).status == 404)
        #expect(try server.call("POST", "/v1/consumable-orders/\(orderID)/events", key: b.key, body: #"{"type": "cancel"}"#).status == 404)
        #expect(try server.call("GET", "/v1/consumable-orders", key: b.key).items.isEmpty)
        #expect(try server.call("GET", "/v1/consumable-orders", key: a.key).items.count == 1)
    }
}

@Suite struct DMSAPITests {
    static func event(_ server: APITestServer, _ key: String, _ body: String) throws -> APITestServer.Reply {
        try server.call("POST", "/v1/dms/events", key: key, body: body)
    }

    @Test func lowTonerOrdersOnceUntilDelivered() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "DMS-1")
        let high = try Self.event(server, a.key, #"{"device_serial": "DMS-1", "at": "2026-02-01T08:00:00Z", "type": "toner_level", "channel": "black", "level_percent": 16}"#)
        #expect((high["action"] as? [String: Any])?["type"] as? String == "none")
        let low = try Self.event(server, a.key, #"{"device_serial": "DMS-1", "at": "2026-02-02T08:00:00Z", "type": "toner_level", "channel": "black", "level_percent": 15}"#)
        #expect(low.status == 201)
        let action = try #require(low["action"] as? [String: Any])
        #expect(action["type"] as? String == "consumable_order_created")
        let orderID = try #require(action["order_id"] as? String)
        let repeated = try Self.event(server, a.key, #"{"device_serial": "DMS-1", "at": "2026-02-02T09:00:00Z", "type": "toner_level", "channel": "black", "level_percent": 9}"#)
        #expect((repeated["action"] as? [String: Any])?["type"] as? String == "consumable_order_already_open")
        #expect((repeated["action"] as? [String: Any])?["order_id"] as? String == orderID)
        let otherChannel = try Self.event(server, a.key, #"{"device_serial": "DMS-1", "at": "2026-02-02T09:00:00Z", "type": "toner_level", "channel": "waste", "level_percent": 3}"#)
        #expect((otherChannel["action"] as? [String: Any])?["type"] as? String == "consumable_order_created")

        func step(_ body: String) throws -> APITestServer.Reply { try server.call("POST", "/v1/consumable-orders/\(orderID)/events", key: a.key, body: body) }
        #expect(try step(#"{"type": "ship"}"#).errors["quantity"] == "is required with ship and deliver")
        #expect(try step(#"{"type": "ship", "quantity": 2}"#)["state"] as? String == "shipped")
        #expect(try step(#"{"type": "ship", "quantity": 2}"#).status == 409)
        let delivered = try step(#"{"type": "deliver", "quantity": 2, "at": "2026-02-04T10:00:00+01:00"}"#)
        #expect(delivered["state"] as? String == "delivered")
        #expect(delivered["quantity_delivered"] as? Int == 2)
        #expect(delivered["delivered_at"] as? String == "2026-02-04T09:00:00Z")
        let refused = try step(#"{"type": "cancel"}"#)
        #expect(refused.status == 409)
        #expect(refused["state"] as? String == "delivered")
        // Delivered, so the next low alert orders again.
        let after = try Self.event(server, a.key, #"{"device_serial": "DMS-1", "at": "2026-03-01T08:00:00Z", "type": "toner_level", "channel": "black", "level_percent": 10}"#)
        #expect((after["action"] as? [String: Any])?["type"] as? String == "consumable_order_created")
        let open = try server.call("GET", "/v1/consumable-orders?state=open&device_serial=DMS-1", key: a.key)
        #expect(open.items.count == 2)
    }

    @Test func errorsOpenOneServiceRequestPerCode() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "DMS-2")
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial], tier: "plus"))
        let first = try Self.event(server, a.key, #"{"device_serial": "DMS-2", "at": "2026-03-02T13:00:00Z", "type": "error", "code": "E000802-0001", "message": "fuser error"}"#)
        let action = try #require(first["action"] as? [String: Any])
        #expect(action["type"] as? String == "service_request_created")
        let requestID = try #require(action["service_request_id"] as? String)
        let created = try server.call("GET", "/v1/service-requests/\(requestID)", key: a.key)
        #expect(created["source"] as? String == "dms")
        #expect(created["category"] as? String == "device_alert")
        #expect(created["tier"] as? String == "plus")
        #expect(created["response_due_at"] as? String == "2026-03-03T11:00:00Z")  // Mon 14:00 CET + 6 h = Tue 12:00 CET
        #expect((created["description"] as? String)?.contains("E000802-0001") == true)
        let repeated = try Self.event(server, a.key, #"{"device_serial": "DMS-2", "at": "2026-03-02T13:05:00Z", "type": "error", "code": "E000802-0001"}"#)
        #expect((repeated["action"] as? [String: Any])?["service_request_id"] as? String == requestID)
        let otherCode = try Self.event(server, a.key, #"{"device_serial": "DMS-2", "at": "2026-03-02T13:05:00Z", "type": "error", "code": "E999"}"#)
        #expect((otherCode["action"] as? [String: Any])?["type"] as? String == "service_request_created")
        _ = try server.call("POST", "/v1/service-requests/\(requestID)/events", key: a.key, body: #"{"type": "resolve"}"#)
        let afterResolve = try Self.event(server, a.key, #"{"device_serial": "DMS-2", "at": "2026-03-03T08:00:00Z", "type": "error", "code": "E000802-0001"}"#)
        #expect((afterResolve["action"] as? [String: Any])?["type"] as? String == "service_request_created")
        // The same code on another device is another request.
        let other = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "DMS-2B", "model": "imageRUNNER C1325iF", "customer_id": "\#(a.customerID)"}"#)
        #expect(other.status == 201)
        let elsewhere = try Self.event(server, a.key, #"{"device_serial": "DMS-2B", "at": "2026-03-03T08:00:00Z", "type": "error", "code": "E000802-0001"}"#)
        #expect((elsewhere["action"] as? [String: Any])?["type"] as? String == "service_request_created")
        // Unknown event types and order states are named with what is allowed; nothing is stored.
        let unknown = try server.call("POST", "/v1/dms/events", key: a.key, body: #"{"device_serial": "DMS-2", "at": "2026-03-03T08:00:00Z", "type": "paper_jam"}"#)
        #expect(unknown.errors == ["type": "must be one of toner_level, error"])
        let events = try server.application.database.read { try $0.fetchScalar("SELECT count(*) FROM dms_events", as: Int.self) }
        #expect(events == 5)
        #expect(try server.call("GET", "/v1/consumable-orders?state=lost", key: a.key).errors == ["state": "must be one of open, shipped, delivered, cancelled"])
    }

    @Test func eventsFromDevicesWithoutAddressAreFlagged() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "DMS-3")
        let withIP = try Self.event(server, a.key, #"{"device_serial": "DMS-3", "at": "2026-03-02T13:00:00Z", "type": "toner_level", "channel": "drum", "level_percent": 50}"#)
        #expect(withIP["ip_address_missing"] as? Bool == false)
        _ = try server.call("PATCH", "/v1/devices/DMS-3", key: a.key, body: #"{"ip_address": null}"#)
        let without = try Self.event(server, a.key, #"{"device_serial": "DMS-3", "at": "2026-03-02T13:00:00Z", "type": "toner_level", "channel": "drum", "level_percent": 50}"#)
        #expect(without.status == 201)
        #expect(without["ip_address_missing"] as? Bool == true)
        #expect(without["flags"] as? [String] == ["ip_address_missing"])
        let bad = try Self.event(server, a.key, #"{"device_serial": "DMS-3", "at": "2026-03-02T13:00:00Z", "type": "toner_level", "channel": "orange", "level_percent": 101}"#)
        #expect(Set(bad.errors.keys) == ["channel", "level_percent"])
    }
}
