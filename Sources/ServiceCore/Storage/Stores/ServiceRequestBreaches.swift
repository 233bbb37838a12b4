import Foundation

/// Response deadlines that passed unanswered, found by the daemon and
/// marked once (`response_breached_at`), so each breach is raised as an
/// event exactly once, also when it passed while the daemon was down.
extension ServiceRequestStore {
    private static let breachPending = """
        first_response_at IS NULL AND response_breached_at IS NULL AND response_due_at IS NOT NULL AND state <> 'cancelled'
        """

    /// Unanswered requests whose deadline is before `now` and not yet raised, oldest deadline first.
    public static func unraisedBreaches(_ connection: Connection, at now: Date, limit: Int) throws -> [ServiceRequest] {
        try requests(
            connection, "SELECT \(columns) FROM service_requests WHERE \(breachPending) AND response_due_at < ? ORDER BY response_due_at, id LIMIT ?",
            [RFC3339.format(now), limit]
        )
    }

    /// The next deadline still to pass among unanswered requests.
    public static func nextUnraisedDeadline(_ connection: Connection) throws -> Date? {
        try connection.fetchOne("SELECT min(response_due_at) FROM service_requests WHERE \(breachPending)")?.instant(0)
    }

    /// Marks the breach raised; false when it already was (or the request was answered meanwhile).
    public static func markBreachRaised(_ connection: Connection, id: String, at now: Date) throws -> Bool {
        try connection.execute(
            "UPDATE service_requests SET response_breached_at = ?, updated_at = ? WHERE id = ? AND \(breachPending)",
            [RFC3339.format(now), Timestamp.now(), id]
        )
        return connection.changes == 1
    }
}
