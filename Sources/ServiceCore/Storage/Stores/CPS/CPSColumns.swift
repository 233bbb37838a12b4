/// Reading CPS columns: dates as `YYYY-MM-DD` text, enumerations by raw
/// value; a stored value that does not read back is an error, never a default.
enum CPSColumns {
    static func date(_ row: Row, _ index: Int) throws -> LocalDate? {
        guard let text = try row.get(index, as: String?.self) else { return nil }
        guard let date = LocalDate(text) else { throw RowDecodingError(column: "\(index)", index: index, expected: "a date", found: .text(text)) }
        return date
    }

    static func requiredDate(_ row: Row, _ index: Int) throws -> LocalDate {
        guard let date = try date(row, index) else { throw RowDecodingError(column: "\(index)", index: index, expected: "a date", found: .null) }
        return date
    }

    static func choice<T: RawRepresentable>(_ row: Row, _ index: Int, _ type: T.Type) throws -> T where T.RawValue == String {
        let text: String = try row.get(index)
        guard let value = T(rawValue: text) else {
            throw RowDecodingError(column: "\(index)", index: index, expected: "\(T.self)", found: .text(text))
        }
        return value
    }

    static func optionalChoice<T: RawRepresentable>(_ row: Row, _ index: Int, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard try row.get(index, as: String?.self) != nil else { return nil }
        return try choice(row, index, type)
    }
}
