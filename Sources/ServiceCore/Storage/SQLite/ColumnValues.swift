import CSQLite

/// The columns of one result row, read by position: a `Row` copied out of
/// its statement, or the `Statement` itself on its current row. A decoder
/// written against this reads either; the statement skips the copy (an
/// array of boxed values and a string per text column, most of reading a
/// CPS member's ten registrations).
public protocol ColumnValues {
    /// The column as `T`; throws rather than traps on NULL or another type.
    func get<T: DatabaseValueConvertible>(_ index: Int, as type: T.Type) throws -> T
    /// A `YYYY-MM-DD` text column as a date, nil for NULL; throws on anything else.
    func date(_ index: Int) throws -> LocalDate?
}

extension ColumnValues {
    public func get<T: DatabaseValueConvertible>(_ index: Int) throws -> T {
        try get(index, as: T.self)
    }

    public func requiredDate(_ index: Int) throws -> LocalDate {
        guard let date = try date(index) else { throw RowDecodingError(column: "\(index)", index: index, expected: "a date", found: .null) }
        return date
    }
}

extension Row: ColumnValues {
    public func date(_ index: Int) throws -> LocalDate? {
        guard let text = try get(index, as: String?.self) else { return nil }
        guard let date = LocalDate(text) else { throw RowDecodingError(column: columns[index], index: index, expected: "a date", found: .text(text)) }
        return date
    }
}

extension Statement: ColumnValues {
    public func get<T: DatabaseValueConvertible>(_ index: Int, as type: T.Type) throws -> T {
        guard (0..<columnCount).contains(index) else {
            throw RowDecodingError(column: "#\(index)", index: index, expected: "\(T.self)", found: nil)
        }
        let value = value(at: index)
        guard let converted = T.from(value) else {
            throw RowDecodingError(column: columnNames[index], index: index, expected: "\(T.self)", found: value)
        }
        return converted
    }

    /// Parsed from the column's bytes, without a string made of them.
    public func date(_ index: Int) throws -> LocalDate? {
        guard (0..<columnCount).contains(index) else {
            throw RowDecodingError(column: "#\(index)", index: index, expected: "a date", found: nil)
        }
        let column = Int32(index)
        if isNull(at: column) { return nil }
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT,
              let text = sqlite3_column_text(handle, column),
              let date = LocalDate(utf8: UnsafeBufferPointer(start: text, count: byteCount(at: column))) else {
            throw RowDecodingError(column: columnNames[index], index: index, expected: "a date", found: value(at: index))
        }
        return date
    }
}
