import Foundation
import Testing
@testable import ServiceDaemon

@Suite struct ContractAPITests {
    @Test func devicesMustBelongToTheCustomer() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "CA-1")
        let other = try server.call("POST", "/v1/customers", key: a.key, body: #"{"name": "Other customer"}"#)["id"] as! String
        let reply = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: other, serials: [a.serial, "NOPE"]))
        #expect(reply.status == 422)
        #expect(reply.errors["device_serials[0]"]?.contains("not registered to customer") == true)
        #expect(reply.errors["device_serials[1]"] != nil)
    }

    @Test func overlappingPeriodsConflictAndAdjacentOnesDoNot() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "OV-1")
        let first = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))
        #expect(first.status == 201)
        let firstID = first["id"] as! String
        let overlapping = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], from: "2026-12-31", to: "2027-12-30"))
        #expect(overlapping.status == 409)
        #expect(overlapping["conflicting_contract_id"] as? String == firstID)
        #expect((overlapping["detail"] as? String)?.contains(firstID) == true)
        let adjacent = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], from: "2027-01-01", to: "2027-12-31"))
        #expect(adjacent.status == 201)
    }

    @Test func terminationFreesTheRestOfThePeriod() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "TE-1")
        let id = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))["id"] as! String
        let outside = try server.call("POST", "/v1/contracts/\(id)/terminate", key: a.key, body: #"{"effective_on": "2027-01-05"}"#)
        #expect(outside.status == 422)
        let terminated = try server.call("POST", "/v1/contracts/\(id)/terminate", key: a.key, body: #"{"effective_on": "2026-06-30"}"#)
        #expect(terminated.status == 200)
        #expect(terminated["terminated_on"] as? String == "2026-06-30")
        #expect(try server.call("POST", "/v1/contracts/\(id)/terminate", key: a.key, body: #"{"effective_on": "2026-05-31"}"#).status == 409)
        let successor = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], tier: "premium", from: "2026-07-01", to: "2027-06-30"))
        #expect(successor.status == 201)
        let activeJune = try server.call("GET", "/v1/contracts?device_serial=\(a.serial)&active_on=2026-06-30", key: a.key)
        #expect(activeJune.items.map { $0["id"] as? String } == [id])
        let activeJuly = try server.call("GET", "/v1/contracts?device_serial=\(a.serial)&active_on=2026-07-01", key: a.key)
        #expect(activeJuly.items.map { $0["id"] as? String } == [successor["id"] as? String])
    }

    @Test func amendmentsKeepADatedTierHistory() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "AM-1")
        let id = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(customer: a.customerID, serials: [a.serial]))["id"] as! String
        let july = try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-07-01", "tier": "premium"}"#)
        #expect(july.status == 201)
        let october = try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-10-01", "tier": "standard"}"#)
        #expect(october.status == 201)
        let history = try #require(try server.call("GET", "/v1/contracts/\(id)", key: a.key)["tier_history"] as? [[String: String]])
        #expect(history == [
            ["effective_on": "2026-01-01", "tier": "standard"],
            ["effective_on": "2026-07-01", "tier": "premium"],
            ["effective_on": "2026-10-01", "tier": "standard"],
        ])
        #expect(try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-07-01", "tier": "plus"}"#).status == 409)
        #expect(try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-01-01", "tier": "plus"}"#).status == 422)
        #expect(try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2027-01-01", "tier": "plus"}"#).status == 422)
        #expect(try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-11-01", "tier": "standard"}"#).status == 422)
        #expect(try server.call("POST", "/v1/contracts/\(id)/amendments", key: a.key, body: #"{"effective_on": "2026-11-01", "tier": "gold"}"#).status == 422)
    }

    struct BadContract: CustomTestStringConvertible, Sendable {
        let name: String
        let extra: String
        let field: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadContract(name: "option outside the package", extra: #", "options": ["connectivity"]"#, field: "options[0]"),
        BadContract(name: "banner price without agreement", extra: #", "banner_click_price_minor": 300"#, field: "banner_click_price_minor"),
        BadContract(name: "unknown field", extra: #", "discount": 10"#, field: "discount"),
        // Security activation is included ("kan nedgraderes"): no longer an option to buy.
        BadContract(name: "included service as an option", extra: #", "options": ["security_activation"]"#, field: "options[0]"),
        BadContract(name: "downgrade of a service that is not downgradable", extra: #", "downgrades": ["pre_install"]"#, field: "downgrades[0]"),
        BadContract(name: "downgrade of a service not in the package", extra: #", "downgrades": ["security_activation", "connectivity"]"#, field: "downgrades[1]"),
        BadContract(name: "downgrade repeated", extra: #", "downgrades": ["security_activation", "security_activation"]"#, field: "downgrades"),
        BadContract(name: "downgrades not a list", extra: #", "downgrades": "security_activation""#, field: "downgrades"),
    ])
    func invalidContractFields(_ bad: BadContract) throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "BC-1")
        var body = APITestServer.contractBody(customer: a.customerID, serials: [a.serial], extra: bad.extra)
        if bad.extra.contains("options") { body = body.replacingOccurrences(of: #""options": ["user_training"], "#, with: "") }
        let reply = try server.call("POST", "/v1/contracts", key: a.key, body: body)
        #expect(reply.status == 422)
        #expect(reply.errors[bad.field] != nil, "\(reply.json)")
        #expect(try server.call("GET", "/v1/contracts", key: a.key).items.isEmpty)
    }

    @Test func everyBadFieldIsListed() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "EV-1")
        let reply = try server.call("POST", "/v1/contracts", key: a.key, body: """
            {"customer_id": 7, "device_serials": [], "tier": "gold", "starts_on": "2026-02-30", "ends_on": "2026-01-01",
             "prepaid": {"amount_minor": -5, "currency": "SEK"}, "implementation_package": "deluxe", "banner_agreed": "yes"}
            """)
        #expect(reply.status == 422)
        #expect(Set(reply.errors.keys) == ["customer_id", "device_serials", "tier", "starts_on", "prepaid.amount_minor",
                                           "prepaid.currency", "implementation_package", "banner_agreed"])
    }

    /// A downgrade is recorded on the contract, shown on GET and in the audit
    /// trail; without one the contract keeps every included service.
    @Test func securityActivationDowngradeIsRecorded() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "DG-1")
        let created = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], extra: #", "downgrades": ["security_activation"]"#))
        #expect(created.status == 201, "\(created.json)")
        let id = try #require(created["id"] as? String)
        let shown = try server.call("GET", "/v1/contracts/\(id)", key: a.key)
        #expect(shown["downgrades"] as? [String] == ["security_activation"])
        #expect(shown["options"] as? [String] == ["user_training"])
        let audit = try server.admin("GET", "/v1/audit")
        let entry = try #require(audit.items.last { $0["action"] as? String == "contract.create" })
        #expect((entry["detail"] as? [String: Any])?["downgrades"] as? [String] == ["security_activation"])

        let b = try server.dealer("B", serial: "DG-2")
        let kept = try server.call("POST", "/v1/contracts", key: b.key, body: APITestServer.contractBody(customer: b.customerID, serials: [b.serial]))
        #expect(kept.status == 201)
        #expect(kept["downgrades"] as? [String] == [])

        // The catalogue route shows the same reading: included and downgradable in every package.
        let packages = try #require(try server.call("GET", "/v1/catalogue", key: a.key)["implementation_packages"] as? [[String: Any]])
        #expect(packages.count == 3)
        for package in packages {
            #expect((package["included"] as? [String])?.contains("security_activation") == true)
            #expect(package["downgradable"] as? [String] == ["security_activation"])
            #expect((package["optional"] as? [String])?.contains("security_activation") == false)
        }
    }

    @Test func agreedBannerPriceIsKept() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "BN-1")
        let reply = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], extra: #", "banner_click_price_minor": 199"#).replacingOccurrences(of: #""banner_agreed": false"#, with: #""banner_agreed": true"#))
        #expect(reply.status == 201)
        #expect(reply["banner_agreed"] as? Bool == true)
        #expect(reply["banner_click_price_minor"] as? Int == 199)
    }
}

@Suite struct DeviceAPITests {
    @Test func registrationRules() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "DV-1")
        let b = try server.dealer("B", serial: "DV-2")
        let lower = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "DV-3", "model": "IMAGERUNNER c1335IF", "customer_id": "\#(a.customerID)", "installed_on": "2026-03-15"}"#)
        #expect(lower.status == 201)
        #expect(lower["model"] as? String == "imageRUNNER C1335iF")
        #expect(lower["family"] as? String == "irc-13x5")
        #expect(lower["ip_address"] is NSNull)
        let unknown = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "DV-4", "model": "LaserJet 4", "customer_id": "\#(a.customerID)"}"#)
        #expect(unknown.status == 422)
        #expect(unknown.errors["model"] != nil)
        // A serial is unique across dealers: B learns only that it is taken.
        let duplicate = try server.call("POST", "/v1/devices", key: b.key, body: #"{"serial": "DV-1", "model": "imageRUNNER C1325iF", "customer_id": "\#(b.customerID)"}"#)
        #expect(duplicate.status == 409)
        let badFields = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "bad serial!", "model": "imageRUNNER C1325iF", "customer_id": "\#(a.customerID)", "ip_address": "300.1.1.1", "installed_on": "yesterday"}"#)
        #expect(Set(badFields.errors.keys) == ["serial", "ip_address", "installed_on"])
        let cleared = try server.call("PATCH", "/v1/devices/DV-1", key: a.key, body: #"{"ip_address": null}"#)
        #expect(cleared.status == 200)
        #expect(cleared["ip_address"] is NSNull)
        #expect(try server.call("PATCH", "/v1/devices/DV-1", key: a.key, body: "{}").status == 422)
        let byCustomer = try server.call("GET", "/v1/devices?customer_id=\(a.customerID)", key: a.key)
        #expect(Set(byCustomer.items.compactMap { $0["serial"] as? String }) == ["DV-1", "DV-3"])
    }

    /// Any spelling of a served model registers, stored under Canon's name;
    /// an unknown one is refused naming the closest families and stores nothing.
    @Test func modelsResolveToTheirFamilyAndCanonicalName() throws {
        let server = try APITestServer()
        let a = try server.dealer("A", serial: "MD-1")
        let cases = [
            ("MD-2", "IR-ADV C3826i", "imageRUNNER ADVANCE DX C3826i", "iradv-c3xxx"),
            ("MD-3", "imagerunner advance c250i", "imageRUNNER ADVANCE C250i", "iradv-c25x-c35x-c351"),
            ("MD-4", "iR ADV C5255", "imageRUNNER ADVANCE C5255", "iradv-c5x50-55-60"),
            ("MD-5", "iR-ADV C5540i III", "imageRUNNER ADVANCE C5540i III", "iradv-c5x35-40"),
        ]
        for (serial, written, canonical, family) in cases {
            let reply = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "\#(serial)", "model": "\#(written)", "customer_id": "\#(a.customerID)"}"#)
            #expect(reply.status == 201, "\(written)")
            #expect(reply["model"] as? String == canonical)
            #expect(reply["family"] as? String == family)
            #expect(try server.call("GET", "/v1/devices/\(serial)", key: a.key)["model"] as? String == canonical)
        }
        let unknown = try server.call("POST", "/v1/devices", key: a.key, body: #"{"serial": "MD-6", "model": "imageRUNNER ADVANCE DX C5870i", "customer_id": "\#(a.customerID)"}"#)
        #expect(unknown.status == 422)
        let message = try #require(unknown.errors["model"])
        #expect(message.contains("closest families") && message.contains("iradv-c5x35-40") && message.contains("iradv-c5x50-55-60"))
        #expect(!message.contains("iradv-c3xxx"))
        #expect(try server.call("GET", "/v1/devices/MD-6", key: a.key).status == 404)
    }

    @Test func adminMustNameTheDealerOfACustomer() throws {
        let server = try APITestServer()
        let reply = try server.admin("POST", "/v1/customers", #"{"name": "Orphan"}"#)
        #expect(reply.status == 422)
        #expect(reply.errors["dealer_id"] == "is required with an admin key")
    }
}
