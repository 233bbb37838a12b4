import CSQLite
import Foundation

/// A prepared statement. Owns its `sqlite3_stmt` and finalizes it on deinit;
/// used by one thread at a time, like its connection.
public final class Statement {
    let handle: OpaquePointer
    public let sql: String
    private unowned let connection: Connection
    /// The arguments of the current binding, converted only for an error's message.
    private var boundValues: [any DatabaseValueConvertible] = []

    init(connection: Connection, sql: String, persistent: Bool) throws {
        self.connection = connection
        self.sql = sql
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        // The tail points into the C string, so it is read inside the closure
        // that keeps that string alive: a String passed to C directly may be
        // a temporary copy, freed when the call returns, and the check then
        // read freed memory (seen as a spurious "more than one statement").
        let (code, extra) = sql.withCString { text -> (Int32, Bool) in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection.handle, text, -1, flags, &statement, &tail)
            return (code, tail.map { String(cString: $0).contains { !$0.isWhitespace && $0 != ";" } } ?? false)
        }
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(connection: connection.handle, code: code, sql: sql)
        }
        if extra {
            sqlite3_finalize(statement)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement; use Connection.executeScript", sql: sql)
        }
        handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }
    public lazy var columnNames: [String] = (0..<Int32(columnCount)).map { String(cString: sqlite3_column_name(handle, $0)) }

    /// Binds positional arguments (`?` / `?NNN`), all of them: a count that
    /// does not match the statement is a bug worth an error, not a NULL.
    public func bind(_ arguments: [any DatabaseValueConvertible]) throws {
        guard arguments.count == parameterCount else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement has \(parameterCount) parameters, \(arguments.count) given", sql: sql)
        }
        reset()
        boundValues = arguments
        for (index, argument) in arguments.enumerated() {
            try bind(argument.databaseValue, at: Int32(index + 1))
        }
    }

    /// Binds named arguments (`:name`, `@name`, `$name`; give the name with its prefix).
    public func bind(named arguments: [String: any DatabaseValueConvertible]) throws {
        reset()
        boundValues = []
        for (name, argument) in arguments {
            let index = sqlite3_bind_parameter_index(handle, name)
            guard index > 0 else {
                throw SQLiteError(code: SQLITE_RANGE, message: "no parameter named \(name)", sql: sql)
            }
            boundValues.append(argument)
            try bind(argument.databaseValue, at: index)
        }
    }

    /// Typed binds without boxing, for hot loops (bulk inserts). Indices are
    /// 1-based, as in SQLite; call `reset()` before rebinding a used statement.
    public func bind(_ value: Int64, at index: Int32) throws {
        let code = sqlite3_bind_int64(handle, index, value)
        guard code == SQLITE_OK else { throw error(code) }
    }

    public func bind(_ value: String, at index: Int32) throws {
        let code = sqlite3_bind_text(handle, index, value, -1, SQLiteDestructor.transient)
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// UTF-8 bytes bound as text, without making a String of them first.
    public func bindText(_ bytes: [UInt8], at index: Int32) throws {
        guard !bytes.isEmpty else { return try bind("", at: index) }
        let code = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_text(handle, index, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(buffer.count), SQLiteDestructor.transient)
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Runs a bound statement that returns no rows, and resets it.
    public func run() throws {
        while try step() {}
        reset()
    }

    private func bind(_ value: DatabaseValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let int):
            code = sqlite3_bind_int64(handle, index, int)
        case .real(let real):
            code = sqlite3_bind_double(handle, index, real)
        case .text(let text):
            code = sqlite3_bind_text(handle, index, text, -1, SQLiteDestructor.transient)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes {
                sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), SQLiteDestructor.transient)
            }
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Advances; true when a row is available.
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = error(code)
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// Runs to completion, discarding rows.
    public func execute(_ arguments: [any DatabaseValueConvertible] = []) throws {
        try bind(arguments)
        while try step() {}
        reset()
    }

    public func reset() {
        sqlite3_reset(handle)
    }

    public func clearBindings() {
        sqlite3_clear_bindings(handle)
        boundValues = []
    }

    /// The current row's column as SQLite stores it.
    public func value(at column: Int) -> DatabaseValue {
        let index = Int32(column)
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        default:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let blob = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        }
    }

    /// Typed column reads for hot scans; the column must hold that type.
    public func int64(at column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func isNull(at column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func text(at column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The text column, as `candidate` itself when the bytes are the same:
    /// scans that meet the same ids row after row share one string instead
    /// of allocating one per row.
    public func text(at column: Int32, reusing candidate: String) -> String {
        textEquals(at: column, candidate) ? candidate : text(at: column)
    }

    /// Whether the text column holds exactly `value`, without making a string of it.
    public func textEquals(at column: Int32, _ value: String) -> Bool {
        compareText(at: column, with: value) == 0
    }

    /// The text column against `value`'s UTF-8 bytes, as `compareText(at:with:)` orders them.
    public func compareText(at column: Int32, with value: String) -> Int {
        var value = value
        return value.withUTF8 { compareText(at: column, with: $0) }
    }

    /// The bytes of a text column, valid only inside `body` (no copy, no string made of them).
    public func withText<T>(at column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let text = sqlite3_column_text(handle, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// The length in bytes of a text or blob column.
    public func byteCount(at column: Int32) -> Int { Int(sqlite3_column_bytes(handle, column)) }

    /// The text column against `key` byte by byte, as SQLite's BINARY
    /// collation orders them: negative, zero or positive.
    public func compareText(at column: Int32, with key: UnsafeBufferPointer<UInt8>) -> Int {
        // Text first: only then does the byte count refer to the UTF-8 text.
        guard let text = sqlite3_column_text(handle, column) else { return key.isEmpty ? 0 : -1 }
        let count = Int(sqlite3_column_bytes(handle, column))
        let common = min(count, key.count)
        if common > 0, let base = key.baseAddress {
            let order = memcmp(text, base, common)
            if order != 0 { return Int(order) }
        }
        return count - key.count
    }

    /// Rows of the statement with the given arguments, read lazily.
    public func cursor(_ arguments: [any DatabaseValueConvertible] = []) throws -> RowCursor {
        try bind(arguments)
        return RowCursor(statement: self)
    }

    private func error(_ code: Int32) -> SQLiteError {
        SQLiteError(connection: connection.handle, code: code, sql: sql, arguments: boundValues.map(\.databaseValue))
    }
}

enum SQLiteDestructor {
    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
