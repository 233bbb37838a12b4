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
        try groupedColumns(connection, sql, keys: keys, keyColumn: keyColumn) { try decode(Row(statement: $0)) }
    }

    /// The same, each child decoded from the statement's columns directly:
    /// for the large child lists (a contract's 2 000 devices), where a `Row`
    /// per child (an array of boxed column values) and a dictionary look-up
    /// of its key were most of the read's cost. A query ordered by its key
    /// (as every child query is) meets each key in one run of rows: the key
    /// is compared in place, made a string and looked up once per run.
    static func groupedColumns<Child>(
        _ connection: Connection, _ sql: String, keys: [String], keyColumn: Int = 0, _ decode: (Statement) throws -> Child
    ) throws -> [String: [Child]] {
        guard !keys.isEmpty else { return [:] }
        // Sized for the page up front: grown one key at a time, the table was
        // rehashed (every key hashed again) as it doubled, 5 % of a page.
        var groups: [String: [Child]] = Dictionary(minimumCapacity: keys.count)
        var key: String?
        var run: [Child] = []
        func close() {
            guard let key else { return }
            // A key's rows come in one run (the queries order by key): the
            // run is stored as it is, not copied into an empty group.
            if groups[key] == nil { groups[key] = run } else { groups[key]!.append(contentsOf: run) }
            run = []
        }
        let column = Int32(keyColumn)
        let cursor = try connection.fetchCursor(sql, [JSONValue.array(keys.map(JSONValue.string)).encoded()])
        while try cursor.advance() {
            let statement = cursor.current
            if key == nil || !statement.textEquals(at: column, key!) {
                close()
                key = statement.text(at: column)
            }
            run.append(try decode(statement))
        }
        close()
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
