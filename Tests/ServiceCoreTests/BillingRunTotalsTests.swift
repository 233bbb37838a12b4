import ServiceJSON
import Testing
@testable import ServiceCore

/// A run's totals per customer: summed as lines are billed (`RunTotals`),
/// stored with the run, and summed once from the lines of runs completed
/// before migration 21.
@Suite struct BillingRunTotalsTests {
    static func line(_ customer: String, _ dealer: String, _ amount: Int) -> BillingLine {
        BillingLine(kind: .colour_overage, deviceSerial: "S-\(customer)", customerID: customer, dealerID: dealer, channel: nil, quantity: 1,
                    unitPriceMinor: amount, amountMinor: amount, currency: "NOK", explanation: .object([]))
    }

    @Test func linesAreSummedPerCustomerInByteOrder() {
        var totals = RunTotals()
        // cus_b: 118 000 + (-59 000) = 59 000 over 2 lines; cus_B sorts before cus_a byte-wise.
        for line in [Self.line("cus_b", "dlr_2", 118_000), Self.line("cus_a", "dlr_1", 4_250), Self.line("cus_b", "dlr_2", -59_000),
                     Self.line("cus_B", "dlr_1", 1)] {
            totals.add(line)
        }
        #expect(totals.customers == [
            RunTotals.Customer(customerID: "cus_B", dealerID: "dlr_1", totalMinor: 1, lineCount: 1),
            RunTotals.Customer(customerID: "cus_a", dealerID: "dlr_1", totalMinor: 4_250, lineCount: 1),
            RunTotals.Customer(customerID: "cus_b", dealerID: "dlr_2", totalMinor: 59_000, lineCount: 2),
        ])
    }

    @Test func migrationSumsTheLinesOfCompletedRunsOnly() throws {
        let version = BillingRunTotals.migration.version
        let now = MigrationFixture.now
        let (database, pool) = try MigrationFixture.database(before: version) { connection in
            try connection.execute("INSERT INTO customers VALUES ('cus_2', 'dlr_1', 'C2', 1, ?, ?)", [now, now])
            for (run, status) in [("run_done", "completed"), ("run_live", "running")] {
                try connection.execute("INSERT INTO billing_runs VALUES (?, 2025, ?, NULL, 'admin', 'NOK', 0, 0, ?, NULL)", [run, status, now])
            }
            for (run, customer, amount) in [("run_done", "cus_1", 118_000), ("run_done", "cus_1", 2_500), ("run_done", "cus_2", -700),
                                            ("run_live", "cus_1", 9_999)] {
                try connection.execute(
                    "INSERT INTO billing_lines VALUES (NULL, ?, 2025, 'S1', ?, 'dlr_1', 'colour_overage', '', 0, 1, 0, ?, 'NOK', '{}')",
                    [run, customer, amount]
                )
            }
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Schema.migrations).migrate(pool).contains(version))
        try pool.read { (connection) throws in
            let done = try BillingRunStore.totals(connection, runID: "run_done", scope: nil)
            #expect(done.byCustomer.map { "\($0.0) \($0.1)" } == ["cus_1 120500", "cus_2 -700"])
            #expect(done.total == 119_800 && done.lines == 3)
            #expect(try BillingRunStore.totals(connection, runID: "run_live", scope: nil).lines == 0)
            #expect(try BillingRunStore.totals(connection, runID: "run_done", scope: "dlr_other").lines == 0)
        }
    }
}
