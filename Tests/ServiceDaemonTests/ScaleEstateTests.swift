import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

/// The scale estate of `scripts/seed-scale.sh`, built small: the smoke test
/// runs the command at factor 0.1, a tenth of the national size (about 30 s
/// with the debug binary on an idle two-core machine).
@Suite struct ScaleEstateTests {
    static func count(_ database: DatabasePool, _ sql: String) throws -> Int {
        try database.read { try $0.fetchScalar(sql, as: Int.self) }
    }

    @Test func theCommandSeedsEveryPartOfTheEstateAndRefusesAnExistingDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("scale.db")
        // Minutes allowed: a debug build on a busy machine (the usual 20 s is for commands that do little).
        let result = try DaemonProcess.run(["seed-scale", "--factor", "0.1", "--db", path], timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        // A tenth of 500 dealers, 50 000 customers, 200 000 devices, 1 000 000 requests, 100 000 orders.
        #expect(result.stdout.contains("seeded factor 0.1: 50 dealers, 5000 customers, 20000 devices, 5000 contracts, 1200000 meter readings, "
                                       + "100000 service requests"), "\(result.stdout)")
        #expect(result.stdout.contains("seconds "), "\(result.stdout)")
        #expect(result.stdout.contains("database "), "\(result.stdout)")

        let database = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        // 20 000 devices x 60 months (2021-2025).
        #expect(try Self.count(database, "SELECT count(*) FROM meter_readings") == 1_200_000)
        #expect(try Self.count(database, "SELECT count(*) FROM service_requests") == 100_000)
        #expect(try Self.count(database, "SELECT count(*) FROM service_request_events") > 100_000)
        // Every unanswered request's breach was raised a second past its deadline, as the daemon would have:
        // a daemon started on the estate has no backlog of breaches to raise first.
        #expect(try Self.count(database, "SELECT count(*) FROM service_requests WHERE response_breached_at IS NOT NULL") > 1_000)
        #expect(try Self.count(database, """
            SELECT count(*) FROM service_requests WHERE first_response_at IS NULL AND response_due_at IS NOT NULL
              AND response_breached_at IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', response_due_at, '+1 second')
            """) == 0)
        #expect(try Self.count(database, "SELECT count(*) FROM service_requests WHERE first_response_at IS NOT NULL AND response_breached_at IS NOT NULL") == 0)
        #expect(try Self.count(database, "SELECT count(*) FROM consumable_orders WHERE state = 'delivered'") == 10_000)
        #expect(try Self.count(database, "SELECT count(*) FROM billing_runs WHERE status = 'completed'") == 5)
        #expect(try Self.count(database, "SELECT count(DISTINCT year) FROM billing_lines") == 5)
        // Customers 3, 13, ..., 4 993 amended (500 of 5 000), 7, 27, ..., 4 987 terminated (250).
        #expect(try Self.count(database, "SELECT count(*) FROM contract_tiers") == 5_500)
        #expect(try Self.count(database, "SELECT count(*) FROM contracts WHERE terminated_on IS NOT NULL") == 250)
        // The large customer: devices 0-199, a hundredth of 20 000; its dealer holds a tenth of the customers.
        #expect(try Self.count(database, "SELECT count(*) FROM devices WHERE customer_id = '\(ScaleEstate.id("cus", 0))'") == 200)
        #expect(try Self.count(database, "SELECT count(*) FROM customers WHERE dealer_id = '\(ScaleEstate.id("dlr", 0))'") == 500)

        let again = try DaemonProcess.run(["seed-scale", "--factor", "0.1", "--db", path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("\(path) exists"), "\(again.stderr)")
    }

    @Test func theSameFactorGivesTheSameEstate() throws {
        let catalogue = try CatalogueLoader.load(path: DaemonProcess.catalogue)
        let digests = try (0..<2).map { _ -> [String] in
            let directory = try TemporaryDirectory()
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory.path("estate.db"), synchronous: .off))
            try Migrator(migrations: Schema.migrations).migrate(pool)
            _ = try ScaleEstate(factor: 0.001, catalogue: catalogue).seed(into: pool) { _, _ in }
            return try pool.read { connection in
                try [
                    "SELECT group_concat(serial || model || customer_id, ',') FROM (SELECT * FROM devices ORDER BY serial)",
                    "SELECT sum(bw_a4) || '/' || sum(colour_a4) || '/' || sum(colour_a3) || '/' || sum(banner_colour) FROM meter_readings",
                    """
                    SELECT group_concat(id || device_serial || reported_at || state || coalesce(first_response_at, '-') || coalesce(response_breached_at, '-'), ',')
                    FROM (SELECT * FROM service_requests ORDER BY id)
                    """,
                    "SELECT group_concat(year || ':' || total_minor, ',') FROM (SELECT * FROM billing_runs ORDER BY year)",
                ].map { try connection.fetchScalar($0, as: String.self) }
            }
        }
        #expect(digests[0] == digests[1])
        #expect(digests[0].allSatisfy { !$0.isEmpty })
    }
}
