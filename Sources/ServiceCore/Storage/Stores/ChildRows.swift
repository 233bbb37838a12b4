import ServiceJSON

/// Child rows (a contract's devices, a request's events) of a whole page of
/// records in one statement, never one per record: a page of 500 costs what
/// a page of 2 does. The page's keys are bound as one JSON array to `?1`,
/// read with `json_each`, so the statement's text does not depend on the
/// page's size and is compiled once per connection.
enum ChildRows {
    /// The filter to write in a child query: `WHERE <column> IN \(ChildRows.keys)`.
    static let keys = "(SELECT value FROM json_each(?1))"

    /// The rows of `sql` (which takes the keys as `?1`) decoded and grouped by
    /// the key in `keyColumn`, in the order the query returns them.
    static func grouped<Child>(
        _ connection: Connection, _ sql: String, keys: [String], keyColumn: Int = 0, _ decode: (Row) throws -> Child
    ) throws -> [String: [Child]] {
        guard !keys.isEmpty else { return [:] }
        var groups: [String: [Child]] = [:]
        try connection.fetchCursor(sql, [JSONValue.array(keys.map(JSONValue.string)).encoded()]).forEach { row in
            groups[try row.get(keyColumn, as: String.self), default: []].append(try decode(row))
        }
        return groups
    }

    /// Each record with its group of `children` (none when it has no group) set at `path`.
    static func attach<Record, Child>(
        _ children: [String: [Child]], to records: [Record], by key: KeyPath<Record, String>, at path: WritableKeyPath<Record, [Child]>
    ) -> [Record] {
        records.map { record in
            var record = record
            record[keyPath: path] = children[record[keyPath: key]] ?? []
            return record
        }
    }
}
