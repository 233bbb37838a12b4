import CSQLite
import Foundation
import ServiceJSON

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
    /// An RFC 3339 text column as an instant, nil for NULL; throws on anything else.
    func instant(_ index: Int) throws -> Date?
    /// The case of `type` whose raw value the text column holds; nil for
    /// none, NULL or another type.
    func matchingCase<T: RawRepresentable & CaseIterable>(_ index: Int, of type: T.Type) -> T? where T.RawValue == String
}

extension ColumnValues {
    public func get<T: DatabaseValueConvertible>(_ index: Int) throws -> T {
        try get(index, as: T.self)
    }

    public func requiredDate(_ index: Int) throws -> LocalDate {
        guard let date = try date(index) else { throw RowDecodingError(column: "\(index)", index: index, expected: "a date", found: .null) }
        return date
    }

    public func requiredInstant(_ index: Int) throws -> Date {
        guard let instant = try instant(index) else { throw RowDecodingError(column: "\(index)", index: index, expected: "an instant", found: .null) }
        return instant
    }

    /// A JSON object the daemon encoded and stored itself (a billing line's
    /// explanation), passed on as its bytes: checked to be one object, not
    /// parsed into a tree only to be written out again, which was half the
    /// work of a page of billing lines.
    public func storedJSONObject(_ index: Int) throws -> JSONValue {
        let text: String = try get(index)
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
            throw RowDecodingError(column: "\(index)", index: index, expected: "a JSON object", found: .text(text))
        }
        return .raw(bytes)
    }

    /// A text column holding one of an enumeration's raw values, matched
    /// against its cases in place (no string made of the column: a page of
    /// service requests reads four choices a request and one an event).
    public func choice<T: RawRepresentable & CaseIterable>(_ index: Int, _ type: T.Type) throws -> T where T.RawValue == String {
        if let value = matchingCase(index, of: type) { return value }
        // Not one of them: read as text, to say what the column holds.
        let text: String = try get(index)
        throw RowDecodingError(column: "\(index)", index: index, expected: "\(T.self)", found: .text(text))
    }

    /// The same, nil for NULL.
    public func optionalChoice<T: RawRepresentable & CaseIterable>(_ index: Int, _ type: T.Type) throws -> T? where T.RawValue == String {
        // Matched first: a string is made of the column only when it is not a case.
        if let value = matchingCase(index, of: type) { return value }
        guard try get(index, as: String?.self) != nil else { return nil }
        return try choice(index, type)
    }
}

extension Row: ColumnValues {
    public func matchingCase<T: RawRepresentable & CaseIterable>(_ index: Int, of type: T.Type) -> T? where T.RawValue == String {
        (try? get(index, as: String.self)).flatMap(T.init(rawValue:))
    }

    public func date(_ index: Int) throws -> LocalDate? {
        guard let text = try get(index, as: String?.self) else { return nil }
        guard let date = LocalDate(text) else { throw RowDecodingError(column: columns[index], index: index, expected: "a date", found: .text(text)) }
        return date
    }

    public func instant(_ index: Int) throws -> Date? {
        guard let text = try get(index, as: String?.self) else { return nil }
        guard let instant = RFC3339.parse(text) else {
            throw RowDecodingError(column: columns[index], index: index, expected: "an RFC 3339 instant", found: .text(text))
        }
        return instant
    }
}

extension Statement: ColumnValues {
    public func matchingCase<T: RawRepresentable & CaseIterable>(_ index: Int, of type: T.Type) -> T? where T.RawValue == String {
        guard (0..<columnCount).contains(index) else { return nil }
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT, let text = sqlite3_column_text(handle, column) else { return nil }
        let stored = UnsafeBufferPointer(start: text, count: byteCount(at: column))
        for candidate in T.allCases {
            var raw = candidate.rawValue
            if raw.withUTF8({ $0.count == stored.count && ($0.isEmpty || memcmp($0.baseAddress!, text, $0.count) == 0) }) { return candidate }
        }
        return nil
    }

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
        try parsed(index, expected: "a date") { LocalDate(utf8: $0) }
    }

    /// Parsed from the column's bytes: a page of service requests holds a few hundred instants.
    public func instant(_ index: Int) throws -> Date? {
        try parsed(index, expected: "an RFC 3339 instant") { RFC3339.parse(bytes: $0) }
    }

    func parsed<T>(_ index: Int, expected: String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) throws -> T? {
        guard (0..<columnCount).contains(index) else {
            throw RowDecodingError(column: "#\(index)", index: index, expected: expected, found: nil)
        }
        let column = Int32(index)
        // No type asked first: SQLite has no text only for NULL (or memory
        // it could not get, which the type tells apart), and a number reads
        // as its digits, which no date or instant is. The tables are STRICT,
        // so a TEXT column holds no blob.
        guard let text = sqlite3_column_text(handle, column) else {
            if sqlite3_column_type(handle, column) == SQLITE_NULL { return nil }
            throw RowDecodingError(column: columnNames[index], index: index, expected: expected, found: value(at: index))
        }
        guard let value = parse(UnsafeBufferPointer(start: text, count: byteCount(at: column))) else {
            throw RowDecodingError(column: columnNames[index], index: index, expected: expected, found: value(at: index))
        }
        return value
    }
}
