import Foundation
import ServiceJSON

/// Webhook endpoints, their place in the event sequence, and the attempts
/// made. The secret is stored (it signs every delivery) and shown once.
public enum WebhookStore {
    private static let columns = """
        id, dealer_id, url, event_types, description, state, delivered_through, failed_attempts, first_failure_ms, next_attempt_ms,
        version, created_at, updated_at
        """

    /// A new endpoint starts after the latest event: it receives what happens from now on.
    public static func create(_ connection: Connection, dealerID: String?, url: String, eventTypes: [EventType], description: String?,
                              secret: String) throws -> WebhookEndpoint {
        let now = Timestamp.now()
        let endpoint = WebhookEndpoint(
            id: Identifier.make("whe"), dealerID: dealerID, url: url, eventTypes: eventTypes, description: description, state: .active,
            deliveredThrough: try EventStore.latestSequence(connection), failedAttempts: 0, firstFailureMilliseconds: nil,
            nextAttemptMilliseconds: nil, version: 1, createdAt: now, updatedAt: now
        )
        try connection.execute(
            "INSERT INTO webhook_endpoints (\(columns), secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [endpoint.id, dealerID, url, types(eventTypes), description, endpoint.state.rawValue, endpoint.deliveredThrough, 0,
             Int?.none, Int?.none, 1, now, now, secret]
        )
        return endpoint
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> WebhookEndpoint? {
        try connection.fetchOne("SELECT \(columns) FROM webhook_endpoints WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope])
            .map(endpoint)
    }

    public static func list(_ connection: Connection, scope: String?, page: PageRequest) throws -> Page<WebhookEndpoint> {
        let rows = try connection.fetchAll(
            "SELECT \(columns) FROM webhook_endpoints WHERE id > ?1 AND (?2 IS NULL OR dealer_id = ?2) ORDER BY id LIMIT ?3",
            [page.after ?? "", scope, page.limit + 1]
        ).map(endpoint)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    /// Saves what a PATCH may change (url, types, description) and the delivery state.
    public static func save(_ connection: Connection, _ endpoint: WebhookEndpoint) throws {
        try connection.execute(
            """
            UPDATE webhook_endpoints SET url = ?, event_types = ?, description = ?, state = ?, delivered_through = ?, failed_attempts = ?,
                first_failure_ms = ?, next_attempt_ms = ?, version = version + 1, updated_at = ? WHERE id = ?
            """,
            [endpoint.url, types(endpoint.eventTypes), endpoint.description, endpoint.state.rawValue, endpoint.deliveredThrough,
             endpoint.failedAttempts, endpoint.firstFailureMilliseconds, endpoint.nextAttemptMilliseconds, Timestamp.now(), endpoint.id]
        )
    }

    public static func delete(_ connection: Connection, id: String) throws {
        try connection.execute("DELETE FROM webhook_attempts WHERE endpoint_id = ?", [id])
        try connection.execute("DELETE FROM webhook_endpoints WHERE id = ?", [id])
    }

    public static func secret(_ connection: Connection, id: String) throws -> String? {
        try connection.fetchOne("SELECT secret FROM webhook_endpoints WHERE id = ?", [id])?.get(0)
    }

    /// Active endpoints whose held-back event may be tried now, or which
    /// have no event held back, and which are behind the outbox (one that has
    /// every event has nothing to send: the sender is woken by every commit,
    /// and each endpoint it is handed costs it three reads); and the earliest
    /// time one held back falls due.
    public static func due(_ connection: Connection, nowMilliseconds: Int) throws -> (due: [WebhookEndpoint], nextDue: Int?) {
        let due = try connection.fetchAll(
            """
            SELECT \(columns) FROM webhook_endpoints WHERE state = 'active' AND (next_attempt_ms IS NULL OR next_attempt_ms <= ?)
              AND delivered_through < (SELECT coalesce(max(seq), 0) FROM events) ORDER BY id
            """,
            [nowMilliseconds]
        ).map(endpoint)
        let next: Int? = try connection.fetchOne(
            "SELECT min(next_attempt_ms) FROM webhook_endpoints WHERE state = 'active' AND next_attempt_ms > ?", [nowMilliseconds]
        )?.get(0)
        return (due, next)
    }

    public static func recordAttempt(_ connection: Connection, endpointID: String, event: DomainEvent, attempt: Int, delivered: Bool,
                                     statusCode: Int?, error: String?, latencyMilliseconds: Int) throws {
        try connection.execute(
            """
            INSERT INTO webhook_attempts (endpoint_id, event_seq, event_id, event_type, attempt, attempted_at, outcome, status_code, error, latency_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [endpointID, event.sequence, event.id, event.type.rawValue, attempt, Timestamp.now(), delivered ? "delivered" : "failed",
             statusCode, error, latencyMilliseconds]
        )
    }

    public static func attempts(_ connection: Connection, endpointID: String, page: PageRequest) throws -> Page<WebhookAttempt> {
        let after = Int(page.after ?? "") ?? 0
        let rows = try connection.fetchAll(
            """
            SELECT id, endpoint_id, event_id, event_type, attempt, attempted_at, outcome, status_code, error, latency_ms
            FROM webhook_attempts WHERE endpoint_id = ? AND id > ? ORDER BY id LIMIT ?
            """,
            [endpointID, after, page.limit + 1]
        ).map { row in
            WebhookAttempt(id: try row.get(0), endpointID: try row.get(1), eventID: try row.get(2), eventType: try row.get(3),
                           attempt: try row.get(4), attemptedAt: try row.get(5), delivered: try row.get(6, as: String.self) == "delivered",
                           statusCode: try row.get(7), error: try row.get(8), latencyMilliseconds: try row.get(9))
        }
        return Page(rows: rows, limit: page.limit) { String($0.id) }
    }

    private static func types(_ types: [EventType]) -> String {
        JSONValue.array(types.map { .string($0.rawValue) }).encoded()
    }

    private static func endpoint(_ row: Row) throws -> WebhookEndpoint {
        guard case .array(let names)? = try? JSONParser.parse(try row.get(3, as: String.self)),
              let state = WebhookEndpoint.State(rawValue: try row.get(5)) else {
            throw RowDecodingError(column: "webhook_endpoints", expected: "valid endpoint", found: row[0])
        }
        let types = names.compactMap { name -> EventType? in
            if case .string(let text) = name { return EventType(rawValue: text) }
            return nil
        }
        return WebhookEndpoint(
            id: try row.get(0), dealerID: try row.get(1), url: try row.get(2), eventTypes: types, description: try row.get(4), state: state,
            deliveredThrough: try row.get(6), failedAttempts: try row.get(7), firstFailureMilliseconds: try row.get(8),
            nextAttemptMilliseconds: try row.get(9), version: try row.get(10), createdAt: try row.get(11), updatedAt: try row.get(12)
        )
    }
}

/// The delivery position, apart from what a PATCH changes: the sender
/// never bumps an endpoint's version (its ETag) nor overwrites its URL.
extension WebhookStore {
    public static func advance(_ connection: Connection, endpointID: String, through sequence: Int) throws {
        try connection.execute(
            """
            UPDATE webhook_endpoints SET delivered_through = max(delivered_through, ?), failed_attempts = 0, first_failure_ms = NULL,
                next_attempt_ms = NULL WHERE id = ?
            """,
            [sequence, endpointID]
        )
    }

    public static func holdBack(_ connection: Connection, endpointID: String, failures: Int, firstFailure: Int, nextAttempt: Int) throws {
        try connection.execute(
            "UPDATE webhook_endpoints SET failed_attempts = ?, first_failure_ms = ?, next_attempt_ms = ? WHERE id = ?",
            [failures, firstFailure, nextAttempt, endpointID]
        )
    }

    public static func markFailing(_ connection: Connection, endpointID: String, failures: Int, firstFailure: Int) throws {
        try connection.execute(
            """
            UPDATE webhook_endpoints SET state = 'failing', failed_attempts = ?, first_failure_ms = ?, next_attempt_ms = NULL,
                updated_at = ? WHERE id = ?
            """,
            [failures, firstFailure, Timestamp.now(), endpointID]
        )
    }

    /// A failing endpoint tries its held-back event again now, with a fresh 24 hours.
    public static func replay(_ connection: Connection, endpointID: String) throws {
        try connection.execute(
            """
            UPDATE webhook_endpoints SET state = 'active', failed_attempts = 0, first_failure_ms = NULL, next_attempt_ms = NULL,
                version = version + 1, updated_at = ? WHERE id = ?
            """,
            [Timestamp.now(), endpointID]
        )
    }
}
