import Foundation
import HTTPTestSupport
import Testing
@testable import ServiceDaemon

/// What the schemathesis run found, each pinned over HTTP so it cannot come
/// back even when schemathesis is not run.
@Suite struct APIContractFindingsTests {
    /// Methods the server knows but no route allows get 405 with Allow, on
    /// every resource; unknown ones stay 501.
    @Test func traceAndQueryAre405WithAllow() throws {
        let server = try APITestServer()
        for method in ["TRACE", "QUERY"] {
            let client = try RawClient(port: server.application.port!)
            let reply = try client.request(method, "/v1/dealers", headers: ["Authorization: Bearer \(server.adminKey)"])
            #expect(reply.status == 405, "\(method)")
            #expect(reply.header("Allow") == "GET, HEAD, POST, OPTIONS", "\(method)")
        }
    }

    /// A cursor is the last key of a page: any well-formed key is a position
    /// (an empty page past the end), a malformed one is named.
    @Test func anyWellFormedCursorIsAPosition() throws {
        let server = try APITestServer()
        for name in ["A", "B", "C"] { #expect(try server.admin("POST", "/v1/dealers", #"{"name": "\#(name)"}"#).status == 201) }
        let first = try server.admin("GET", "/v1/dealers?limit=2")
        let cursor = try #require(first["next_cursor"] as? String)
        #expect(cursor == (first.items.last?["id"] as? String))
        #expect(try server.admin("GET", "/v1/dealers?limit=2&cursor=\(cursor)").items.count == 1)
        #expect(try server.admin("GET", "/v1/dealers?cursor=0").items.count == 3)
        #expect(try server.admin("GET", "/v1/dealers?cursor=zzz").items.isEmpty)
        let bad = try server.admin("GET", "/v1/dealers?cursor=a%2Fb")
        #expect(bad.status == 422 && bad.errors["cursor"] != nil)
        #expect(try server.admin("GET", "/v1/audit?cursor=x").errors["cursor"]?.contains("a number") == true)
        #expect(try server.admin("GET", "/v1/audit?cursor=0").status == 200)
    }

    /// 2026.0 is the integer 2026 (JSON has one number type); 2026.5 is not.
    @Test func integralNumbersAreIntegers() throws {
        let server = try APITestServer()
        #expect(try server.admin("POST", "/v1/billing-runs", #"{"year": 2026.0, "dry_run": true}"#).status == 200)
        #expect(try server.admin("POST", "/v1/billing-runs", #"{"year": 2.026e3, "dry_run": true}"#).status == 200)
        #expect(try server.admin("POST", "/v1/billing-runs", #"{"year": 2026.5, "dry_run": true}"#).errors["year"] == "must be an integer, got a number")
        let huge = try server.admin("POST", "/v1/billing-runs", #"{"year": 99999999999999999999, "dry_run": true}"#)
        #expect(huge.status == 422 && huge.errors["year"] != nil)
    }

    /// A filter no serial can match is named, not answered with an empty list.
    @Test func aDeviceSerialFilterIsValidated() throws {
        let server = try APITestServer()
        for path in ["/v1/service-requests", "/v1/contracts", "/v1/consumable-orders"] {
            let reply = try server.admin("GET", "\(path)?device_serial=%C3%A5%2F1")
            #expect(reply.status == 422 && reply.errors["device_serial"] != nil, "\(path)")
            #expect(try server.admin("GET", "\(path)?device_serial=qx-1").status == 200, "\(path)")
        }
        #expect(try server.admin("GET", "/v1/billing-runs?year=1999").errors["year"] == "must be a year between 2000 and 2100")
    }

    /// null is "not given": cause and billable_minutes as null on a hold are
    /// accepted; a value is still refused outside resolve.
    @Test func nullCauseOnANonResolveEventIsNotGiven() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "NF-1")
        _ = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        let opened = try ServiceRequestAPITests.report(server, a.key, serial: a.serial, at: nil)
        let id = try #require(opened["id"] as? String)
        let hold = try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "hold", "cause": null, "billable_minutes": null}"#)
        #expect(hold.status == 201 || hold.status == 200, "\(hold.json)")
        let minutes = try server.call("POST", "/v1/service-requests/\(id)/events", key: a.key, body: #"{"type": "resume", "billable_minutes": 5}"#)
        #expect(minutes.status == 422 && minutes.errors["type"] == "cause and billable_minutes go with resolve only")
    }

    /// A partner centre naming a dealer that does not exist: 404, like every
    /// reference to a missing resource.
    @Test func aPartnerCentreForAMissingDealerIs404() throws {
        let server = try APITestServer()
        let reply = try server.admin("POST", "/v1/cps/service-centres", #"{"name": "Workshop", "country": "NO", "dealer_id": "dlr_missing"}"#)
        #expect(reply.status == 404)
    }

    /// An e-mail address is checked by bytes: an emoji modifier after the
    /// domain's "." joins it into one grapheme, which hid the dot.
    @Test func anEmojiAfterTheDomainDotIsStillAnAddress() throws {
        let server = try APITestServer()
        let reply = try server.admin("POST", "/v1/cps/members", #"{"name": "Ada", "email": "a@b.\ud83c\udffbw", "country": "NO", "programme": "free"}"#)
        #expect(reply.status == 201, "\(reply.json)")
    }
}
