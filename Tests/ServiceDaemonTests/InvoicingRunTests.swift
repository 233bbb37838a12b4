import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Prepaid invoicing over HTTP and from the CLI. Both contracts prepay
/// 12 000.00 kr a year (1 200 000 øre): dealer A's quarterly from 10 February
/// 2026, dealer B's yearly (the default) for 2026.
@Suite(.serialized) struct InvoicingRunTests {
    struct Fixture {
        let server: APITestServer
        let a: APITestServer.DealerFixture
        let b: APITestServer.DealerFixture
        let contractA: String
        let contractB: String
    }

    static func fixture() throws -> Fixture {
        let server = try APITestServer()
        let a = try server.dealer("Alpha", serial: "INV-A")
        let b = try server.dealer("Beta", serial: "INV-B")
        let createdA = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], from: "2026-02-10", extra: #", "billing_frequency": "quarterly""#))
        precondition(createdA.status == 201, "\(createdA.json)")
        let createdB = try server.call("POST", "/v1/contracts", key: b.key, body: APITestServer.contractBody(customer: b.customerID, serials: [b.serial]))
        precondition(createdB.status == 201, "\(createdB.json)")
        return Fixture(server: server, a: a, b: b, contractA: createdA["id"] as! String, contractB: createdB["id"] as! String)
    }

    static func line(_ lines: [[String: Any]], contract: String) -> [String: Any]? {
        lines.first { $0["contract_id"] as? String == contract }
    }

    @Test func aRunInvoicesEachContractsBillingPeriodsInAdvanceOnce() throws {
        let f = try Self.fixture()
        #expect(try f.server.admin("GET", "/v1/contracts/\(f.contractA)")["billing_frequency"] as? String == "quarterly")
        #expect(try f.server.admin("GET", "/v1/contracts/\(f.contractB)")["billing_frequency"] as? String == "yearly")

        // A's Q1 from 10 February: 19 + 31 = 50 of 90 days, 1 200 000 x 50 / (4 x 90) = 166 666.67 -> 166 667.
        // B's whole 2026, the yearly period overlapping Q1, in advance: 1 200 000. Total 1 366 667.
        let dry = try f.server.admin("POST", "/v1/invoicing-runs", #"{"period": "2026-Q1", "dry_run": true}"#)
        #expect(dry.status == 200, "\(dry.json)")
        #expect((dry["total_minor"] as? Int, dry["line_count"] as? Int, dry["dry_run"] as? Bool) == (1_366_667, 2, true))
        let dryLines = dry["lines"] as? [[String: Any]] ?? []
        let a = Self.line(dryLines, contract: f.contractA)
        #expect((a?["billing_period"] as? String, a?["covered_days"] as? Int, a?["amount_minor"] as? Int) == ("2026-Q1", 50, 166_667))
        #expect((a?["kind"] as? String, a?["adjustment"] as? Bool) == ("prepaid", false))
        let b = Self.line(dryLines, contract: f.contractB)
        #expect((b?["billing_period"] as? String, b?["covered_days"] as? Int, b?["amount_minor"] as? Int) == ("2026", 365, 1_200_000))
        #expect((b?["explanation"] as? [String: Any])?["billing_frequency"] as? String == "yearly")

        // The dry run as CSV: every line, streamed while the run computes them.
        let dryCSV = try HTTPTestSupportClient.make(f.server).request(
            "POST", "/v1/invoicing-runs", headers: ["Authorization: Bearer \(f.server.adminKey)", "Accept: text/csv", "Content-Type: application/json"],
            body: #"{"period": "2026-Q1", "dry_run": true}"#)
        #expect((dryCSV.status, dryCSV.header("Transfer-Encoding")) == (200, "chunked"))
        #expect(dryCSV.text.split(separator: "\r\n").count == 3)
        #expect(dryCSV.text.contains("prepaid,\(f.contractA),\(f.a.customerID),\(f.a.id),2026-Q1,false,50,166667,NOK,"))

        // The dry run stored nothing: the stored run invoices the same.
        let run = try f.server.admin("POST", "/v1/invoicing-runs", #"{"period": "2026-Q1", "dry_run": false}"#)
        #expect(run.status == 201, "\(run.json)")
        #expect((run["total_minor"] as? Int, run["line_count"] as? Int, run["period"] as? String) == (1_366_667, 2, "2026-Q1"))
        let id = run["id"] as! String
        #expect(run.header("Location") == "/v1/invoicing-runs/\(id)")

        // Idempotent per contract and period: again, nothing; nor for a month of the quarter.
        for period in ["2026-Q1", "2026-02"] {
            let again = try f.server.admin("POST", "/v1/invoicing-runs", #"{"period": "\#(period)", "dry_run": false}"#)
            #expect((again.status, again["line_count"] as? Int, again["total_minor"] as? Int) == (201, 0, 0), "\(period)")
        }

        // Each dealer sees its own customers' lines and total only.
        let asA = try f.server.call("GET", "/v1/invoicing-runs/\(id)", key: f.a.key)
        #expect((asA["total_minor"] as? Int, asA["line_count"] as? Int) == (166_667, 1))
        #expect(try f.server.call("GET", "/v1/invoicing-runs/\(id)/lines", key: f.a.key).items.compactMap { $0["contract_id"] as? String } == [f.contractA])
        #expect(try f.server.call("GET", "/v1/invoicing-runs/\(id)/lines", key: f.b.key).items.compactMap { $0["contract_id"] as? String } == [f.contractB])
        #expect(try f.server.call("GET", "/v1/invoicing-runs/\(id)", key: f.b.key)["total_minor"] as? Int == 1_200_000)
        #expect(try f.server.call("POST", "/v1/invoicing-runs", key: f.a.key, body: #"{"period": "2026-Q1", "dry_run": true}"#).status == 403)
        #expect(try f.server.call("GET", "/v1/invoicing-runs/\(id)", key: nil).status == 401)
        #expect(try f.server.admin("GET", "/v1/invoicing-runs/ivr_nope").status == 404)

        // Paged, and every line as CSV.
        let page = try f.server.admin("GET", "/v1/invoicing-runs/\(id)/lines?limit=1")
        #expect(page.items.count == 1 && page["next_cursor"] is String)
        let csv = try HTTPTestSupportClient.make(f.server).request("GET", "/v1/invoicing-runs/\(id)/lines",
                                                                  headers: ["Authorization: Bearer \(f.a.key)", "Accept: text/csv"])
        // Streamed page by page (chunked), never built whole.
        #expect(csv.header("Transfer-Encoding") == "chunked")
        let rows = csv.text.split(separator: "\r\n")
        #expect(rows.first.map(String.init) == PrepaidLine.csvHeader.trimmingCharacters(in: .newlines))
        #expect(rows.count == 2)
        #expect(rows.last?.hasPrefix("prepaid,\(f.contractA),\(f.a.customerID),\(f.a.id),2026-Q1,false,50,166667,NOK,") == true)
    }

    @Test func aTerminationCreditsThePrepaidDaysAfterItInTheNextRun() throws {
        let f = try Self.fixture()
        #expect(try f.server.admin("POST", "/v1/invoicing-runs", #"{"period": "2026-Q1", "dry_run": false}"#).status == 201)
        let terminated = try f.server.call("POST", "/v1/contracts/\(f.contractA)/terminate", key: f.a.key, body: #"{"effective_on": "2026-03-01"}"#)
        #expect(terminated.status == 200, "\(terminated.json)")
        // The Q2 run: A covers no day of Q2 (nothing to invoice), and its Q1 now covers 10 February to 1 March,
        // 19 + 1 = 20 days: 1 200 000 x 20 / 360 = 66 666.67 -> 66 667; 166 667 were invoiced: a credit of 100 000
        // for 30 days. B's 2026 was invoiced already: nothing.
        let run = try f.server.admin("POST", "/v1/invoicing-runs", #"{"period": "2026-Q2", "dry_run": false}"#)
        #expect((run["line_count"] as? Int, run["total_minor"] as? Int) == (1, -100_000), "\(run.json)")
        let lines = try f.server.admin("GET", "/v1/invoicing-runs/\(run["id"] as! String)/lines").items
        let credit = lines.first
        #expect((credit?["kind"] as? String, credit?["billing_period"] as? String, credit?["adjustment"] as? Bool) == ("prepaid_credit", "2026-Q1", true))
        #expect((credit?["amount_minor"] as? Int, credit?["covered_days"] as? Int) == (-100_000, -30))
        let explanation = credit?["explanation"] as? [String: Any]
        #expect((explanation?["terminated_on"] as? String, explanation?["credited_days"] as? Int) == ("2026-03-01", 30))
        // Credited once.
        #expect(try f.server.admin("POST", "/v1/invoicing-runs", #"{"period": "2026-Q3", "dry_run": false}"#)["line_count"] as? Int == 0)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let body: String
        let fields: [String]
        var testDescription: String { name }
    }

    static let malformed: [Bad] = [
        Bad(name: "empty", body: "{}", fields: ["period", "dry_run"]),
        Bad(name: "fifth quarter", body: #"{"period": "2026-Q5", "dry_run": true}"#, fields: ["period"]),
        Bad(name: "thirteenth month", body: #"{"period": "2026-13", "dry_run": true}"#, fields: ["period"]),
        Bad(name: "a day", body: #"{"period": "2026-04-01", "dry_run": true}"#, fields: ["period"]),
        Bad(name: "before 2000", body: #"{"period": "1999", "dry_run": true}"#, fields: ["period"]),
        Bad(name: "period as a number", body: #"{"period": 2026, "dry_run": true}"#, fields: ["period"]),
        Bad(name: "dry run as text", body: #"{"period": "2026", "dry_run": "yes"}"#, fields: ["dry_run"]),
        Bad(name: "unknown field", body: #"{"period": "2026", "dry_run": false, "year": 2026}"#, fields: ["year"]),
    ]

    @Test(arguments: malformed)
    func malformedRunsAreRefusedNamingTheFieldAndStoreNothing(_ bad: Bad) throws {
        let f = try Self.fixture()
        let reply = try f.server.admin("POST", "/v1/invoicing-runs", bad.body)
        #expect(reply.status == 422, "\(reply.json)")
        #expect(Set(reply.errors.keys) == Set(bad.fields), "\(reply.json)")
        #expect(try f.server.application.database.read { try $0.fetchScalar("SELECT count(*) FROM invoicing_runs", as: Int.self) } == 0)
    }

    @Test func aContractsBillingFrequencyIsOneOfThree() throws {
        let server = try APITestServer()
        let a = try server.dealer("Alpha", serial: "INV-F")
        let reply = try server.call("POST", "/v1/contracts", key: a.key, body: APITestServer.contractBody(
            customer: a.customerID, serials: [a.serial], extra: #", "billing_frequency": "weekly""#))
        #expect(reply.status == 422)
        #expect(reply.errors["billing_frequency"] == "must be one of yearly, quarterly, monthly")
    }
}

@Suite struct InvoiceCommandTests {
    @Test func cronRunInvoicesOnceAndWritesLines() throws {
        let f = try InvoicingRunTests.fixture()
        let db = f.server.application.configuration.databasePath
        let directory = try TemporaryDirectory()
        let output = directory.path("lines.csv")
        let first = try DaemonProcess.run(["invoice", "--period", "2026-Q1", "--db", db, "--format", "csv", "--output", output])
        #expect(first.status == 0, "\(first.stderr)")
        // 166 667 + 1 200 000 (see InvoicingRunTests).
        #expect(first.stdout.hasPrefix("invoicing run ivr_"))
        #expect(first.stdout.contains("for 2026-Q1: 2 lines, total 13666.67 NOK"))
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\r\n").count == 3)
        let second = try DaemonProcess.run(["invoice", "--period", "2026-Q1", "--db", db, "--dry-run"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("dry run for 2026-Q1: 0 lines, total 0.00 NOK"))
        // The daemon serving the same database sees the CLI's run.
        let id = first.stdout.split(separator: " ")[2]
        #expect(try f.server.admin("GET", "/v1/invoicing-runs/\(id)")["total_minor"] as? Int == 1_366_667)
        let bad = try DaemonProcess.run(["invoice", "--period", "2026-Q5", "--db", db])
        #expect(bad.status != 0 && bad.stderr.contains("--period must be a year"))
    }
}
