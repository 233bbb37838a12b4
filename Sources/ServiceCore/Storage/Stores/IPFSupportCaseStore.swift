import Foundation

public enum IPFSupportCaseStore {
    private static let columns = "id, dealer_id, serial, channel, problem, state, opened_at, escalated_at, response_due_at, version"

    public static func create(_ connection: Connection, _ supportCase: IPFSupportCase) throws {
        try connection.execute(
            "INSERT INTO ipf_support_cases (\(columns), updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [supportCase.id, supportCase.dealerID, supportCase.serial, supportCase.channel.rawValue, supportCase.problem,
             supportCase.state.rawValue, RFC3339.format(supportCase.openedAt), String?.none, String?.none, supportCase.version, Timestamp.now()]
        )
    }

    /// The case's new state and its latest event.
    public static func save(_ connection: Connection, _ supportCase: IPFSupportCase) throws {
        try connection.execute(
            "UPDATE ipf_support_cases SET state = ?, escalated_at = ?, response_due_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
            [supportCase.state.rawValue, supportCase.escalatedAt.map(RFC3339.format), supportCase.responseDueAt.map(RFC3339.format),
             Timestamp.now(), supportCase.id]
        )
        guard let event = supportCase.events.last else { return }
        try connection.execute("INSERT INTO ipf_support_case_events (case_id, type, note, at) VALUES (?, ?, ?, ?)",
                               [supportCase.id, event.type.rawValue, event.note, RFC3339.format(event.at)])
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> IPFSupportCase? {
        guard let row = try connection.fetchOne(
            "SELECT \(columns) FROM ipf_support_cases WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope]
        ) else { return nil }
        return try supportCases(connection, [row]).first
    }

    /// Cases from their rows, with the events of all of them read in one query.
    private static func supportCases(_ connection: Connection, _ rows: [Row]) throws -> [IPFSupportCase] {
        let cases = try rows.map(supportCase)
        let events = try ChildRows.grouped(
            connection, "SELECT case_id, type, note, at FROM ipf_support_case_events WHERE case_id IN \(ChildRows.keys) ORDER BY case_id, id",
            keys: cases.map(\.id)
        ) { row in
            guard let type = IPFSupportCase.EventType(rawValue: try row.get(1)), let at = RFC3339.parse(try row.get(3)) else {
                throw RowDecodingError(column: "ipf_support_case_events", expected: "a case event", found: row[1])
            }
            return IPFSupportCase.Event(type: type, note: try row.get(2), at: at)
        }
        return ChildRows.attach(events, to: cases, by: \.id, at: \.events)
    }

    public static func list(_ connection: Connection, scope: String?, dealerID: String?, state: IPFSupportCase.State?,
                            page: PageRequest) throws -> Page<IPFSupportCase> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM ipf_support_cases WHERE id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3)
            AND (?4 IS NULL OR state = ?4) ORDER BY id LIMIT ?5
            """,
            [page.after ?? "", scope, dealerID, state?.rawValue, page.limit + 1]
        )
        return try Page.assembling(rows: rows, limit: page.limit) { try supportCases(connection, $0) }
    }

    private static func supportCase(_ row: Row) throws -> IPFSupportCase {
        guard let channel = IPFSupportCase.Channel(rawValue: try row.get(3)), let state = IPFSupportCase.State(rawValue: try row.get(5)),
              let opened = RFC3339.parse(try row.get(6)) else {
            throw RowDecodingError(column: "ipf_support_cases", expected: "a stored case", found: row[0])
        }
        return IPFSupportCase(
            id: try row.get(0), dealerID: try row.get(1), serial: try row.get(2), channel: channel, problem: try row.get(4), state: state,
            openedAt: opened, escalatedAt: try row.instant(7),
            responseDueAt: try row.instant(8), events: [], version: try row.get(9)
        )
    }
}
