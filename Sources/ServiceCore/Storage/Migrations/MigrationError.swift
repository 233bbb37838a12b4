public enum MigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file was migrated by a newer release. Migrations only go forward,
    /// so running on would mean writing through a schema this binary does
    /// not understand.
    case databaseNewerThanBinary(databaseVersion: Int, supportedVersion: Int, path: String)
    case invalidMigrationList(String)
    /// A migration that rebuilt tables left rows referring to rows that are
    /// gone; it was rolled back. `rows` names the first ten of `count`.
    case brokenReferences(version: Int, rows: [String], count: Int)

    public var description: String {
        switch self {
        case let .databaseNewerThanBinary(databaseVersion, supportedVersion, path):
            return "database at \(path) has schema version \(databaseVersion) but this service-daemon supports up to "
                + "\(supportedVersion); upgrade the binary, never downgrade a database"
        case .invalidMigrationList(let reason):
            return "invalid migration list: \(reason)"
        case let .brokenReferences(version, rows, count):
            return "migration \(version) was rolled back: \(count) rows would refer to rows that do not exist "
                + "(table, rowid -> referenced table): \(rows.joined(separator: "; ")); nothing was changed"
        }
    }
}
