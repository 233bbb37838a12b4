import Foundation
@testable import ServiceCore

/// A database migrated to just before `version`, holding dealer `dlr_1` with
/// customer `cus_1`, then whatever `seed` inserts: the rows a data migration
/// is tested against.
enum MigrationFixture {
    static let now = "2026-01-01T00:00:00Z"

    static func database(before version: Int, _ seed: (Connection) throws -> Void) throws -> (TemporaryDatabase, DatabasePool) {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Array(Schema.migrations.prefix(version - 1))).migrate(pool)
        try pool.write { connection in
            try connection.execute("INSERT INTO dealers VALUES ('dlr_1', 'D', ?)", [now])
            try connection.execute("INSERT INTO customers VALUES ('cus_1', 'dlr_1', 'C', 1, ?, ?)", [now, now])
            try seed(connection)
        }
        return (database, pool)
    }

    /// A service request of `cus_1` on `device`, reported 2 March 2026, with no contract and no deadlines.
    static func insertRequest(
        _ connection: Connection, _ id: String, device: String = "D1", state: String = "open", resolvedAt: String? = nil, billableMinutes: Int? = nil
    ) throws {
        try connection.execute("""
            INSERT INTO service_requests (id, device_serial, customer_id, dealer_id, contract_id, tier, reported_at, category,
                description, source, state, clock_starts_at, response_due_at, first_response_at, resolved_at, cause,
                billable_minutes, version, created_at, updated_at)
            VALUES (?, ?, 'cus_1', 'dlr_1', NULL, NULL, '2026-03-02T10:00:00Z', 'fault', 'jam', 'portal', ?,
                NULL, NULL, NULL, ?, NULL, ?, 1, ?, ?)
            """, [id, device, state, resolvedAt, billableMinutes, now, now])
    }
}
