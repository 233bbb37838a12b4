/// Where a database stands against this binary's migrations, for a
/// readiness probe and the `migrate` command's report.
public struct MigrationStatus: Sendable, Equatable {
    /// `PRAGMA user_version` of the database.
    public let current: Int
    /// The newest version this binary knows.
    public let latest: Int

    public var pending: [Int] { current < latest ? Array((current + 1)...latest) : [] }
    public var isNewerThanBinary: Bool { current > latest }
    public var isCurrent: Bool { current == latest }
}
