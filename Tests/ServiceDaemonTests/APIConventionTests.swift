import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

@Suite struct APIConventionTests {
    @Test func idempotentPostReplaysAndRefusesADifferentBody() throws {
        let server = try APITestServer()
        let first = try server.admin("POST", "/v1/dealers", #"{"name": "Once"}"#, headers: ["Idempotency-Key: abc-1"])
        #expect(first.status == 201)
        let again = try server.admin("POST", "/v1/dealers", #"{"name": "Once"}"#, headers: ["Idempotency-Key: abc-1"])
        #expect(again.status == 201)
        #expect(again["id"] as? String == first["id"] as? String)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(again.header("Location") == first.header("Location"))
        let different = try server.admin("POST", "/v1/dealers", #"{"name": "Twice"}"#, headers: ["Idempotency-Key: abc-1"])
        #expect(different.status == 409)
        #expect(try server.admin("GET", "/v1/dealers").items.count == 1)
        // Keys are per API key: another key may reuse the same value.
        let otherAdmin = try server.application.database.write { try APIKeyStore.create($0, role: .admin, dealerID: nil).1 }
        let other = try server.call("POST", "/v1/dealers", key: otherAdmin, body: #"{"name": "Once"}"#, headers: ["Idempotency-Key: abc-1"])
        #expect(other.status == 201)
        #expect(other["id"] as? String != first["id"] as? String)
    }

    @Test func failedRequestDoesNotConsumeItsKey() throws {
        let server = try APITestServer()
        let bad = try server.admin("POST", "/v1/customers", #"{"name": "X", "dealer_id": "dlr_missing"}"#, headers: ["Idempotency-Key: k"])
        #expect(bad.status == 404)
        let dealer = try server.admin("POST", "/v1/dealers", #"{"name": "D"}"#)["id"] as! String
        // The same key again: had the 404 been stored, this would be a replay or a 409 for a changed body.
        let good = try server.admin("POST", "/v1/customers", #"{"name": "X", "dealer_id": "\#(dealer)"}"#, headers: ["Idempotency-Key: k"])
        #expect(good.status == 201)
        #expect(good.header("Idempotent-Replayed") == nil)
    }

    @Test func staleIfMatchGets412() throws {
        let server = try APITestServer()
        let dealer = try server.dealer("Etag", serial: "E-1")
        let read = try server.call("GET", "/v1/customers/\(dealer.customerID)", key: dealer.key)
        let etag = try #require(read.header("ETag"))
        let renamed = try server.call("PATCH", "/v1/customers/\(dealer.customerID)", key: dealer.key, body: #"{"name": "New name"}"#,
                                      headers: ["If-Match: \(etag)"])
        #expect(renamed.status == 200)
        #expect(renamed["name"] as? String == "New name")
        #expect(renamed.header("ETag") != etag)
        let stale = try server.call("PATCH", "/v1/customers/\(dealer.customerID)", key: dealer.key, body: #"{"name": "Lost update"}"#,
                                    headers: ["If-Match: \(etag)"])
        #expect(stale.status == 412)
        #expect(try server.call("GET", "/v1/customers/\(dealer.customerID)", key: dealer.key)["name"] as? String == "New name")
        let device = try server.call("GET", "/v1/devices/\(dealer.serial)", key: dealer.key)
        let staleDevice = try server.call("PATCH", "/v1/devices/\(dealer.serial)", key: dealer.key, body: #"{"ip_address": "::1"}"#,
                                          headers: [#"If-Match: "999""#])
        #expect(staleDevice.status == 412)
        let fresh = try server.call("PATCH", "/v1/devices/\(dealer.serial)", key: dealer.key, body: #"{"ip_address": "2001:db8::7"}"#,
                                    headers: ["If-Match: \(device.header("ETag")!)"])
        #expect(fresh["ip_address"] as? String == "2001:db8::7")
    }

    @Test func cursorPagingWalksEveryRowOnce() throws {
        let server = try APITestServer()
        var created = Set<String>()
        for n in 0..<7 { created.insert(try server.admin("POST", "/v1/dealers", #"{"name": "D\#(n)"}"#)["id"] as! String) }
        var seen: [String] = []
        var path = "/v1/dealers?limit=3"
        var pages = 0
        while true {
            let page = try server.admin("GET", path)
            #expect(page.status == 200)
            seen += page.items.map { $0["id"] as! String }
            pages += 1
            guard let cursor = page["next_cursor"] as? String else { break }
            path = "/v1/dealers?limit=3&cursor=\(cursor)"
        }
        #expect(pages == 3)
        #expect(seen.count == 7)
        #expect(Set(seen) == created)
        #expect(try server.admin("GET", "/v1/dealers").items.count == 7)  // default limit 50
    }

    struct BadQuery: CustomTestStringConvertible, Sendable {
        let query: String
        let field: String
        var testDescription: String { query }
    }

    @Test(arguments: [
        BadQuery(query: "limit=0", field: "limit"), BadQuery(query: "limit=501", field: "limit"),
        BadQuery(query: "limit=ten", field: "limit"), BadQuery(query: "cursor=%25%25%25", field: "cursor"),
        BadQuery(query: "active_on=2026-02-30", field: "active_on"),
    ])
    func badQueryParametersAre422(_ bad: BadQuery) throws {
        let server = try APITestServer()
        let reply = try server.admin("GET", "/v1/contracts?\(bad.query)")
        #expect(reply.status == 422)
        #expect(reply.errors[bad.field] != nil, "\(reply.json)")
    }

    @Test func bodiesMustBeJSONObjects() throws {
        let server = try APITestServer()
        #expect(try server.call("POST", "/v1/dealers", key: server.adminKey, body: "name=x", contentType: "application/x-www-form-urlencoded").status == 415)
        #expect(try server.call("POST", "/v1/dealers", key: server.adminKey, body: #"{"name": "x"}"#, contentType: "text/plain").status == 415)
        #expect(try server.call("POST", "/v1/dealers", key: server.adminKey, body: #"{"name": "x"}"#, contentType: "application/json; charset=utf-8").status == 201)
        #expect(try server.admin("POST", "/v1/dealers", #"{"name": "x",}"#).status == 400)
        #expect(try server.admin("POST", "/v1/dealers", #"{"name": "x", "name": "y"}"#).status == 400)
        let array = try server.admin("POST", "/v1/dealers", #"["x"]"#)
        #expect(array.status == 422)
        #expect(array.errors["body"] != nil)
        let unknown = try server.admin("POST", "/v1/dealers", #"{"name": "x", "nmae": "typo"}"#)
        #expect(unknown.status == 422)
        #expect(unknown.errors["nmae"] == "unknown field")
        #expect(try server.admin("GET", "/v1/dealers").items.count == 1)
    }

    @Test func everyWriteIsAudited() throws {
        let server = try APITestServer()
        let dealer = try server.dealer("Audited", serial: "AU-1")
        _ = try server.call("PATCH", "/v1/customers/\(dealer.customerID)", key: dealer.key, body: #"{"name": "Changed"}"#)
        let audit = try server.admin("GET", "/v1/audit")
        let actions = audit.items.map { $0["action"] as? String ?? "" }
        #expect(actions == ["dealer.create", "api_key.create", "customer.create", "device.create", "customer.update"])
        let update = try #require(audit.items.last)
        #expect(update["role"] as? String == "dealer")
        #expect((update["api_key_id"] as? String)?.hasPrefix("key_") == true)
        #expect(update["resource_id"] as? String == dealer.customerID)
        #expect((update["at"] as? String)?.hasSuffix("Z") == true)
        #expect((update["detail"] as? [String: Any])?["previous_name"] as? String == "Audited customer")
    }
}
