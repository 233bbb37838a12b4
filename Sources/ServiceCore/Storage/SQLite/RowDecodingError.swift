/// A column that could not be read as the type asked for: NULL into a
/// non-optional, another storage class, a value out of range, or no such
/// column. Thrown instead of trapping, since the data comes from disk and a
/// bad row must fail one request, not the process.
public struct RowDecodingError: Error, Sendable, CustomStringConvertible {
    public let column: String
    /// Position in the row, when the column exists.
    public let index: Int?
    public let expected: String
    /// Nil when the row has no such column.
    public let found: DatabaseValue?

    public init(column: String, index: Int? = nil, expected: String, found: DatabaseValue?) {
        self.column = column
        self.index = index
        self.expected = expected
        self.found = found
    }

    public var description: String {
        guard let found else { return "row has no column \(column) (expected \(expected))" }
        let position = index.map { " (index \($0))" } ?? ""
        return "column \(column)\(position): expected \(expected), found \(found)"
    }
}
