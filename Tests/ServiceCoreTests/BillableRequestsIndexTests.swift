import Foundation
import Testing
@testable import ServiceCore

/// Migration 31: the billing run finds the year's billable requests through
/// an index of the requests with billable minutes, and finds the same ones.
/// (Reading them a page at a time by id: `WorkOrderPagingTests`.)
@Suite struct BillableRequestsIndexTests {
    @Test func theYearsBillableRequestsAreReadFromTheirIndex() throws {
        let (database, pool) = try MigrationFixture.database(before: 31) { connection in
            try RowsByDealerTests.insertDevice(connection, "D1", customer: "cus_1")
            try MigrationFixture.insertRequest(connection, "srq_c", state: "resolved", resolvedAt: "2025-03-01T09:00:00Z", billableMinutes: 90)
            try MigrationFixture.insertRequest(connection, "srq_a", state: "closed", resolvedAt: "2025-12-31T23:59:59Z", billableMinutes: 30)
            // Nothing billable; the year before; the year after (its first instant is not in the year); not resolved.
            try MigrationFixture.insertRequest(connection, "srq_b", state: "resolved", resolvedAt: "2025-06-01T09:00:00Z")
            try MigrationFixture.insertRequest(connection, "srq_d", state: "resolved", resolvedAt: "2024-12-31T23:59:59Z", billableMinutes: 60)
            try MigrationFixture.insertRequest(connection, "srq_e", state: "closed", resolvedAt: "2026-01-01T00:00:00Z", billableMinutes: 60)
            try MigrationFixture.insertRequest(connection, "srq_f", billableMinutes: 45)
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(31))).migrate(pool) == [31])
        let from = try #require(RFC3339.parse("2025-01-01T00:00:00Z")), before = try #require(RFC3339.parse("2026-01-01T00:00:00Z"))
        try pool.read { connection in
            let plan = try connection.fetchAll("EXPLAIN QUERY PLAN \(ServiceRequestStore.billableSQL)", ["", "", "", 10])
                .map { try $0.get(3, as: String.self) }
            #expect(plan.contains { $0.contains("USING INDEX service_requests_billable") }, "\(plan)")
            let billable = try ServiceRequestStore.billable(connection, resolvedFrom: from, before: before, afterID: "", limit: 10)
            #expect(billable.map(\.id) == ["srq_a", "srq_c"])
            #expect(billable.map(\.billableMinutes) == [30, 90])
        }
    }
}
