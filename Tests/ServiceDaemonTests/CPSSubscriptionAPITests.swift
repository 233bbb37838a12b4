import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Subscription enrolment, invoices, payments, migration and welcome packs over HTTP.
@Suite(.serialized) struct CPSSubscriptionAPITests {
    @Test func enrolmentOffersByPointsAndIssuesTheInvoiceAtOnce() throws {
        let server = try APITestServer()
        let business = try server.cpsMember("Studio AS", email: "post@studio.example", programme: "subscription")
        let none = try server.admin("GET", "/v1/cps/members/\(business)/subscription-options")
        #expect(none["invited"] as? Bool == false && (none["options"] as? [Any])?.isEmpty == true)
        let refused = try server.admin("POST", "/v1/cps/members/\(business)/subscription", #"{"level": "silver", "payment_method": "card"}"#)
        #expect(refused.status == 422 && refused.errors["level"]?.contains("offered: none") == true)
        try server.fiveHundredPoints(business, prefix: "SUB")
        // 500 points: invited, Silver only
        let options = try server.admin("GET", "/v1/cps/members/\(business)/subscription-options")
        #expect(options["points"] as? Int == 500 && options["invited"] as? Bool == true)
        #expect((options["options"] as? [[String: Any]])?.map { $0["level"] as? String } == ["silver"])
        let gold = try server.admin("POST", "/v1/cps/members/\(business)/subscription", #"{"level": "gold", "payment_method": "card"}"#)
        #expect(gold.status == 422 && gold.errors["level"]?.hasSuffix("offered: silver") == true)
        let bad = try server.admin("POST", "/v1/cps/members/\(business)/subscription", #"{"level": "red", "payment_method": "cash"}"#)
        #expect(Set(bad.errors.keys) == ["level", "payment_method"])
        let enrolled = try server.admin("POST", "/v1/cps/members/\(business)/subscription", #"{"level": "silver", "payment_method": "card"}"#)
        #expect(enrolled.status == 201)
        let member = try #require(enrolled["member"] as? [String: Any])
        let invoice = try #require(enrolled["invoice"] as? [String: Any])
        #expect(member["level"] as? String == "silver" && (member["membership_number"] as? String)?.hasPrefix("CPS") == true)
        // issued today, due 30 days later, charged then: 9 900 cents, no fee
        let today = server.today
        #expect(invoice["issued_on"] as? String == today.description && invoice["due_on"] as? String == today.adding(days: 30).description)
        #expect(invoice["state"] as? String == "charge_scheduled" && invoice["total_minor"] as? Int == 9900 && invoice["currency"] as? String == "EUR")
        #expect(try server.admin("POST", "/v1/cps/members/\(business)/subscription", #"{"level": "silver", "payment_method": "card"}"#).status == 409)
        let invoiceID = invoice["id"] as! String
        let wrong = try server.admin("POST", "/v1/cps/invoices/\(invoiceID)/payments", #"{"amount_minor": 100, "currency": "NOK"}"#)
        #expect(wrong.status == 422 && Set(wrong.errors.keys) == ["amount_minor", "currency"])
        let charged = try server.call("POST", "/v1/cps/invoices/\(invoiceID)/payments", key: try server.key(.billing),
                                      body: #"{"amount_minor": 9900, "currency": "EUR"}"#)
        #expect(charged.status == 201 && charged["state"] as? String == "paid")
        #expect(try server.admin("POST", "/v1/cps/invoices/\(invoiceID)/payments", #"{"amount_minor": 9900, "currency": "EUR"}"#).status == 409)
        // renewal: the next year, by bank transfer with its 500 fee
        let renewal = try server.admin("POST", "/v1/cps/members/\(business)/subscription/renewal", #"{"payment_method": "bank_transfer"}"#)
        #expect(renewal.status == 201 && renewal["state"] as? String == "awaiting_payment" && renewal["total_minor"] as? Int == 10400)
        let termEnd = LocalDate(invoice["term_ends_on"] as! String)!
        #expect(renewal["term_starts_on"] as? String == termEnd.adding(days: 1).description)
        #expect(try server.admin("POST", "/v1/cps/members/\(business)/subscription/renewal", "{}").status == 409)
        // a free-programme member does not enrol
        let free = try server.cpsMember("Ada", email: "ada@example.com")
        let freeEnrolment = try server.admin("POST", "/v1/cps/members/\(free)/subscription", #"{"level": "silver", "payment_method": "card"}"#)
        #expect(freeEnrolment.status == 409 && freeEnrolment["programme"] as? String == "free")
    }

    @Test func overdueInvoicesAreListedByState() throws {
        let server = try APITestServer()
        let business = try server.cpsMember("Studio AS", email: "post@studio.example", programme: "subscription")
        let today = server.today
        let rules = APITestServer.catalogue.cps.subscription
        // issued 40 days ago by bank transfer: due 10 days ago, unpaid, so overdue
        let old = CPSInvoice.issue(id: "inv_old", memberID: business, level: .silver, method: .bankTransfer, termStartsOn: today.adding(days: -40),
                                   issuedOn: today.adding(days: -40), rules: rules)!
        let current = CPSInvoice.issue(id: "inv_new", memberID: business, level: .silver, method: .card, termStartsOn: today.adding(days: 400),
                                       issuedOn: today, rules: rules)!
        try server.application.database.write { connection in
            try CPSInvoiceStore.insert(connection, old)
            try CPSInvoiceStore.insert(connection, current)
        }
        #expect(try server.admin("GET", "/v1/cps/invoices?state=overdue").items.map { $0["id"] as? String } == ["inv_old"])
        #expect(try server.admin("GET", "/v1/cps/invoices?state=charge_scheduled").items.map { $0["id"] as? String } == ["inv_new"])
        #expect(try server.admin("GET", "/v1/cps/invoices/inv_old")["state"] as? String == "overdue")
        #expect(try server.admin("GET", "/v1/cps/invoices?state=late").status == 422)
        // a late payment still settles it
        let paid = try server.admin("POST", "/v1/cps/invoices/inv_old/payments", #"{"amount_minor": 10400, "currency": "EUR"}"#)
        #expect(paid["state"] as? String == "paid")
        #expect(try server.admin("GET", "/v1/cps/invoices?state=overdue").items.isEmpty)
    }

    @Test func migrationMovesThreeProductsOnceAndClosesTheOldAccount() throws {
        let server = try APITestServer()
        let old = try server.cpsMember("Ada", email: "ada@old.example")
        try server.register(old, "eos-r1", serial: "MIG0001")
        try server.register(old, "rf-400mm-f2-8l-is-usm", serial: "MIG0002")
        #expect(try server.admin("POST", "/v1/cps/members/\(old)/products", #"{"product_id": "speedlite-el-1", "serial": "MIG0003"}"#).status == 201)
        let business = try server.cpsMember("Ada Studio", email: "ada@studio.example", programme: "subscription")
        let moved = try server.admin("POST", "/v1/cps/members/\(business)/migrate", #"{"from_email": "ADA@old.example"}"#)
        #expect(moved.status == 200 && moved["already_migrated"] as? Bool == false)
        #expect((moved["products"] as? [Any])?.count == 3)
        // 100 + 150 counted; the Speedlite's 20 wait for its details
        #expect((moved["member"] as? [String: Any])?["points"] as? Int == 250)
        let closed = try server.admin("GET", "/v1/cps/members/\(old)")
        #expect(closed["status"] as? String == "closed" && closed["migrated_to"] as? String == business && closed["points"] as? Int == 0)
        let oldHistory = try server.admin("GET", "/v1/cps/members/\(old)/points-history").items.map { $0["reason"] as? String }
        #expect(oldHistory == ["registered", "registered", "migrated_out", "migrated_out"])
        let newHistory = try server.admin("GET", "/v1/cps/members/\(business)/points-history").items
        #expect(newHistory.map { $0["reason"] as? String } == ["migrated_in", "migrated_in"])
        #expect(newHistory.last?["total_after"] as? Int == 250)
        #expect(try server.admin("GET", "/v1/cps/members/\(business)/products").json["items"].map { ($0 as! [Any]).count } == 3)
        // again: the same answer, nothing new
        let again = try server.admin("POST", "/v1/cps/members/\(business)/migrate", #"{"from_email": "ada@old.example"}"#)
        #expect(again.status == 200 && again["already_migrated"] as? Bool == true && (again["products"] as? [Any])?.count == 3)
        #expect(try server.admin("GET", "/v1/cps/members/\(business)")["points"] as? Int == 250)
        let other = try server.cpsMember("Other", email: "other@studio.example", programme: "subscription")
        #expect(try server.admin("POST", "/v1/cps/members/\(other)/migrate", #"{"from_email": "ada@old.example"}"#).status == 409)
        #expect(try server.admin("POST", "/v1/cps/members/\(other)/migrate", #"{"from_email": "nobody@old.example"}"#).status == 404)
        #expect(try server.admin("POST", "/v1/cps/members/\(other)/migrate", #"{"from_email": "nope"}"#).errors["from_email"] != nil)
        let audit = try server.admin("GET", "/v1/audit?limit=500").items.filter { $0["action"] as? String == "cps.member.migrate" }
        #expect(audit.count == 1)
    }

    @Test func oneWelcomePackPerMemberEver() throws {
        let server = try APITestServer()
        let address = #"{"address": {"recipient": "Ada L", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}}"#
        let member = try server.cpsMember("Ada", email: "ada@example.com")
        let red = try server.admin("POST", "/v1/cps/members/\(member)/welcome-pack", address)
        #expect(red.status == 409 && (red["detail"] as? String)?.contains("gets the welcome pack from Silver") == true)
        let registration = try server.register(member, "eos-r1", serial: "WP0001")
        let requested = try server.admin("POST", "/v1/cps/members/\(member)/welcome-pack", address)
        #expect(requested.status == 201 && requested["state"] as? String == "requested" && requested["level_at_request"] as? String == "silver")
        let second = try server.admin("POST", "/v1/cps/members/\(member)/welcome-pack", address)
        #expect(second.status == 409)
        // still one after the level drops to Red
        #expect(try server.admin("DELETE", "/v1/cps/members/\(member)/products/\(registration)").status == 204)
        #expect(try server.admin("POST", "/v1/cps/members/\(member)/welcome-pack", address).status == 409)
        let pack = requested["id"] as! String
        #expect(try server.admin("GET", "/v1/cps/welcome-packs?state=requested").items.map { $0["id"] as? String } == [pack])
        let sent = try server.admin("POST", "/v1/cps/welcome-packs/\(pack)/sent", "{}")
        #expect(sent.status == 200 && sent["state"] as? String == "sent")
        #expect(try server.admin("GET", "/v1/cps/welcome-packs?state=requested").items.isEmpty)
        #expect(try server.admin("POST", "/v1/cps/welcome-packs/\(pack)/sent", "{}").status == 409)
        let badAddress = try server.admin("POST", "/v1/cps/members/\(member)/welcome-pack", #"{"address": {"line1": "", "country": "Norge"}}"#)
        #expect(Set(badAddress.errors.keys) == ["address.recipient", "address.line1", "address.postal_code", "address.city", "address.country"])
    }

    @Test func anEnrolmentRepeatedWithItsIdempotencyKeyIssuesOneInvoice() throws {
        let server = try APITestServer()
        let business = try server.cpsMember("Studio AS", email: "post@studio.example", programme: "subscription")
        try server.fiveHundredPoints(business, prefix: "IDEM")
        let body = #"{"level": "silver", "payment_method": "bank_transfer"}"#
        let first = try server.admin("POST", "/v1/cps/members/\(business)/subscription", body, headers: ["Idempotency-Key: enrol-1"])
        let again = try server.admin("POST", "/v1/cps/members/\(business)/subscription", body, headers: ["Idempotency-Key: enrol-1"])
        #expect(first.status == 201 && again.status == 201 && again.header("Idempotent-Replayed") == "true")
        #expect((first["invoice"] as? [String: Any])?["id"] as? String == (again["invoice"] as? [String: Any])?["id"] as? String)
        #expect(try server.admin("GET", "/v1/cps/invoices?member_id=\(business)").items.count == 1)
        // 9 900 + the 500 transfer fee
        #expect((first["invoice"] as? [String: Any])?["total_minor"] as? Int == 10400)
        // an unknown query parameter is named, not ignored
        let unknown = try server.admin("GET", "/v1/cps/members/\(business)?level_on=2026-01-01")
        #expect(unknown.status == 422 && unknown.errors["level_on"] != nil)
    }
}

