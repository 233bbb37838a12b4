/// One forward-only schema step. Versions are consecutive from 1; a
/// released migration is never edited, only followed by a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    let apply: @Sendable (Connection) throws -> Void

    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name) { try $0.executeScript(sql) }
    }

    public init(version: Int, name: String, apply: @escaping @Sendable (Connection) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

public enum MigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    case databaseNewerThanBinary(databaseVersion: Int, supportedVersion: Int, path: String)
    case invalidMigrationList(String)

    public var description: String {
        switch self {
        case let .databaseNewerThanBinary(databaseVersion, supportedVersion, path):
            return "database at \(path) has schema version \(databaseVersion) but this service-daemon supports up to "
                + "\(supportedVersion); run a newer binary (a database is never downgraded)"
        case .invalidMigrationList(let reason):
            return "invalid migration list: \(reason)"
        }
    }
}

public struct MigrationStatus: Sendable, Equatable {
    /// `PRAGMA user_version` of the database.
    public let current: Int
    /// The newest version this binary knows.
    public let latest: Int

    public var pending: [Int] { current < latest ? Array((current + 1)...latest) : [] }
    public var isNewerThanBinary: Bool { current > latest }
    public var isCurrent: Bool { current == latest }
}
