import Foundation
import Testing
@testable import ServiceCore

/// Work orders are read a bounded page at a time wherever a whole estate's
/// would be read: the billing run pages through the billable ones (and the
/// billable service requests) by id, looking up what earlier runs billed
/// once per page, and
/// the implementation report reads only the services' deadlines, a page per
/// query.
@Suite struct WorkOrderPagingTests {
    static let count = 5

    /// Five work orders of one dealer delivered on 2 March 2026, each with
    /// installation due 3 March 16:00 CET and 90 minutes of it recorded, and
    /// connectivity (no deadline), made in SQL.
    static func fixture() throws -> (TemporaryDatabase, DatabasePool) {
        let now = "'2026-03-01T00:00:00Z'"
        return try TemporaryDatabase.migrated(count: count) { numbers in """
            INSERT INTO dealers (id, name, created_at) VALUES ('dlr_1', 'Dealer', \(now));
            \(numbers) INSERT INTO customers SELECT printf('cus_%03d', i), 'dlr_1', 'Customer', 1, \(now), \(now) FROM n;
            \(numbers) INSERT INTO devices SELECT printf('D%03d', i), 'C3530i', 'C3xxx', printf('cus_%03d', i), NULL, NULL, 1, \(now), \(now) FROM n;
            \(numbers) INSERT INTO contracts SELECT printf('con_%03d', i), printf('cus_%03d', i), '2026-01-01', '2026-12-31', NULL, 0, 'NOK',
                'advanced', '[]', 0, NULL, 1, \(now), \(now), '[]', 'yearly' FROM n;
            \(numbers) INSERT INTO work_orders SELECT printf('wko_%03d', i), printf('con_%03d', i), printf('D%03d', i), printf('cus_%03d', i),
                'dlr_1', 'advanced', '2026-03-02T09:00:00Z', 1, \(now), \(now) FROM n;
            \(numbers) INSERT INTO work_order_services SELECT printf('wko_%03d', i), 'installation_network', 0, 'pending', NULL,
                '2026-03-03T15:00:00Z' FROM n;
            \(numbers) INSERT INTO work_order_services SELECT printf('wko_%03d', i), 'connectivity', 1, 'pending', NULL, NULL FROM n;
            \(numbers) INSERT INTO work_order_time_entries SELECT printf('wte_%03d', i), printf('wko_%03d', i), 'installation_network', 90, NULL,
                '2026-03-02T10:00:00Z', \(now) FROM n;
            """
        }
    }

    @Test func theBillableWorkOrdersAreReadAPageAtATimeByID() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let through = RFC3339.parse("2027-01-01T00:00:00Z")!
        let pages = try pool.read { connection in
            [try WorkOrderStore.billable(connection, through: through, afterID: "", limit: 2),
             try WorkOrderStore.billable(connection, through: through, afterID: "wko_002", limit: 2),
             try WorkOrderStore.billable(connection, through: through, afterID: "wko_004", limit: 2)].map { $0.map(\.id) }
        }
        #expect(pages == [["wko_001", "wko_002"], ["wko_003", "wko_004"], ["wko_005"]])
        // Nothing was performed before 2026.
        #expect(try pool.read { try WorkOrderStore.billable($0, through: RFC3339.parse("2026-01-01T00:00:00Z")!, afterID: "", limit: 2) }.isEmpty)
    }

    @Test func aBillingRunBillsEveryWorkOrderReadingTwoAtATime() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let runner = BillingRunner(database: pool, catalogue: BillingCalculatorTests.catalogue, workPerRead: 2)
        var lines: [String: Int] = [:]
        _ = try runner.run(year: 2026, dryRun: true, principal: .commandLine) { item in
            if item.line.kind == .implementation_time { lines[item.line.channel ?? ""] = item.line.amountMinor }
        }
        // Each: 90 minutes, 30 beyond the included hour -> one started hour at 950.00 kr, over pages of 2, 2 and 1.
        #expect(lines == Dictionary(uniqueKeysWithValues: (1...Self.count).map { (String(format: "wko_%03d/installation_network", $0), 95_000) }))
    }

    @Test func theImplementationReportReadsOnePageOfDeadlinesPerQuery() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        try pool.write { connection in
            try connection.executeScript("""
                UPDATE work_order_services SET state = 'done', completed_at = '2026-03-03T10:00:00Z' WHERE work_order_id = 'wko_001' AND service = 'installation_network';
                UPDATE work_order_services SET state = 'done', completed_at = '2026-03-04T10:00:00Z' WHERE work_order_id = 'wko_002' AND service = 'installation_network';
                """)
        }
        let (report, statements) = try pool.read { connection in
            try connection.countingStatements {
                try DeadlineReport.read(connection, scope: "dlr_1", from: RFC3339.parse("2026-03-02T00:00:00Z")!,
                                        before: RFC3339.parse("2026-03-03T00:00:00Z")!, now: RFC3339.parse("2026-03-05T12:00:00Z")!, pageSize: 2)
            }
        }
        // Five installation deadlines (connectivity has none) in pages of 2, 2 and 1: three queries.
        #expect(statements == 3)
        // wko_001 done before 16:00 on 3 March: in time. wko_002 done on 4 March: breached. The rest not done by 5 March: overdue.
        #expect((report.deadlines, report.inTime, report.breached, report.open, report.overdue) == (5, 1, 1, 0, 3))
        #expect(report.breaches.map(\.workOrderID) == ["wko_002", "wko_003", "wko_004", "wko_005"])
        #expect(report.breaches.first?.completedAt == RFC3339.parse("2026-03-04T10:00:00Z"))
        // Delivered the day after the period, or another dealer's: nothing.
        let outside = try pool.read {
            try DeadlineReport.read($0, scope: nil, from: RFC3339.parse("2026-03-03T00:00:00Z")!, before: RFC3339.parse("2026-03-04T00:00:00Z")!,
                                    now: Date())
        }
        let otherDealer = try pool.read {
            try DeadlineReport.read($0, scope: "dlr_2", from: RFC3339.parse("2026-03-02T00:00:00Z")!, before: RFC3339.parse("2026-03-03T00:00:00Z")!,
                                    now: Date())
        }
        #expect(outside.deadlines == 0 && otherDealer.deadlines == 0)
    }

    @Test func rerunsFindWhatEarlierRunsBilledForEachLineOfAPage() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let runner = BillingRunner(database: pool, catalogue: BillingCalculatorTests.catalogue, workPerRead: 2)
        func run() throws -> [String: Int] {
            var lines: [String: Int] = [:]
            _ = try runner.run(year: 2026, dryRun: false, principal: .commandLine) { item in
                if item.line.kind == .implementation_time { lines[item.line.channel ?? ""] = item.line.amountMinor }
            }
            return lines
        }
        #expect(try run().count == Self.count)
        // Everything billed: nothing again.
        #expect(try run().isEmpty)
        // 45 more minutes on wko_003: 135 recorded, 75 beyond the hour -> two started hours, one more than billed: 950.00 kr.
        try pool.write { try $0.execute("""
            INSERT INTO work_order_time_entries VALUES ('wte_more', 'wko_003', 'installation_network', 45, NULL, '2026-03-03T10:00:00Z',
                '2026-03-03T10:00:00Z')
            """) }
        #expect(try run() == ["wko_003/installation_network": 95_000])
    }

    @Test func theBillableServiceRequestsAreReadAPageAtATimeByID() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        try pool.write { connection in
            try connection.executeScript("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)
                INSERT INTO service_requests (id, device_serial, customer_id, dealer_id, contract_id, tier, reported_at, category,
                    description, source, state, clock_starts_at, response_due_at, first_response_at, resolved_at, billable_minutes,
                    version, created_at, updated_at)
                    SELECT printf('srq_%03d', i), printf('D%03d', i), printf('cus_%03d', i), 'dlr_1', NULL, 'standard', '2026-03-02T10:00:00Z',
                    'fault', 'jam', 'portal', 'resolved', '2026-03-02T10:00:00Z', '2026-03-03T15:00:00Z', '2026-03-02T11:00:00Z',
                    '2026-03-02T12:00:00Z', 30, 1, '2026-03-02T10:00:00Z', '2026-03-02T12:00:00Z' FROM n;
                """)
        }
        let (from, before) = (RFC3339.parse("2026-01-01T00:00:00Z")!, RFC3339.parse("2027-01-01T00:00:00Z")!)
        let pages = try pool.read { connection in
            [try ServiceRequestStore.billable(connection, resolvedFrom: from, before: before, afterID: "", limit: 2),
             try ServiceRequestStore.billable(connection, resolvedFrom: from, before: before, afterID: "srq_002", limit: 2)].map { $0.map(\.id) }
        }
        #expect(pages == [["srq_001", "srq_002"], ["srq_003"]])
        // Billed by a run reading two at a time: 30 minutes at 950.00 kr = 475.00 kr each.
        let runner = BillingRunner(database: pool, catalogue: BillingCalculatorTests.catalogue, workPerRead: 2)
        var lines: [String: Int] = [:]
        _ = try runner.run(year: 2026, dryRun: true, principal: .commandLine) { item in
            if item.line.kind == .service_hours { lines[item.line.channel ?? ""] = item.line.amountMinor }
        }
        #expect(lines == ["srq_001": 47_500, "srq_002": 47_500, "srq_003": 47_500])
    }
}
