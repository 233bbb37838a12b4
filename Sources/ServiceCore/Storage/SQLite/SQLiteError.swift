import CSQLite

/// A failed SQLite call, carrying what is needed to diagnose it from a log
/// line alone: the extended result code, SQLite's message, and the SQL and
/// arguments of the statement.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE` = 2067, ...).
    public let extendedResultCode: Int32
    public let message: String
    public let sql: String?
    public let arguments: String?

    /// The primary result code (`SQLITE_CONSTRAINT` = 19, ...).
    public var resultCode: Int32 { extendedResultCode & 0xFF }

    public init(code: Int32, message: String, sql: String? = nil, arguments: String? = nil) {
        extendedResultCode = code
        self.message = message
        self.sql = sql
        self.arguments = arguments
    }

    init(connection: OpaquePointer?, code: Int32, sql: String? = nil, arguments: [DatabaseValue]? = nil) {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: message, sql: sql, arguments: arguments.map { "\($0)" })
    }

    // Extended codes are function-like macros in sqlite3.h, which Swift does not import.
    public static let constraintUnique: Int32 = 2067
    public static let constraintPrimaryKey: Int32 = 1555
    public static let constraintForeignKey: Int32 = 787

    public static let readOnly = SQLITE_READONLY
    public static let cannotOpen = SQLITE_CANTOPEN
    public static let notADatabase = SQLITE_NOTADB

    public var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }
    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }
    public var isUniqueViolation: Bool {
        extendedResultCode == Self.constraintUnique || extendedResultCode == Self.constraintPrimaryKey
    }
    public var isForeignKeyViolation: Bool { extendedResultCode == Self.constraintForeignKey }

    public var description: String {
        var text = "SQLite error \(extendedResultCode): \(message)"
        if let sql { text += " — while executing `\(sql)`" }
        if let arguments { text += " with arguments \(arguments)" }
        return text
    }
}
