import Foundation
import Testing
@testable import ServiceDaemon

/// The issue's case: 2025 billed with the IR ADV C3xxx colour click at
/// 0.59, then the catalogue's price changed to 0.69. Undated, the change
/// would re-price a closed year: `bill` and `serve` refuse the catalogue,
/// naming the year. Dated 1 January 2026, 2025 bills nothing more.
@Suite struct DatedPriceListTests {
    static func catalogue(_ directory: TemporaryDirectory, _ name: String, _ edit: (String) -> String) throws -> String {
        let path = directory.path(name)
        try edit(try String(contentsOfFile: DaemonProcess.catalogue, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aClosedYearKeepsItsPrices() throws {
        // BILL-B: 61 000 colour pages over a 60 000 allowance, 1 000 x 59 = 590.00;
        // BILL-A 2 000 x 59 = 1 180.00; 90 uncovered minutes 1 425.00: 3 195.00 NOK.
        let f = try BillingRunTests.fixture()
        let db = f.server.application.configuration.databasePath
        let directory = try TemporaryDirectory()
        let billed = try DaemonProcess.run(["bill", "--year", "2025", "--db", db])
        #expect(billed.status == 0, "\(billed.stderr)")
        #expect(billed.stdout.contains("for 2025: 3 lines, total 3195.00 NOK"))

        let undated = try Self.catalogue(directory, "undated.json") {
            $0.replacingOccurrences(of: #""colour_click_price_minor": 59"#, with: #""colour_click_price_minor": 69"#)
        }
        let refused = try DaemonProcess.run(["bill", "--year", "2025", "--db", db], catalogue: undated)
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("changes prices of 2025 (2025-01-01 through 2025-12-31)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("model_families.iradv-c3xxx.colour_click_price_minor was 59, is 69 from 2025-01-01"))
        // Another year is refused too: the catalogue is wrong, whatever is billed with it.
        #expect(try DaemonProcess.run(["bill", "--year", "2026", "--db", db, "--dry-run"], catalogue: undated).status == 78)
        let serve = try DaemonProcess.run(["serve", "--db", db, "--port", "0"], catalogue: undated)
        #expect(serve.status == 78)
        #expect(serve.stderr.contains("changes prices of 2025"), "\(serve.stderr)")

        let dated = try Self.catalogue(directory, "dated.json") {
            $0.replacingOccurrences(of: #""price_versions": []"#, with: """
                "price_versions": [{"id": "2026", "effective_from": "2026-01-01", "model_families": {"iradv-c3xxx": {"colour_click_price_minor": 69}}}]
                """)
        }
        // Before the fix this answered "1 lines, total 2998.90 NOK" (the year again at 0.69).
        let again = try DaemonProcess.run(["bill", "--year", "2025", "--db", db, "--format", "json", "--output", directory.path("again.jsonl")],
                                          catalogue: dated)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("for 2025: 0 lines, total 0.00 NOK"), "\(again.stdout)")
        // The daemon's own runs name the version in each line.
        let lines = try f.server.admin("GET", "/v1/billing-runs").items
        let run = try #require(lines.first)
        let line = try #require(try f.server.admin("GET", "/v1/billing-runs/\(run["id"] as! String)/lines").items.first {
            $0["device_serial"] as? String == "BILL-B"
        })
        let versions = (line["explanation"] as? [String: Any])?["price_versions"] as? [[String: Any]]
        #expect(versions?.map { $0["id"] as? String } == ["base"])
    }
}
