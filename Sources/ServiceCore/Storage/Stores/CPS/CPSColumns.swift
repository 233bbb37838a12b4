/// Reading CPS columns: dates as `YYYY-MM-DD` text, enumerations by raw
/// value; a stored value that does not read back is an error, never a default.
enum CPSColumns {
    static func choice<T: RawRepresentable>(_ row: some ColumnValues, _ index: Int, _ type: T.Type) throws -> T where T.RawValue == String {
        let text: String = try row.get(index)
        guard let value = T(rawValue: text) else {
            throw RowDecodingError(column: "\(index)", index: index, expected: "\(T.self)", found: .text(text))
        }
        return value
    }

    static func optionalChoice<T: RawRepresentable>(_ row: some ColumnValues, _ index: Int, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard try row.get(index, as: String?.self) != nil else { return nil }
        return try choice(row, index, type)
    }
}
