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
}
