import Foundation
import Testing
@testable import ServiceCore

/// Migration 30: a request's events come from their index alone, every
/// event stored before it still there and in order.
@Suite struct EventsCoveredByRequestTests {
    @Test func eventsAreReadFromTheIndexAndNoneIsLost() throws {
        let now = MigrationFixture.now
        let (database, pool) = try MigrationFixture.database(before: 30) { connection in
            try RowsByDealerTests.insertDevice(connection, "D1", customer: "cus_1")
            for id in ["srq_b", "srq_a"] { try MigrationFixture.insertRequest(connection, id) }
            // Interleaved across requests, as events arrive.
            for (request, type, note) in [("srq_b", "respond", "first"), ("srq_a", "respond", nil), ("srq_b", "resolve", "done")] {
                try connection.execute("""
                    INSERT INTO service_request_events (request_id, type, at, note, recorded_at) VALUES (?, ?, '2026-03-02T12:00:00Z', ?, ?)
                    """, [request, type, note, now])
            }
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(30))).migrate(pool) == [30])
        try pool.read { connection in
            let plan = try connection.fetchAll(
                "EXPLAIN QUERY PLAN SELECT request_id, type, at, note FROM service_request_events WHERE request_id IN \(ChildRows.keys) ORDER BY request_id, id",
                ["[\"srq_a\"]"]
            ).map { try $0.get(3, as: String.self) }
            #expect(plan.contains { $0.contains("USING COVERING INDEX service_request_events_by_request_covering") }, "\(plan)")
            #expect(try connection.fetchScalar("SELECT count(*) FROM sqlite_master WHERE name = 'service_request_events_by_request'", as: Int.self) == 0)
            let page = try ServiceRequestStore.list(connection, scope: "dlr_1", filter: .init(), page: PageRequest(limit: 10, after: nil))
            #expect(page.items.map(\.id) == ["srq_a", "srq_b"])
            #expect(page.items.map { $0.events.map { "\($0.type.rawValue) \($0.note ?? "-")" } } == [["respond -"], ["respond first", "resolve done"]])
        }
    }
}
