import Foundation
import Testing
@testable import ServiceCore

/// Migration 31: the billing run finds the year's billable requests through
/// an index of the requests with billable minutes, and finds the same ones.
@Suite struct BillableRequestsIndexTests {
    @Test func theYearsBillableRequestsAreReadFromTheirIndex() throws {
        let now = MigrationFixture.now
        let (database, pool) = try MigrationFixture.database(before: 31) { connection in
            try RowsByDealerTests.insertDevice(connection, "D1", customer: "cus_1")
            // id, state, resolved_at, billable minutes
            let requests: [(String, String, String?, Int?)] = [
                ("srq_c", "resolved", "2025-03-01T09:00:00Z", 90),
                ("srq_a", "closed", "2025-12-31T23:59:59Z", 30),
                ("srq_b", "resolved", "2025-06-01T09:00:00Z", nil),  // nothing billable
                ("srq_d", "resolved", "2024-12-31T23:59:59Z", 60),  // the year before
                ("srq_e", "closed", "2026-01-01T00:00:00Z", 60),  // the year after: the end is not in it
                ("srq_f", "open", nil, 45),  // not resolved
            ]
            for (id, state, resolvedAt, minutes) in requests {
                try connection.execute("""
                    INSERT INTO service_requests (id, device_serial, customer_id, dealer_id, contract_id, tier, reported_at, category,
                        description, source, state, clock_starts_at, response_due_at, first_response_at, resolved_at, cause,
                        billable_minutes, version, created_at, updated_at)
                    VALUES (?, 'D1', 'cus_1', 'dlr_1', NULL, NULL, '2024-12-01T10:00:00Z', 'fault', 'jam', 'portal', ?,
                        NULL, NULL, NULL, ?, NULL, ?, 1, ?, ?)
                    """, [id, state, resolvedAt, minutes, now, now])
            }
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Schema.migrations).migrate(pool) == [31])
        let from = try #require(RFC3339.parse("2025-01-01T00:00:00Z")), before = try #require(RFC3339.parse("2026-01-01T00:00:00Z"))
        try pool.read { connection in
            let plan = try connection.fetchAll("EXPLAIN QUERY PLAN \(ServiceRequestStore.billableSQL)", ["", "", "", 10])
                .map { try $0.get(3, as: String.self) }
            #expect(plan.contains { $0.contains("USING INDEX service_requests_billable") }, "\(plan)")
            let all = try ServiceRequestStore.billable(connection, resolvedFrom: from, before: before, afterID: "", limit: 10)
            #expect(all.map(\.id) == ["srq_a", "srq_c"])
            #expect(all.map(\.billableMinutes) == [30, 90])
            // A page at a time, in id order.
            let first = try ServiceRequestStore.billable(connection, resolvedFrom: from, before: before, afterID: "", limit: 1)
            let second = try ServiceRequestStore.billable(connection, resolvedFrom: from, before: before, afterID: "srq_a", limit: 1)
            #expect((first.map(\.id), second.map(\.id)) == (["srq_a"], ["srq_c"]))
        }
    }
}
