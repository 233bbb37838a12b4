import CSQLite
import Foundation

/// One SQLite connection. Not thread-safe by design (opened with
/// SQLITE_OPEN_NOMUTEX): the pool hands each connection to one thread at a
/// time, which is cheaper than SQLite's own locking and easier to reason about.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    public let isReadOnly: Bool
    private var statementCache = StatementCache()

    /// How a transaction begins; the raw value is the statement that begins it.
    public enum TransactionKind: String {
        case deferred = "BEGIN DEFERRED"
        /// Takes the write lock at BEGIN: writers queue up front instead of
        /// failing with SQLITE_BUSY on their first write.
        case immediate = "BEGIN IMMEDIATE"
    }

    /// Process-wide settings, applied once before the first connection.
    private static let configureLibrary: Void = {
        _ = csqlite_disable_memory_statistics()
    }()

    public init(path: String, readOnly: Bool = false, configuration: DatabaseConfiguration? = nil) throws {
        Self.configureLibrary
        self.path = path
        isReadOnly = readOnly
        var connection: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(Self.literalFilename(path), &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteError(connection: connection, code: code, sql: "open \(path)")
            sqlite3_close_v2(connection)
            throw error
        }
        handle = connection
        sqlite3_extended_result_codes(handle, 1)
        // SQLite's own default (100 slots of 1 200 bytes) spills its small
        // allocations to malloc under the batch checks' look-ups; 256 slots
        // (300 KiB per connection, touched as used) keep them in the connection.
        _ = csqlite_set_lookaside(handle, Self.lookasideSlotBytes, Self.lookasideSlots)
        if let configuration { try configure(configuration) }
    }

    static let lookasideSlotBytes: Int32 = 1_200
    static let lookasideSlots: Int32 = 256

    /// Debian's libsqlite3 is built with SQLITE_USE_URI=1, and no open flag
    /// turns that off: a configured path starting with "file:" would be parsed
    /// as a URI (`?mode=`, `?vfs=`...). "./" keeps it a plain file name.
    static func literalFilename(_ path: String) -> String {
        path.hasPrefix("file:") ? "./" + path : path
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    private func configure(_ configuration: DatabaseConfiguration) throws {
        sqlite3_busy_timeout(handle, Int32(clamping: configuration.busyTimeoutMilliseconds))
        if !isReadOnly {
            // WAL lets readers work while one writer commits; it is a property
            // of the file, so setting it on the writer is enough.
            let mode = try fetchScalar("PRAGMA journal_mode = WAL", as: String.self)
            guard mode.lowercased() == "wal" else {
                throw SQLiteError(code: SQLITE_ERROR, message: "journal_mode is \(mode), WAL could not be enabled", sql: "PRAGMA journal_mode = WAL")
            }
        }
        try executeScript("PRAGMA synchronous = \(configuration.synchronous.rawValue.uppercased()); PRAGMA foreign_keys = ON; "
            + "PRAGMA cache_size = -\(configuration.cacheKiB); PRAGMA mmap_size = \(configuration.mmapBytes);")
    }

    // MARK: Statements

    /// A new statement, finalized when released.
    public func makeStatement(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql, persistent: false)
    }

    /// A statement kept for reuse, keyed by its SQL: hot queries are
    /// compiled once per connection.
    public func cachedStatement(_ sql: String) throws -> Statement {
        let statement = try compiled(sql)
        statement.reset()
        statement.clearBindings()
        return statement
    }

    /// The cache's statement for `sql`, compiled and kept on first use, as the
    /// previous user left it.
    private func compiled(_ sql: String) throws -> Statement {
        if let statement = statementCache.statement(for: sql) { return statement }
        let statement = try Statement(connection: self, sql: sql, persistent: true)
        statementCache.insert(statement)
        return statement
    }

    /// Runs one statement with arguments, discarding any rows.
    public func execute(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws {
        try cachedStatement(sql).execute(arguments)
    }

    /// Runs a statement without parameters or rows (BEGIN, COMMIT), compiled
    /// once. Running leaves it reset and it binds nothing, so it skips the
    /// reset and unbinding of a cached statement's checkout: through
    /// `execute`, a request's BEGIN and COMMIT cost as much as its query's
    /// binding and stepping.
    func executeUnbound(_ sql: String) throws {
        try compiled(sql).run()
    }

    /// Runs several statements separated by semicolons (migrations), without arguments.
    public func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    public func fetchCursor(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> RowCursor {
        try cachedStatement(sql).cursor(arguments)
    }

    public func fetchAll(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> [Row] {
        try fetchCursor(sql, arguments).all()
    }

    public func fetchOne(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> Row? {
        let cursor = try fetchCursor(sql, arguments)
        return try cursor.nextRow()
    }

    /// The first column of the first row; throws if there is no row.
    public func fetchScalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: [any DatabaseValueConvertible] = [], as type: T.Type = T.self) throws -> T {
        guard let row = try fetchOne(sql, arguments) else {
            throw SQLiteError(code: SQLITE_NOTFOUND, message: "query returned no row", sql: sql)
        }
        return try row.get(0, as: type)
    }

    /// The number of statements SQLite started on this connection while
    /// `body` ran (each `sqlite3_step` from a reset, as its trace reports
    /// them), for tests that hold a page's query count to a constant.
    public func countingStatements<T>(_ body: () throws -> T) rethrows -> (result: T, statements: Int) {
        let counter = StatementCounter()
        sqlite3_trace_v2(handle, UInt32(SQLITE_TRACE_STMT), { _, context, _, _ in
            Unmanaged<StatementCounter>.fromOpaque(context!).takeUnretainedValue().count += 1
            return 0
        }, Unmanaged.passUnretained(counter).toOpaque())
        defer { sqlite3_trace_v2(handle, 0, nil, nil) }
        let result = try withExtendedLifetime(counter) { try body() }
        return (result, counter.count)
    }

    /// The virtual-machine steps of the statements that completed while
    /// `body` ran (`SQLITE_STMTSTATUS_VM_STEP`, read as each one's profile
    /// event reports it done): a measure of the rows a query visited, for
    /// tests that hold a dealer's page to its own rows whatever else the
    /// estate holds.
    public func countingSteps<T>(_ body: () throws -> T) rethrows -> (result: T, steps: Int) {
        let counter = StatementCounter()
        sqlite3_trace_v2(handle, UInt32(SQLITE_TRACE_PROFILE), { _, context, statement, _ in
            let steps = sqlite3_stmt_status(OpaquePointer(statement), SQLITE_STMTSTATUS_VM_STEP, 1)
            Unmanaged<StatementCounter>.fromOpaque(context!).takeUnretainedValue().count += Int(steps)
            return 0
        }, Unmanaged.passUnretained(counter).toOpaque())
        defer { sqlite3_trace_v2(handle, 0, nil, nil) }
        let result = try withExtendedLifetime(counter) { try body() }
        return (result, counter.count)
    }

    /// Whether SQLite opened the main database read-only (asked or not).
    public var isReadOnlyDatabase: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    // MARK: Transactions

    /// Runs `body` in a transaction: commit on return, rollback on throw.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        // Cached statements, not scripts: a script is compiled on every run,
        // and every request begins and ends a transaction.
        try executeUnbound(kind.rawValue)
        do {
            let result = try body()
            try executeUnbound("COMMIT")
            return result
        } catch {
            // A failed COMMIT may have rolled back already; ignore "no transaction".
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Whether a transaction is open (SQLite is out of autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// `PRAGMA user_version`: the schema version this database is at.
    public func userVersion() throws -> Int {
        try fetchScalar("PRAGMA user_version", as: Int.self)
    }
}

private final class StatementCounter {
    var count = 0
}
