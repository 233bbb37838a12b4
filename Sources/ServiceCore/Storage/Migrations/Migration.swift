/// One forward-only schema step. Versions are consecutive from 1; a
/// released migration is never edited, only followed by a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// The tables the migration rebuilds. SQLite's way for a change ALTER
    /// TABLE cannot make (its "12 steps") drops the old table and renames the
    /// new one into its place: with foreign keys enforced, the drop would
    /// count every row referring to it as orphaned. The migrator applies such
    /// a migration with foreign keys off and refuses to commit unless
    /// `PRAGMA foreign_key_check` finds every reference from and to these
    /// tables resolved.
    public let rebuilds: [String]
    let apply: @Sendable (Connection) throws -> Void

    public init(version: Int, name: String, rebuilds: [String] = [], sql: String) {
        self.init(version: version, name: name, rebuilds: rebuilds) { try $0.executeScript(sql) }
    }

    public init(version: Int, name: String, rebuilds: [String] = [], apply: @escaping @Sendable (Connection) throws -> Void) {
        self.version = version
        self.name = name
        self.rebuilds = rebuilds
        self.apply = apply
    }
}
