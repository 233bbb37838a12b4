import Foundation

/// Applies migrations in order, each in its own IMMEDIATE transaction,
/// recording progress in `PRAGMA user_version` (atomic with the migration's
/// own changes) and a row in `schema_migrations` for operators.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) throws {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw MigrationError.invalidMigrationList(
                "expected version \(offset + 1) at position \(offset + 1), found \(migration.version) (\(migration.name))")
        }
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.count }

    public func status(_ connection: Connection) throws -> MigrationStatus {
        MigrationStatus(current: try connection.userVersion(), latest: latestVersion)
    }

    /// Brings the database up to date; returns the versions applied (none
    /// when it already was).
    @discardableResult
    public func migrate(_ pool: DatabasePool) throws -> [Int] {
        try pool.writeWithoutTransaction { try migrate($0) }
    }

    /// The same on a writer connection outside any transaction. Safe against
    /// another process migrating the same file: the version read here only
    /// skips what is surely done, and is read again inside each transaction,
    /// under the write lock, before anything is applied.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Int] {
        try refuseNewer(connection)
        let start = try connection.userVersion()
        var applied: [Int] = []
        for migration in migrations where migration.version > start {
            let ran: Bool
            if migration.rebuilds.isEmpty {
                ran = try apply(migration, connection)
            } else {
                // Foreign keys can only be switched outside a transaction, and
                // must be on again whatever the migration did: a writer left
                // without them would store orphans silently.
                try connection.executeScript("PRAGMA foreign_keys = OFF")
                let outcome = Result { try apply(migration, connection) }
                try connection.executeScript("PRAGMA foreign_keys = ON")
                ran = try outcome.get()
            }
            if ran { applied.append(migration.version) }
        }
        return applied
    }

    /// Applies one migration in its own transaction; false when another
    /// process applied it first.
    private func apply(_ migration: Migration, _ connection: Connection) throws -> Bool {
        try connection.transaction(.immediate) { () throws -> Bool in
            try refuseNewer(connection)
            guard try connection.userVersion() < migration.version else { return false }
            try migration.apply(connection)
            if !migration.rebuilds.isEmpty { try checkReferences(connection, migration) }
            try connection.executeScript("PRAGMA user_version = \(migration.version)")
            try connection.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [migration.version, migration.name, RFC3339.format(Date())]
            )
            return true
        }
    }

    /// Every reference from and to the rebuilt tables still resolves, or the
    /// migration rolls back. Only those tables are checked: the whole file
    /// would mean every meter reading, minutes at national scale.
    private func checkReferences(_ connection: Connection, _ migration: Migration) throws {
        var tables = Set(migration.rebuilds)
        for table in migration.rebuilds {
            let referring = try connection.fetchAll(
                "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = ?",
                [table]
            )
            tables.formUnion(try referring.map { try $0.get(0, as: String.self) })
        }
        var broken: [String] = []
        for table in tables.sorted() {
            broken += try connection.fetchAll("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check(?)", [table]).map { row in
                "\(try row.get(0, as: String.self)) row \(try row.get(1, as: Int?.self).map(String.init) ?? "?") -> \(try row.get(2, as: String.self))"
            }
        }
        guard broken.isEmpty else {
            throw MigrationError.brokenReferences(version: migration.version, rows: Array(broken.prefix(10)), count: broken.count)
        }
    }

    private func refuseNewer(_ connection: Connection) throws {
        let current = try connection.userVersion()
        if current > latestVersion {
            throw MigrationError.databaseNewerThanBinary(databaseVersion: current, supportedVersion: latestVersion, path: connection.path)
        }
    }
}
