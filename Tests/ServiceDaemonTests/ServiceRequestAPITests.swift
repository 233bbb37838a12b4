import Foundation
import Testing
@testable import ServiceDaemon

@Suite struct ServiceRequestAPITests {
    static func report(_ server: APITestServer, _ key: String, serial: String, at: String?, extra: String = "") throws -> APITestServer.Reply {
        let reported = at.map { #", "reported_at": "\#($0)""# } ?? ""
        return try server.call("POST", "/v1/service-requests", key: key, body: """
            {"device_serial": "\(serial)", "category": "fault", "description": "paper jam in tray 2", "source": "phone"\(reported)\(extra)}
            """)
    }

    /// Standard until 30 June, premium from 1 July 2026.
    @Test func coverageUsesTheTierInForceOnTheReportedDay() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "SR-1")
        let id = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))["id"] as! String
        #expect(try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-07-01", "tier": "premium"}"#).status == 201)
        // Tuesday 30 June 14:00 CEST, standard: next business day 16:00 = Wed 1 July 14:00Z.
        let june = try Self.report(server, a.key, serial: a.serial, at: "2026-06-30T14:00:00+02:00")
        #expect(june.status == 201)
        #expect(june["tier"] as? String == "standard")
        #expect(june["coverage"] as? String == "covered")
        #expect(june["contract_id"] as? String == id)
        #expect(june["clock_starts_at"] as? String == "2026-06-30T12:00:00Z")
        #expect(june["response_due_at"] as? String == "2026-07-01T14:00:00Z")
        // Wednesday 1 July 14:00 CEST, premium: 2 h Wed + 2 h Thu = Thu 10:00 CEST = 08:00Z.
        let july = try Self.report(server, a.key, serial: a.serial, at: "2026-07-01T14:00:00+02:00")
        #expect(july["tier"] as? String == "premium")
        #expect(july["response_due_at"] as? String == "2026-07-02T08:00:00Z")
    }

    @Test func lifecycleWithFirstResponseAndBreach() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "SR-2")
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial], tier: "premium"))
        // Monday 2 March 14:00 CET, premium: due Tuesday 10:00 CET.
        let created = try Self.report(server, a.key, serial: a.serial, at: "2026-03-02T14:00:00+01:00")
        let id = created["id"] as! String
        #expect(created["state"] as? String == "open")
        #expect(created["overdue"] as? Bool == true)  // long past, unanswered
        #expect(created["first_response_at"] is NSNull)
        let overdue = try server.call("GET", "/v1/service-requests?overdue=true", key: a.key)
        #expect(overdue.items.map { $0["id"] as? String } == [id])

        func event(_ body: String) throws -> APITestServer.Reply {
            try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: body)
        }
        let responded = try event(#"{"type": "respond", "at": "2026-03-03T10:30:00+01:00", "note": "called the customer"}"#)
        #expect(responded.status == 200)
        #expect(responded["state"] as? String == "responded")
        #expect(responded["first_response_at"] as? String == "2026-03-03T09:30:00Z")
        #expect(responded["response_breached"] as? Bool == true)
        #expect(responded["response_business_minutes"] as? Int == 270)
        #expect(responded["overdue"] as? Bool == false)
        // The version the answer carries is the stored one.
        #expect(responded.header("ETag") == "\"2\"")
        #expect(try server.call("GET", "/v1/service-requests/\(id)", key: a.key).header("ETag") == "\"2\"")
        let again = try event(#"{"type": "respond"}"#)
        #expect(again.status == 409)
        #expect(again["state"] as? String == "responded")
        let early = try event(#"{"type": "resolve", "at": "2026-03-03T10:00:00+01:00"}"#)  // before the last event
        #expect(early.status == 422)
        #expect(early.errors["at"] != nil)
        #expect(try event(#"{"type": "hold", "at": "2099-01-01T00:00:00Z"}"#).status == 422)
        #expect(try event(#"{"type": "hold", "note": "waiting for a fuser"}"#)["state"] as? String == "on_hold")
        #expect(try event(#"{"type": "resume"}"#)["state"] as? String == "responded")
        #expect(try event(#"{"type": "close"}"#).status == 409)
        let missingMinutes = try event(#"{"type": "resolve", "cause": "outside_responsibility"}"#)
        #expect(missingMinutes.status == 422)
        #expect(missingMinutes.errors["billable_minutes"] != nil)
        let nullMinutes = try event(#"{"type": "resolve", "cause": "outside_responsibility", "billable_minutes": null}"#)
        #expect(nullMinutes.errors == ["billable_minutes": "is required with cause outside_responsibility"])
        let resolved = try event(#"{"type": "resolve", "cause": "outside_responsibility", "billable_minutes": 90}"#)
        #expect(resolved["state"] as? String == "resolved")
        #expect(resolved["billable"] as? Bool == true)
        #expect(resolved["billable_minutes"] as? Int == 90)
        #expect(try event(#"{"type": "close"}"#)["state"] as? String == "closed")
        #expect(try event(#"{"type": "reopen"}"#)["state"] as? String == "responded")
        #expect(try event(#"{"type": "cancel"}"#)["state"] as? String == "cancelled")
        #expect(try event(#"{"type": "teleport"}"#).status == 422)
        let fetched = try server.call("GET", "/v1/service-requests/\(id)", key: a.key)
        // Each event's note as given; null, not "", where none was.
        let notes = (fetched["events"] as? [[String: Any]] ?? []).map { $0["note"] }
        #expect(notes.map { $0 as? String } == ["called the customer", "waiting for a fuser", nil, nil, nil, nil, nil])
        #expect(notes.dropFirst(2).allSatisfy { $0 is NSNull })
        #expect((fetched["events"] as? [[String: Any]])?.map { $0["type"] as? String } == ["respond", "hold", "resume", "resolve", "close", "reopen", "cancel"])
        #expect(fetched["first_response_at"] as? String == "2026-03-03T09:30:00Z")
    }

    @Test func uncoveredRequestsHaveNoDeadlineAndAreBilled() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "SR-3")
        let created = try Self.report(server, a.key, serial: a.serial, at: "2026-03-02T14:00:00+01:00")
        #expect(created["coverage"] as? String == "uncovered")
        #expect(created["tier"] is NSNull)
        #expect(created["response_due_at"] is NSNull)
        #expect(created["overdue"] as? Bool == false)
        #expect(created["billable"] as? Bool == true)
        let id = created["id"] as! String
        let noMinutes = try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "resolve"}"#)
        #expect(noMinutes.status == 422)
        let resolved = try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "resolve", "billable_minutes": 45}"#)
        #expect(resolved["billable_minutes"] as? Int == 45)
    }

    @Test func inputRules() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "SR-4")
        #expect(try Self.report(server, a.key, serial: a.serial, at: "2099-03-02T14:00:00Z").errors["reported_at"] == "must not be in the future")
        #expect(try Self.report(server, a.key, serial: a.serial, at: "Monday").errors["reported_at"] != nil)
        let bad = try server.call("POST", "/v1/service-requests", key: a.key, body: #"{"device_serial": "SR-4", "category": "boredom", "source": "pigeon"}"#)
        #expect(Set(bad.errors.keys) == ["category", "description", "source"])
        #expect(try Self.report(server, a.key, serial: "NOPE", at: nil).status == 404)
        let now = try Self.report(server, a.key, serial: a.serial, at: nil)
        #expect(now.status == 201)
        let reported = try #require((now["reported_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(abs(reported.timeIntervalSinceNow) < 120)
    }

    @Test func tenancy() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "SR-5")
        let b = try server.dealer("B", serial: "SR-6")
        let id = try Self.report(server, a.key, serial: a.serial, at: nil)["id"] as! String
        #expect(try Self.report(server, b.key, serial: a.serial, at: nil).status == 404)
        #expect(try server.call("GET", "/v1/service-requests/\(id)", key: b.key).status == 404)
        #expect(try server.call("POST", "/v1/service-requests/\(id)/events", key: b.key, body: #"{"type": "respond"}"#).status == 404)
        #expect(try server.call("GET", "/v1/service-requests", key: b.key).items.isEmpty)
        #expect(try server.call("GET", "/v1/service-requests?dealer_id=\(a.id)", key: b.key).items.isEmpty)
        #expect(try server.call("GET", "/v1/service-requests", key: a.key).items.count == 1)
        #expect(try server.call("GET", "/v1/service-requests/\(id)", key: a.key).status == 200)
        let reportB = try server.call("GET", "/v1/reports/sla?from=2020-01-01&to=2029-12-31", key: b.key)
        #expect(reportB["uncovered_requests"] as? Int == 0)
        let reportA = try server.call("GET", "/v1/reports/sla?from=2020-01-01&to=2029-12-31", key: a.key)
        #expect(reportA["uncovered_requests"] as? Int == 1)
        // Periods are bounded, for reports as for usage.
        let tooLong = try server.call("GET", "/v1/reports/sla?from=2020-01-01&to=2030-12-31", key: a.key)
        #expect(tooLong.errors["to"] == "the period may span at most ten years")
    }

    /// Premium: answered in 60 (in time) and 270 minutes (late), one
    /// unanswered past due; standard: answered in 30 minutes. Median
    /// premium = (60 + 270) / 2 = 165.
    @Test func slaReportJSONAndCSV() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "SR-7")
        let second = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "SR-8", "model": "imageRUNNER C1325iF", "customer_id": "\#(a.customerID)"}"#)
        #expect(second.status == 201)
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: ["SR-7"], tier: "premium"))
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: ["SR-8"], tier: "standard"))
        func respond(_ id: String, _ at: String) throws {
            #expect(try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "respond", "at": "\#(at)"}"#).status == 200)
        }
        try respond(Self.report(server, a.key, serial: "SR-7", at: "2026-03-02T14:00:00+01:00")["id"] as! String, "2026-03-02T15:00:00+01:00")
        try respond(Self.report(server, a.key, serial: "SR-7", at: "2026-03-02T14:00:00+01:00")["id"] as! String, "2026-03-03T10:30:00+01:00")
        _ = try Self.report(server, a.key, serial: "SR-7", at: "2026-03-04T09:00:00+01:00")
        try respond(Self.report(server, a.key, serial: "SR-8", at: "2026-03-05T09:00:00+01:00")["id"] as! String, "2026-03-05T09:30:00+01:00")
        _ = try Self.report(server, a.key, serial: "SR-8", at: "2026-04-01T09:00:00+02:00")  // outside the range

        let report = try server.call("GET", "/v1/reports/sla?from=2026-03-01&to=2026-03-31", key: a.key)
        #expect(report.status == 200)
        let tiers = try #require(report["tiers"] as? [[String: Any]])
        let premium = try #require(tiers.first { $0["tier"] as? String == "premium" })
        #expect(premium["requests"] as? Int == 3)
        #expect(premium["answered_in_time"] as? Int == 1)
        #expect(premium["breached"] as? Int == 2)
        #expect(premium["open_overdue"] as? Int == 1)
        #expect(premium["median_minutes_to_first_response"] as? Double == 165)
        let standard = try #require(tiers.first { $0["tier"] as? String == "standard" })
        #expect(standard["requests"] as? Int == 1)
        #expect(standard["median_minutes_to_first_response"] as? Double == 30)

        let client = try HTTPTestSupportClient.make(server)
        let csv = try client.request("GET", "/v1/reports/sla?from=2026-03-01&to=2026-03-31",
                                     headers: ["Authorization: Bearer \(a.key)", "Accept: text/csv"])
        #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(csv.text == "tier,requests,answered_in_time,breached,open_overdue,median_minutes_to_first_response\r\n"
            + "standard,1,1,0,0,30\r\nplus,0,0,0,0,\r\npremium,3,1,2,1,165\r\n")
        let missing = try server.call("GET", "/v1/reports/sla?from=2026-03-31&to=2026-03-01", key: a.key)
        #expect(missing.status == 422)
    }
}
