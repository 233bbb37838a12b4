/// A connection's prepared statements, found by their SQL. Grouped by the
/// SQL's length in bytes and compared only within a group: a dictionary keyed
/// by the SQL hashed every byte of it on every look-up (about a thousand
/// instructions for a few hundred bytes of SQL, six look-ups a CPS member
/// read), where comparing two strings of one storage (the statements' SQL is
/// mostly held in constants) is a pointer check.
struct StatementCache {
    private var byLength: [Int: [Statement]] = [:]

    func statement(for sql: String) -> Statement? {
        guard let group = byLength[sql.utf8.count] else { return nil }
        for statement in group where statement.sql == sql { return statement }
        return nil
    }

    mutating func insert(_ statement: Statement) {
        byLength[statement.sql.utf8.count, default: []].append(statement)
    }

    mutating func removeAll() {
        byLength.removeAll()
    }
}
