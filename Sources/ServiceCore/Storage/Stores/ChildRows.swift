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

    /// Gives each record its children with `set`: the rows of `sql` (which takes
    /// the records' `keys`, in the records' order, as `?1` and returns each child's key in
    /// `keyColumn`), decoded from the statement's columns. A child's key is
    /// found among the records' in place: the keys' bytes are copied once into
    /// one buffer and sorted as SQLite's BINARY collation sorts text, and each
    /// run of one key's rows is matched by a binary search over them. No string
    /// is made of a child's key, none is hashed and none retained: for a page
    /// of service requests, a dictionary of groups and a string a request were
    /// a twelfth of the page, and comparing rows with the keys as strings
    /// (each retained and released) 3 % of its time.
    /// The rows may come in any order; ordered by key, each key is searched once.
    /// `set` is a closure, not a key path: writing through a key path copied
    /// each record (every string in it retained and released).
    static func attachColumns<Record, Child>(
        _ connection: Connection, _ sql: String, to records: inout [Record], keys: [String],
        set: (inout Record, [Child]) -> Void, keyColumn: Int = 0, _ decode: (Statement) throws -> Child
    ) throws {
        precondition(keys.count == records.count, "a key for each record")
        guard !records.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.reduce(0) { $0 &+ $1.utf8.count })
        var spans: [Range<Int>] = []
        spans.reserveCapacity(keys.count)
        for key in keys {
            let start = bytes.count
            bytes.append(contentsOf: key.utf8)
            spans.append(start..<bytes.count)
        }
        var groups = [[Child]](repeating: [], count: keys.count)
        let column = Int32(keyColumn)
        let cursor = try connection.fetchCursor(sql, [argument(keys)])
        try bytes.withUnsafeBufferPointer { bytes in
            let sorted = spans.indices.map { SortedKey(bytes: UnsafeBufferPointer(rebasing: bytes[spans[$0]]), record: $0) }
                .sorted { precedes($0.bytes, $1.bytes) }
            // Positions in `sorted` of the records whose key the last row had (more than one only for a repeated key).
            var matching = 0..<0
            while try cursor.advance() {
                let statement = cursor.current
                if matching.isEmpty || statement.compareText(at: column, with: sorted[matching.lowerBound].bytes) != 0 {
                    // Rows ordered by key meet the next key in order: searched only when they do not.
                    let next = matching.upperBound
                    matching = next < sorted.count && statement.compareText(at: column, with: sorted[next].bytes) == 0
                        ? equalRun(from: next, of: statement, column, in: sorted)
                        : equalRange(of: statement, column, in: sorted)
                }
                guard !matching.isEmpty else { continue }
                let child = try decode(statement)
                for position in matching {
                    let record = sorted[position].record
                    // Room for a few up front: a request's three events took three allocations, one per append.
                    if groups[record].isEmpty { groups[record].reserveCapacity(4) }
                    groups[record].append(child)
                }
            }
        }
        for index in records.indices { set(&records[index], groups[index]) }
    }

    /// A record's key as bytes in the buffer of all the keys, and the record's index.
    private struct SortedKey {
        let bytes: UnsafeBufferPointer<UInt8>
        let record: Int
    }

    /// The positions in `sorted` of the keys equal to the statement's key column; empty when none is.
    private static func equalRange(of statement: Statement, _ column: Int32, in sorted: [SortedKey]) -> Range<Int> {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if statement.compareText(at: column, with: sorted[middle].bytes) > 0 { low = middle + 1 } else { high = middle }
        }
        return equalRun(from: low, of: statement, column, in: sorted)
    }

    /// The positions from `start` on whose keys equal the statement's key column.
    private static func equalRun(from start: Int, of statement: Statement, _ column: Int32, in sorted: [SortedKey]) -> Range<Int> {
        var end = start
        while end < sorted.count, statement.compareText(at: column, with: sorted[end].bytes) == 0 { end += 1 }
        return start..<end
    }

    /// Whether `first` sorts before `second`, as SQLite's BINARY collation sorts text.
    private static func precedes(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(first.count, second.count)
        let order = common == 0 ? 0 : memcmp(first.baseAddress!, second.baseAddress!, common)
        return order != 0 ? order < 0 : first.count < second.count
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
