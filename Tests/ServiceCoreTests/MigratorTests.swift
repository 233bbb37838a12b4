import Foundation
import Synchronization
import Testing
@testable import ServiceCore

@Suite struct MigratorTests {
    static let sample: [Migration] = [
        Migration(version: 1, name: "history", sql: Schema.migrations[0].sqlForTests),
        Migration(version: 2, name: "widgets", sql: "CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"),
        Migration(version: 3, name: "widget colour", sql: "ALTER TABLE widgets ADD COLUMN colour TEXT;"),
    ]

    @Test func freshDatabaseGetsEveryMigrationThenRerunIsANoOp() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let migrator = try Migrator(migrations: Self.sample)
        #expect(try migrator.migrate(pool) == [1, 2, 3])
        let status = try pool.read { try migrator.status($0) }
        #expect(status == MigrationStatus(current: 3, latest: 3))
        #expect(status.isCurrent)
        #expect(try migrator.migrate(pool) == [])
        #expect(try pool.read { try $0.userVersion() } == 3)
        let history = try pool.read { try $0.fetchAll("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") }
        #expect(try history.map { try $0.get(0, as: Int.self) } == [1, 2, 3])
        #expect(try history[2].get(1, as: String.self) == "widget colour")
        let appliedAt = try history[0].get(2, as: String.self)
        #expect(appliedAt.hasSuffix("Z") && RFC3339.parse(appliedAt) != nil)
        try pool.write { try $0.execute("INSERT INTO widgets (name, colour) VALUES ('w', 'cyan')") }
    }

    @Test func laterMigrationsApplyToAnOlderDatabase() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try Migrator(migrations: Array(Self.sample.prefix(2))).migrate(pool)
        let upgrade = try Migrator(migrations: Self.sample)
        #expect(try pool.read { try upgrade.status($0) }.pending == [3])
        #expect(try pool.writeWithoutTransaction { try upgrade.migrate($0) } == [3])
    }

    @Test func failingMigrationRollsBackOnlyItself() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let broken = Self.sample.prefix(2) + [
            Migration(version: 3, name: "half done", sql: "CREATE TABLE gadgets (id INTEGER); INSERT INTO nowhere VALUES (1);"),
        ]
        let migrator = try Migrator(migrations: Array(broken))
        #expect(throws: SQLiteError.self) { try migrator.migrate(pool) }
        try pool.read { (connection) throws in
            #expect(try connection.userVersion() == 2)
            #expect(try connection.fetchOne("SELECT name FROM sqlite_master WHERE name = 'gadgets'") == nil)
            #expect(try connection.fetchOne("SELECT name FROM sqlite_master WHERE name = 'widgets'") != nil)
            #expect(try connection.fetchScalar("SELECT count(*) FROM schema_migrations", as: Int.self) == 2)
        }
    }

    @Test func newerDatabaseIsRefusedWithBothVersions() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try Migrator(migrations: Self.sample).migrate(pool)
        let older = try Migrator(migrations: Array(Self.sample.prefix(1)))
        do {
            try older.migrate(pool)
            Issue.record("a database newer than the binary was accepted")
        } catch let error as MigrationError {
            #expect(error == .databaseNewerThanBinary(databaseVersion: 3, supportedVersion: 1, path: database.path))
            #expect(error.description == "database at \(database.path) has schema version 3 but this service-daemon "
                + "supports up to 1; upgrade the binary, never downgrade a database")
        }
        #expect(try pool.read { try older.status($0) }.isNewerThanBinary)
    }

    @Test func twoProcessesMigratingAtOnceApplyEachStepOnce() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pools = [try database.pool(), try database.pool()]
        let migrator = try Migrator(migrations: Self.sample)
        let outcomes = Mutex<[Result<[Int], any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: pools.count) { index in
            let outcome = Result { try migrator.migrate(pools[index]) }
            outcomes.withLock { $0.append(outcome) }
        }
        let applied = try outcomes.withLock { try $0.map { try $0.get() } }
        #expect(applied.flatMap { $0 }.sorted() == [1, 2, 3])
        #expect(try pools[0].read { try $0.fetchScalar("SELECT count(*) FROM schema_migrations", as: Int.self) } == 3)
    }

    @Test(arguments: [[2, 3], [1, 1], [1, 3], [2, 1]])
    func invalidListsAreRejected(_ versions: [Int]) {
        let migrations = versions.map { Migration(version: $0, name: "m\($0)", sql: "SELECT 1;") }
        #expect(throws: MigrationError.self) { try Migrator(migrations: migrations) }
    }

    @Test func applicationSchemaMigratesCleanly() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let migrator = try Migrator(migrations: Schema.migrations)
        #expect(try migrator.migrate(pool) == Array(1...Schema.migrations.count))
    }

    /// The count behind the `sla_breaches_open` gauge reads the partial index
    /// of unanswered requests, not the whole table.
    @Test func openBreachesAreCountedFromTheirIndex() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        let plan = try pool.read { connection in
            try connection.fetchAll("EXPLAIN QUERY PLAN " + ServiceRequestStore.overdueCountSQL, ["2026-12-01T00:00:00Z"])
                .map { try $0.get(3, as: String.self) }
        }
        #expect(plan.contains { $0.contains("USING INDEX service_requests_unanswered") || $0.contains("USING COVERING INDEX service_requests_unanswered") }, "\(plan)")
        #expect(try pool.read { try ServiceRequestStore.overdueCount($0, at: Date()) } == 0)
    }
}

extension Migration {
    /// The first application migration's SQL, reused to create the history table.
    var sqlForTests: String {
        """
        CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
        """
    }
}
