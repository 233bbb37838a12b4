import Foundation
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
        let cursor = try connection.fetchCursor(sql, [argument(keys)])
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

    /// Sets each record's children at `path`: the rows of `sql` (which takes
    /// the records' keys as `?1` and returns each child's key in
    /// `keyColumn`), decoded from the statement's columns. A child's key is
    /// found among the records' in place: the keys are sorted once as
    /// SQLite's BINARY collation sorts text, and each run of one key's rows
    /// is matched by a binary search over them. No string is made of a
    /// child's key and none is hashed: for a page of service requests, a
    /// dictionary of groups and a string a request were a twelfth of the page.
    /// The rows may come in any order; ordered by key, each key is searched once.
    static func attachColumns<Record, Child>(
        _ connection: Connection, _ sql: String, to records: inout [Record], by key: (Record) -> String,
        at path: WritableKeyPath<Record, [Child]>, keyColumn: Int = 0, _ decode: (Statement) throws -> Child
    ) throws {
        guard !records.isEmpty else { return }
        let keys = records.map(key)
        let order = keys.indices.sorted { precedes(keys[$0], keys[$1]) }
        var groups = [[Child]](repeating: [], count: keys.count)
        let column = Int32(keyColumn)
        // Positions in `order` of the records whose key the last row had (more than one only for a repeated key).
        var matching = 0..<0
        let cursor = try connection.fetchCursor(sql, [argument(keys)])
        while try cursor.advance() {
            let statement = cursor.current
            if matching.isEmpty || statement.compareText(at: column, with: keys[order[matching.lowerBound]]) != 0 {
                // Rows ordered by key meet the next key in order: searched only when they do not.
                let next = matching.upperBound
                matching = next < order.count && statement.compareText(at: column, with: keys[order[next]]) == 0
                    ? equalRun(from: next, of: statement, column, in: keys, order)
                    : equalRange(of: statement, column, in: keys, order)
            }
            guard !matching.isEmpty else { continue }
            let child = try decode(statement)
            for position in matching { groups[order[position]].append(child) }
        }
        for index in records.indices { records[index][keyPath: path] = groups[index] }
    }

    /// The positions in `order` (indices of `keys` in byte order) of the keys
    /// equal to the statement's key column; empty when none is.
    private static func equalRange(of statement: Statement, _ column: Int32, in keys: [String], _ order: [Int]) -> Range<Int> {
        var low = 0, high = order.count
        while low < high {
            let middle = (low + high) / 2
            if statement.compareText(at: column, with: keys[order[middle]]) > 0 { low = middle + 1 } else { high = middle }
        }
        return equalRun(from: low, of: statement, column, in: keys, order)
    }

    /// The positions from `start` on whose keys equal the statement's key column.
    private static func equalRun(from start: Int, of statement: Statement, _ column: Int32, in keys: [String], _ order: [Int]) -> Range<Int> {
        var end = start
        while end < order.count, statement.compareText(at: column, with: keys[order[end]]) == 0 { end += 1 }
        return start..<end
    }

    /// Whether `first`'s UTF-8 bytes sort before `second`'s, as SQLite's BINARY collation sorts text.
    private static func precedes(_ first: String, _ second: String) -> Bool {
        var first = first, second = second
        return first.withUTF8 { first in
            second.withUTF8 { second in
                let common = min(first.count, second.count)
                let order = common == 0 ? 0 : memcmp(first.baseAddress!, second.baseAddress!, common)
                return order != 0 ? order < 0 : first.count < second.count
            }
        }
    }

    /// The keys as the JSON array `keys` reads, written straight as text:
    /// a tree of them was 2 % of a page.
    private static func argument(_ keys: [String]) -> String {
        String(decoding: JSONWriter.bytes(capacity: keys.count &* 34 &+ 2) { $0.array(keys) { $0.string($1) } }, as: UTF8.self)
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
