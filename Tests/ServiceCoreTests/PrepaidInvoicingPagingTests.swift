import Foundation
import Testing
@testable import ServiceCore

/// A prepaid invoicing run reads its contracts a page at a time (keyset by
/// contract id), each page in two statements (the terms, then what earlier
/// runs invoiced for them): its memory holds one page whatever the estate,
/// and its lines are the ones a single pass gives.
@Suite struct PrepaidInvoicingPagingTests {
    /// Five yearly contracts of 12 000.00 kr for 2026, one per customer.
    static func fixture() throws -> (TemporaryDatabase, DatabasePool) {
        let now = "'2026-03-01T00:00:00Z'"
        return try TemporaryDatabase.migrated(count: 5) { numbers in """
            INSERT INTO dealers (id, name, created_at) VALUES ('dlr_1', 'Dealer', \(now));
            \(numbers) INSERT INTO customers SELECT printf('cus_%03d', i), 'dlr_1', 'Customer', 1, \(now), \(now) FROM n;
            \(numbers) INSERT INTO contracts SELECT printf('con_%03d', i), printf('cus_%03d', i), '2026-01-01', '2026-12-31', NULL, 1200000,
                'NOK', 'basic', '[]', 0, NULL, 1, \(now), \(now), '[]', 'yearly' FROM n;
            """
        }
    }

    @Test func aRunReadsTwoContractsAtATimeAndGivesEveryLine() throws {
        let (database, pool) = try Self.fixture()
        _ = database
        let runs = PrepaidInvoicingRuns(currency: "NOK")
        let period = CalendarPeriod("2026-Q1")!
        let (result, statements) = try pool.read { connection in
            try connection.countingStatements { () throws -> (PrepaidInvoicingRuns.Summary, [String]) in
                var contracts: [String] = []
                let summary = try runs.run(connection, period: period, dryRun: true, principal: .commandLine, pageSize: 2) { contracts.append($0.contractID) }
                return (summary, contracts)
            }
        }
        // Pages of 2, 2 and 1 contracts, two statements each; the short last page ends the run.
        #expect(statements == 6)
        // Each contract's whole year 2026 in advance (the yearly period overlapping Q1): 5 x 1 200 000.
        #expect(result.1 == ["con_001", "con_002", "con_003", "con_004", "con_005"])
        #expect((result.0.lineCount, result.0.totalMinor) == (5, 6_000_000))
    }

    @Test func aStoredRunInPagesStoresEveryLineAndItsTotals() throws {
        let (database, pool) = try Self.fixture()
        _ = database
        let runs = PrepaidInvoicingRuns(currency: "NOK")
        let summary = try pool.write { try runs.run($0, period: CalendarPeriod("2026")!, dryRun: false, principal: .commandLine, pageSize: 2) }
        let stored = try pool.read { try InvoicingRunStore.run($0, id: summary.id) }
        #expect((stored?.lineCount, stored?.totalMinor) == (5, 6_000_000))
        let lines = try pool.read { try InvoicingRunStore.lines($0, runID: summary.id, scope: nil, afterID: 0, limit: 10) }
        #expect(lines.map(\.line.contractID) == ["con_001", "con_002", "con_003", "con_004", "con_005"])
        // A second run, paged the same, finds every period invoiced: what was billed is read per page.
        let again = try pool.write { try runs.run($0, period: CalendarPeriod("2026-Q3")!, dryRun: false, principal: .commandLine, pageSize: 2) }
        #expect((again.lineCount, again.totalMinor) == (0, 0))
    }
}
