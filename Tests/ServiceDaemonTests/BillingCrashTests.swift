import Foundation
import HTTPTestSupport
import ServiceCore
import Testing
@testable import ServiceDaemon

/// Billing runs whose process dies: `bill` and the daemon are killed with
/// SIGKILL at random moments of a stored run, 20 times. Every time the next
/// run (through the other runner) succeeds at once, nothing of the dead run
/// is left, and the year's completed lines add up, per device, kind and
/// channel, to a fresh computation over a copy of the data without any runs.
@Suite struct BillingCrashTests {
    static let devices = 1_200
    static let rounds = 20

    @Test func killedRunsNeverBlockTheYearNorCount() throws {
        let server = try APITestServer()
        let db = server.application.configuration.databasePath
        let dealer = try server.dealer("Crash", serial: "CRASH-0")
        let client = try HTTPTestSupportClient.make(server)
        let key = ["Authorization: Bearer \(dealer.key)", "Content-Type: application/json"]
        let serials = (0..<Self.devices).map { "CRASH-\($0)" }
        for serial in serials.dropFirst() {
            let created = try client.request("POST", "/v1/devices", headers: key, body: """
                {"serial": "\(serial)", "model": "imageRUNNER ADVANCE C3530i", "customer_id": "\(dealer.customerID)"}
                """)
            try #require(created.status == 201)
        }
        for start in stride(from: 0, to: serials.count, by: 400) {  // at most 500 devices a contract
            let contract = try server.call("POST", "/v1/contracts", key: dealer.key, body: APITestServer.contractBody(
                customer: dealer.customerID, serials: Array(serials[start..<min(start + 400, serials.count)]), from: "2025-01-01", to: "2025-12-31"))
            try #require(contract.status == 201, "\(contract.json)")
        }
        // 61 000 colour pages by 1 Dec over an allowance of 60 000; each round adds a reading later in December.
        try #require(try server.call("POST", "/v1/meter-readings", key: dealer.key, body: MeteringAPITests.batch(serials.enumerated().flatMap { index, serial in
            [MeteringAPITests.reading(serial, "2025-01-01T00:00:00+01:00", bw: 0, colour: 0),
             MeteringAPITests.reading(serial, "2025-12-01T00:00:00+01:00", bw: 0, colour: 61_000 + index)]
        })).status == 200)

        var orphans = 0
        var window = 0.5
        for round in 0..<Self.rounds {
            let day = String(format: "%02d", round + 2)
            try #require(try server.call("POST", "/v1/meter-readings", key: dealer.key, body: MeteringAPITests.batch(serials.enumerated().map { index, serial in
                MeteringAPITests.reading(serial, "2025-12-\(day)T00:00:00+01:00", bw: 0, colour: 61_000 + index + 150 * (round + 1))
            })).status == 200)

            // Killed: `bill` on even rounds, the daemon on odd ones.
            let victim: DaemonProcess
            if round % 2 == 0 {
                victim = try DaemonProcess(["bill", "--year", "2025", "--db", db])
            } else {
                victim = try DaemonProcess(["serve", "--port", "0", "--db", db])
                try victim.waitUntilListening()
                try victim.client().send("POST /v1/billing-runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.adminKey)\r\n"
                                         + "Content-Type: application/json\r\nContent-Length: 32\r\n\r\n{\"year\": 2025, \"dry_run\": false}")
            }
            usleep(UInt32(Double.random(in: 0...window) * 1_000_000))
            kill(victim.process.processIdentifier, SIGKILL)
            victim.wait()
            orphans += try server.application.database.read {
                try $0.fetchScalar("SELECT count(*) FROM billing_runs WHERE status = 'running'", as: Int.self)
            }

            // The next run, through the other runner, succeeds at once.
            let next = Date()
            if round % 2 == 0 {
                let daemon = try DaemonProcess(["serve", "--port", "0", "--db", db])
                try daemon.waitUntilListening()
                let response = try daemon.client().request("POST", "/v1/billing-runs", headers: [
                    "Authorization: Bearer \(server.adminKey)", "Content-Type: application/json"], body: #"{"year": 2025, "dry_run": false}"#)
                #expect(response.status == 201, "round \(round): \(response.text)")
                daemon.terminate()
                #expect(daemon.wait() == 0)
            } else {
                let bill = try DaemonProcess.run(["bill", "--year", "2025", "--db", db])
                #expect(bill.status == 0, "round \(round): \(bill.stderr)")
            }
            // Kill moments cover the whole of a run as long as this machine takes.
            window = max(0.2, Date().timeIntervalSince(next) * 1.2)
            try Self.expectYearMatchesAFreshComputation(server, round: round)
        }
        // The kills did land inside runs (a run was left `running`).
        #expect(orphans > 0)
    }

    typealias Key = String

    static func expectYearMatchesAFreshComputation(_ server: APITestServer, round: Int) throws {
        let database = server.application.database
        let (running, stray, billed) = try database.read { connection in
            var billed: [Key: Int] = [:]
            for row in try connection.fetchAll("""
                SELECT l.device_serial || '/' || l.kind || '/' || l.channel, sum(l.amount_minor)
                FROM billing_lines l JOIN billing_runs r ON r.id = l.run_id WHERE l.year = 2025 AND r.status = 'completed' GROUP BY 1
                """) {
                let amount: Int = try row.get(1)
                if amount != 0 { billed[try row.get(0)] = amount }
            }
            return (try connection.fetchScalar("SELECT count(*) FROM billing_runs WHERE status = 'running'", as: Int.self),
                    try connection.fetchScalar("""
                        SELECT count(*) FROM billing_lines WHERE run_id NOT IN (SELECT id FROM billing_runs WHERE status = 'completed')
                        """, as: Int.self),
                    billed)
        }
        #expect(running == 0, "round \(round)")
        #expect(stray == 0, "round \(round)")

        // The same data without any runs, billed afresh in this process.
        let copy = server.directory.path("fresh-\(round).db")
        let source = try Connection(path: database.configuration.path, readOnly: true)
        try source.execute("VACUUM INTO ?", [copy])
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: copy, synchronous: .off))
        try pool.write { connection in
            for table in ["billing_lines", "billing_run_totals", "billing_run_dealer_totals", "billing_runs"] { try connection.execute("DELETE FROM \(table)") }
        }
        var fresh: [Key: Int] = [:]
        _ = try BillingRunner(database: pool, catalogue: try CatalogueLoader.load(path: DaemonProcess.catalogue))
            .run(year: 2025, dryRun: true, principal: .commandLine) { item in
                let line = item.line
                fresh["\(line.deviceSerial)/\(line.kind.rawValue)/\(line.channel ?? "")", default: 0] += line.amountMinor
            }
        fresh = fresh.filter { $0.value != 0 }
        #expect(fresh.count >= devices, "round \(round)")
        #expect(billed == fresh, "round \(round)")
    }
}
