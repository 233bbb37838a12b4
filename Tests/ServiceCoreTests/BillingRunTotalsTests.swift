import ServiceJSON
import Testing
@testable import ServiceCore

/// A run's totals per customer: summed as lines are billed (`RunTotals`),
/// stored with the run, and summed once from the lines of runs completed
/// before migration 21; and per dealer (migration 24), so a dealer's view of a
/// run reads one row.
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
            let done = try BillingRunStore.customerTotals(connection, runID: "run_done", scope: nil, page: PageRequest(limit: 10, after: nil))
            #expect(done.items.map { "\($0.customerID) \($0.totalMinor) \($0.lineCount)" } == ["cus_1 120500 2", "cus_2 -700 1"])
            // Paged by customer id: the second page starts after the first's last customer.
            let first = try BillingRunStore.customerTotals(connection, runID: "run_done", scope: "dlr_1", page: PageRequest(limit: 1, after: nil))
            #expect(first.items.map(\.customerID) == ["cus_1"] && first.nextAfter == "cus_1")
            let second = try BillingRunStore.customerTotals(connection, runID: "run_done", scope: "dlr_1", page: PageRequest(limit: 1, after: "cus_1"))
            #expect(second.items.map(\.customerID) == ["cus_2"] && second.nextAfter == nil)
            let run = BillingRunner.Summary(id: "run_done", year: 2025, dryRun: false, status: "completed", createdAt: now, totalMinor: 119_800,
                                            currency: "NOK", lineCount: 3)
            #expect(try BillingRunStore.scopedTotals(connection, run: run, scope: "dlr_1") == .init(customers: 2, totalMinor: 119_800, lines: 3))
            #expect(try BillingRunStore.scopedTotals(connection, run: run, scope: nil) == .init(customers: 2, totalMinor: 119_800, lines: 3))
            #expect(try BillingRunStore.customerTotals(connection, runID: "run_live", scope: nil, page: PageRequest(limit: 10, after: nil)).items.isEmpty)
            #expect(try BillingRunStore.scopedTotals(connection, run: run, scope: "dlr_other") == .init(customers: 0, totalMinor: 0, lines: 0))
        }
    }

    /// A dealer's view of a run reads its own rows: its summary (one row of
    /// the run's totals per dealer), its first page of customers (its own
    /// rows, `billing_run_totals_by_dealer`) and the run listed cost the same
    /// VM steps whether another dealer has 10 customers in the run or 1 000;
    /// so does an admin's summary (a row per dealer). Before, the summary
    /// summed the dealer's customers and counted all of the run's, and a small
    /// dealer's page walked every dealer's customers in id order.
    @Test func aDealersViewOfARunCostsTheSameWhateverOthersHold() throws {
        func costs(otherCustomers: Int) throws -> [Int] {
            let (database, pool) = try TemporaryDatabase.migrated(count: 1) { _ in
                "INSERT INTO billing_runs VALUES ('run_1', 2025, 'completed', NULL, 'admin', 'NOK', 0, 0, '2026-01-01T00:00:00Z', NULL)"
            }
            defer { withExtendedLifetime(database) {} }
            // The small dealer's two customers sort last, after all of the large dealer's.
            let customers = (0..<otherCustomers).map { RunTotals.Customer(customerID: "cus_a\(10_000 + $0)", dealerID: "dlr_large", totalMinor: 100, lineCount: 1) }
                + [RunTotals.Customer(customerID: "cus_z1", dealerID: "dlr_small", totalMinor: 4_250, lineCount: 2),
                   RunTotals.Customer(customerID: "cus_z2", dealerID: "dlr_small", totalMinor: -700, lineCount: 1)]
            try pool.write { try BillingRunStore.record($0, runID: "run_1", customers) }
            let run = BillingRunner.Summary(id: "run_1", year: 2025, dryRun: false, status: "completed", createdAt: MigrationFixture.now,
                                            totalMinor: 100 * otherCustomers + 3_550, currency: "NOK", lineCount: otherCustomers + 3)
            return try pool.read { connection in
                let (small, smallSteps) = try connection.countingSteps { try BillingRunStore.scopedTotals(connection, run: run, scope: "dlr_small") }
                #expect(small == .init(customers: 2, totalMinor: 3_550, lines: 3))
                let (all, allSteps) = try connection.countingSteps { try BillingRunStore.scopedTotals(connection, run: run, scope: nil) }
                #expect(all == .init(customers: otherCustomers + 2, totalMinor: 100 * otherCustomers + 3_550, lines: otherCustomers + 3))
                let (page, pageSteps) = try connection.countingSteps {
                    try BillingRunStore.customerTotals(connection, runID: "run_1", scope: "dlr_small", page: PageRequest(limit: 1, after: nil))
                }
                #expect(page.items.map(\.customerID) == ["cus_z1"] && page.nextAfter == "cus_z1")
                let (listed, listedSteps) = try connection.countingSteps { try BillingRunStore.dealerTotals(connection, runIDs: ["run_1"], dealerID: "dlr_small") }
                #expect(listed["run_1"]?.total == 3_550 && listed["run_1"]?.lines == 3)
                return [smallSteps, allSteps, pageSteps, listedSteps]
            }
        }
        let few = try costs(otherCustomers: 10)
        let many = try costs(otherCustomers: 1_000)
        #expect(few == many)
    }

    /// A dealer's page of a run's lines walks its own lines
    /// (`billing_lines_by_run_dealer`): the same VM steps whether another
    /// dealer's lines before them number 10 or 1 000 (it read them all).
    @Test func aDealersPageOfLinesCostsTheSameWhateverOthersHold() throws {
        func cost(otherLines: Int) throws -> Int {
            let (database, pool) = try TemporaryDatabase.migrated(count: otherLines) { numbers in
                """
                INSERT INTO billing_runs VALUES ('run_1', 2025, 'completed', NULL, 'admin', 'NOK', 0, 0, '2026-01-01T00:00:00Z', NULL);
                \(numbers) INSERT INTO billing_lines (run_id, year, device_serial, customer_id, dealer_id, kind, channel, adjustment, quantity,
                    unit_price_minor, amount_minor, currency, explanation)
                    SELECT 'run_1', 2025, printf('S%04d', i), 'cus_large', 'dlr_large', 'colour_overage', '', 0, 1, 100, 100, 'NOK', '{}' FROM n;
                INSERT INTO billing_lines (run_id, year, device_serial, customer_id, dealer_id, kind, channel, adjustment, quantity,
                    unit_price_minor, amount_minor, currency, explanation)
                    VALUES ('run_1', 2025, 'SMALL-1', 'cus_small', 'dlr_small', 'colour_overage', '', 0, 2, 59, 118, 'NOK', '{}'),
                           ('run_1', 2025, 'SMALL-2', 'cus_small', 'dlr_small', 'colour_overage', '', 0, 1, 59, 59, 'NOK', '{}');
                """
            }
            defer { withExtendedLifetime(database) {} }
            return try pool.read { connection in
                let (lines, steps) = try connection.countingSteps {
                    try BillingRunStore.lines(connection, runID: "run_1", scope: "dlr_small", afterID: 0, limit: 51)
                }
                #expect(lines.map(\.line.deviceSerial) == ["SMALL-1", "SMALL-2"])
                #expect(try BillingRunStore.lines(connection, runID: "run_1", scope: nil, afterID: 0, limit: 5).count == 5)
                return steps
            }
        }
        #expect(try cost(otherLines: 10) == cost(otherLines: 1_000))
    }

    /// A stored line's explanation is passed on as the bytes the run stored
    /// (it encoded them itself), not parsed and written again; a value that
    /// is not one JSON object is an error, never passed on.
    @Test(arguments: [
        (#"{"pages":{"colour":1200,"cap":1000},"price_list":"2025"}"#, true),
        ("{}", true),
        ("", false), ("[1]", false), ("oops", false), (#"{"truncated":"#, false), (#""text""#, false),
    ])
    func aStoredExplanationIsPassedOnAsStoredAndMustBeAnObject(stored: String, valid: Bool) throws {
        let (database, pool) = try TemporaryDatabase.migrated(count: 1) { _ in
            """
            INSERT INTO billing_runs VALUES ('run_1', 2025, 'completed', NULL, 'admin', 'NOK', 0, 0, '2026-01-01T00:00:00Z', NULL);
            INSERT INTO billing_lines (run_id, year, device_serial, customer_id, dealer_id, kind, channel, adjustment, quantity,
                unit_price_minor, amount_minor, currency, explanation)
                VALUES ('run_1', 2025, 'S1', 'cus_1', 'dlr_1', 'colour_overage', '', 0, 2, 59, 118, 'NOK', '\(stored)');
            """
        }
        defer { withExtendedLifetime(database) {} }
        let read = { try pool.read { try BillingRunStore.lines($0, runID: "run_1", scope: nil, afterID: 0, limit: 5) } }
        if valid {
            let lines = try read()
            #expect(lines.first?.line.explanation.encoded() == stored)
            // What parsing it and writing it again (as before) gave: the same bytes.
            #expect(try JSONParser.parse(stored).encoded() == stored)
        } else {
            #expect(throws: RowDecodingError.self) { try read() }
        }
    }
}
