/// One result row, copied out of the statement so it outlives the step.
public struct Row: Sendable {
    public let values: [DatabaseValue]
    let columns: [String]

    /// The statement's current row, copied.
    init(statement: Statement) {
        values = (0..<statement.columnCount).map(statement.value(at:))
        columns = statement.columnNames
    }

    public subscript(_ index: Int) -> DatabaseValue { values[index] }

    public subscript(_ name: String) -> DatabaseValue? {
        columns.firstIndex(of: name).map { values[$0] }
    }

    /// The column as `T`; throws rather than traps on NULL or another type.
    public func get<T: DatabaseValueConvertible>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard values.indices.contains(index) else {
            throw RowDecodingError(column: "#\(index)", index: index, expected: "\(T.self)", found: nil)
        }
        let value = values[index]
        guard let converted = T.from(value) else {
            throw RowDecodingError(column: columns[index], index: index, expected: "\(T.self)", found: value)
        }
        return converted
    }

    public func get<T: DatabaseValueConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columns.firstIndex(of: name) else {
            throw RowDecodingError(column: name, expected: "\(T.self)", found: nil)
        }
        return try get(index, as: type)
    }
}

/// Rows produced one at a time, so a large result (a year of meter
/// readings) never has to sit in memory at once. Resets its statement when
/// exhausted or released.
public final class RowCursor {
    private let statement: Statement
    private var finished = false

    init(statement: Statement) {
        self.statement = statement
    }

    deinit {
        if !finished { statement.reset() }
    }

    /// The next row, nil at the end; errors surface here.
    public func nextRow() throws -> Row? {
        try nextDecoded(Row.init(statement:))
    }

    /// Steps once and hands the statement itself to `decode`, for hot scans
    /// that read columns directly instead of allocating a `Row`.
    public func nextDecoded<T>(_ decode: (Statement) throws -> T) throws -> T? {
        guard try advance() else { return nil }
        return try decode(statement)
    }

    /// Steps once: true while there is a row, which `current` reads until
    /// the next step. For merge scans, which look at a row's key before
    /// deciding whether it is theirs.
    public func advance() throws -> Bool {
        guard !finished else { return false }
        guard try statement.step() else {
            finished = true
            statement.reset()
            return false
        }
        return true
    }

    /// The statement on the row `advance` stepped to.
    public var current: Statement { statement }

    /// Visits every remaining row. Deliberately not a `Sequence`: iterators
    /// cannot throw, and a read error must never look like the end of data.
    public func forEach(_ body: (Row) throws -> Void) throws {
        while let row = try nextRow() { try body(row) }
    }

    public func all() throws -> [Row] {
        try all(Row.init(statement:))
    }

    /// Every remaining row decoded from the statement's columns.
    public func all<T>(_ decode: (Statement) throws -> T) throws -> [T] {
        var items: [T] = []
        while let item = try nextDecoded(decode) { items.append(item) }
        return items
    }
}
