import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Members and the Kitbag over HTTP.
@Suite(.serialized) struct CPSMemberAPITests {
    @Test func productsAreServedToAnyKeyAndSearchable() throws {
        let server = try APITestServer()
        let dealer = try server.admin("POST", "/v1/dealers", #"{"name": "Partner"}"#)["id"] as! String
        let dealerKey = try server.admin("POST", "/v1/dealers/\(dealer)/api-keys")["key"] as! String
        let all = try server.call("GET", "/v1/cps/products?limit=500", key: dealerKey)
        #expect(all.status == 200 && all.items.count >= 60)
        let found = try server.call("GET", "/v1/cps/products?q=Mark%20II%20R5", key: try server.key(.billing))
        #expect(found.items.map { $0["id"] as? String } == ["eos-r5-mark-ii"])
        let video = try server.admin("GET", "/v1/cps/products?category=cinema_eos&limit=500")
        #expect(!video.items.isEmpty && video.items.allSatisfy { $0["video"] as? Bool == true })
        // EOS R5 superseded on 2024-08-01: 80 points then ceil(40) = 40
        #expect(try server.admin("GET", "/v1/cps/products/eos-r5?on=2024-07-31")["points"] as? Int == 80)
        #expect(try server.admin("GET", "/v1/cps/products/eos-r5?on=2024-08-01")["points"] as? Int == 40)
        #expect(try server.admin("GET", "/v1/cps/products/eos-r99").status == 404)
        #expect(try server.call("GET", "/v1/cps/products", key: nil).status == 401)
        // paging walks the whole list once
        var seen: [String] = []
        var cursor: String? = nil
        repeat {
            let page = try server.admin("GET", "/v1/cps/products?limit=25" + (cursor.map { "&cursor=\($0)" } ?? ""))
            seen += page.items.compactMap { $0["id"] as? String }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(seen.count == all.items.count && Set(seen).count == seen.count)
    }

    @Test func joiningValidatesEveryFieldAndEmailsAreUniqueCaseInsensitively() throws {
        let server = try APITestServer()
        let bad = try server.admin("POST", "/v1/cps/members", #"{"name": "", "email": "not-an-address", "country": "Norway", "programme": "gold", "extra": 1}"#)
        #expect(bad.status == 422)
        #expect(Set(bad.errors.keys) == ["name", "email", "country", "programme", "extra"])
        #expect(try server.call("POST", "/v1/cps/members", key: server.adminKey, body: "{}", contentType: "text/plain").status == 415)
        #expect(try server.admin("POST", "/v1/cps/members", #"{"name": "#).status == 400)
        let id = try server.cpsMember("Ada", email: "Ada@Example.com")
        let again = try server.admin("POST", "/v1/cps/members", #"{"name": "Ada 2", "email": "ada@example.COM", "country": "NO", "programme": "free"}"#)
        #expect(again.status == 409)
        let member = try server.admin("GET", "/v1/cps/members/\(id)")
        #expect(member["level"] as? String == "red" && member["points"] as? Int == 0 && member["points_to_next_level"] as? Int == 100)
        #expect((member["membership_number"] as? String)?.hasPrefix("CPS") == true)
        #expect(try server.admin("GET", "/v1/cps/members?email=ADA@example.com").items.map { $0["id"] as? String } == [id])
        let number = member["membership_number"] as! String
        #expect(try server.admin("GET", "/v1/cps/members?membership_number=\(number)").items.count == 1)
        // idempotent replay
        let body = #"{"name": "Bo", "email": "bo@example.com", "country": "SE", "programme": "subscription"}"#
        let first = try server.admin("POST", "/v1/cps/members", body, headers: ["Idempotency-Key: join-bo"])
        let replay = try server.admin("POST", "/v1/cps/members", body, headers: ["Idempotency-Key: join-bo"])
        #expect(first.status == 201 && replay.status == 201 && replay.header("Idempotent-Replayed") == "true")
        #expect(first["id"] as? String == replay["id"] as? String)
        #expect(first["membership_number"] is NSNull, "a business account gets its number when it enrols")
    }

    @Test func patchNeedsTheCurrentETagAndIsAudited() throws {
        let server = try APITestServer()
        let id = try server.cpsMember("Ada", email: "ada@example.com")
        let etag = try #require(try server.admin("GET", "/v1/cps/members/\(id)").header("ETag"))
        let changed = try server.admin("PATCH", "/v1/cps/members/\(id)", #"{"email": "ada@foto.example"}"#, headers: ["If-Match: \(etag)"])
        #expect(changed.status == 200 && changed["email"] as? String == "ada@foto.example")
        let stale = try server.admin("PATCH", "/v1/cps/members/\(id)", #"{"name": "Ada L."}"#, headers: ["If-Match: \(etag)"])
        #expect(stale.status == 412)
        #expect(try server.admin("PATCH", "/v1/cps/members/\(id)", "{}").status == 422)
        let audit = try server.admin("GET", "/v1/audit?limit=500").items.compactMap { $0["action"] as? String }
        #expect(audit.filter { $0.hasPrefix("cps.") } == ["cps.member.create", "cps.member.update"])
    }

    @Test func incompleteRegistrationCompletedLater() throws {
        let server = try APITestServer()
        let id = try server.cpsMember("Ada", email: "ada@example.com")
        let added = try server.admin("POST", "/v1/cps/members/\(id)/products", #"{"product_id": "eos-r1", "serial": "0123 4567"}"#)
        #expect(added.status == 201)
        #expect(added["missing"] as? [String] == ["country_of_purchase", "purchased_on", "store"])
        // EOS R1: 100 points pending, none counted
        #expect(added["points"] as? Int == 0 && added["pending_points"] as? Int == 100 && added["serial"] as? String == "01234567")
        #expect(try server.admin("GET", "/v1/cps/members/\(id)")["points"] as? Int == 0)
        let registration = added["id"] as! String
        let done = try server.admin("PATCH", "/v1/cps/members/\(id)/products/\(registration)",
                                    #"{"country_of_purchase": "NO", "purchased_on": "2025-01-10", "store": "Foto AS"}"#)
        #expect(done.status == 200 && done["complete"] as? Bool == true && done["points"] as? Int == 100)
        let member = try server.admin("GET", "/v1/cps/members/\(id)")
        // 100 points: Silver, 400 to Gold
        #expect(member["points"] as? Int == 100 && member["level"] as? String == "silver" && member["points_to_next_level"] as? Int == 400)
        // yesterday it was not complete yet
        let yesterday = server.today.adding(days: -1)
        #expect(try server.admin("GET", "/v1/cps/members/\(id)?on=\(yesterday)")["points"] as? Int == 0)
        let history = try server.admin("GET", "/v1/cps/members/\(id)/points-history").items
        #expect(history.map { $0["reason"] as? String } == ["completed"])
        #expect(history.first?["total_before"] as? Int == 0 && history.first?["total_after"] as? Int == 100)
        // bad details: all named, nothing changed
        let bad = try server.admin("PATCH", "/v1/cps/members/\(id)/products/\(registration)",
                                   #"{"purchased_on": "2099-01-01", "country_of_purchase": "norway", "store": null}"#)
        #expect(bad.status == 422 && Set(bad.errors.keys) == ["country_of_purchase", "store"])
        let future = try server.admin("PATCH", "/v1/cps/members/\(id)/products/\(registration)", #"{"purchased_on": "2099-01-01"}"#)
        #expect(future.status == 422 && future.errors["purchased_on"] != nil)
        let early = try server.admin("PATCH", "/v1/cps/members/\(id)/products/\(registration)", #"{"purchased_on": "2020-01-01"}"#)
        #expect(early.status == 422 && early.errors["purchased_on"]?.contains("came out") == true)
        #expect(try server.admin("GET", "/v1/cps/members/\(id)/products/\(registration)")["purchased_on"] as? String == "2025-01-10")
    }

    @Test func greyImportHasNoLocalWarrantyButItsPointsCount() throws {
        let server = try APITestServer()
        let id = try server.cpsMember("Ada", email: "ada@example.com")
        let registration = try server.register(id, "rf-400mm-f2-8l-is-usm", serial: "US998877", country: "US")
        let shown = try server.admin("GET", "/v1/cps/members/\(id)/products/\(registration)")
        #expect(shown["local_warranty"] as? Bool == false && shown["points"] as? Int == 150)
        // 150 points: Silver
        #expect(try server.admin("GET", "/v1/cps/members/\(id)")["level"] as? String == "silver")
        let second = try server.admin("POST", "/v1/cps/members/\(id)/products", """
            {"product_id": "eos-r1", "serial": "NO1", "second_hand": true, "country_of_purchase": "NO", "purchased_on": "2025-02-01", "store": "Finn"}
            """)
        #expect(second.status == 422 && second.errors["serial"] != nil, "a serial needs 4 characters")
    }

    @Test func aSerialHeldByAnotherMemberIs409NamingNothingAboutThem() throws {
        let server = try APITestServer()
        let seller = try server.cpsMember("Seller Person", email: "seller@example.com")
        let buyer = try server.cpsMember("Buyer", email: "buyer@example.com")
        let sold = try server.register(seller, "eos-r3", serial: "112233")
        let taken = try server.admin("POST", "/v1/cps/members/\(buyer)/products", #"{"product_id": "eos-r3", "serial": "11-22-33"}"#)
        #expect(taken.status == 409)
        let text = "\(taken.json)"
        #expect(!text.contains("seller") && !text.contains(seller) && !text.contains("Seller"))
        // the same serial on another product is another product
        #expect(try server.admin("POST", "/v1/cps/members/\(buyer)/products", #"{"product_id": "eos-r1", "serial": "112233"}"#).status == 201)
        // once the seller removes it, the buyer may register it
        #expect(try server.admin("DELETE", "/v1/cps/members/\(seller)/products/\(sold)").status == 204)
        #expect(try server.admin("GET", "/v1/cps/members/\(seller)/products/\(sold)").status == 404)
        #expect(try server.admin("POST", "/v1/cps/members/\(buyer)/products", #"{"product_id": "eos-r3", "serial": "112233"}"#).status == 201)
        let history = try server.admin("GET", "/v1/cps/members/\(seller)/points-history").items.map { $0["reason"] as? String }
        #expect(history == ["registered", "removed"])
        #expect(try server.admin("POST", "/v1/cps/members/\(buyer)/products", #"{"product_id": "eos-r404"}"#).errors["product_id"] != nil)
    }

    @Test func anAdminTransfersAProductToItsNewOwner() throws {
        let server = try APITestServer()
        let seller = try server.cpsMember("Seller", email: "seller@example.com")
        let buyer = try server.cpsMember("Buyer", email: "buyer@example.com")
        let sold = try server.register(seller, "rf-400mm-f2-8l-is-usm", serial: "445566")
        let refused = try server.admin("POST", "/v1/cps/members/\(seller)/products/\(sold)/transfer", #"{"to_member_id": "cpm_nobody"}"#)
        #expect(refused.status == 422 && refused.errors["to_member_id"] != nil)
        let moved = try server.admin("POST", "/v1/cps/members/\(seller)/products/\(sold)/transfer", #"{"to_member_id": "\#(buyer)"}"#)
        #expect(moved.status == 201 && moved["second_hand"] as? Bool == true && moved["serial"] as? String == "445566")
        // 150 points move: the seller has none left, the buyer 150 (Silver)
        #expect(try server.admin("GET", "/v1/cps/members/\(seller)")["points"] as? Int == 0)
        let member = try server.admin("GET", "/v1/cps/members/\(buyer)")
        #expect(member["points"] as? Int == 150 && member["level"] as? String == "silver")
        #expect(try server.admin("GET", "/v1/cps/members/\(seller)/points-history").items.map { $0["reason"] as? String } == ["registered", "removed"])
        #expect(try server.admin("POST", "/v1/cps/members/\(seller)/products/\(sold)/transfer", #"{"to_member_id": "\#(buyer)"}"#).status == 404)
    }
}
