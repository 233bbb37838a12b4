import Foundation
import ServiceJSON

/// The transactional outbox. `append` is called inside the write
/// transaction of the change it describes, so a change and its event
/// commit or roll back together; the feed and the webhook sender read it.
public enum EventStore {
    /// Records `type` for the resource in `data`; returns the event's sequence.
    @discardableResult
    public static func append(
        _ connection: Connection, _ type: EventType, dealerID: String?, resourceID: String, data: JSONValue, at: Date = Date()
    ) throws -> Int {
        try connection.execute(
            "INSERT INTO events (id, type, occurred_at, dealer_id, resource_type, resource_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [Identifier.make("evt", now: at), type.rawValue, RFC3339.format(at), dealerID, type.resourceType, resourceID, data.encoded()]
        )
        return Int(connection.lastInsertRowID)
    }

    public struct Filter: Sendable {
        /// Events after this sequence.
        public var after: Int
        /// A dealer's own events only; nil for every dealer's.
        public var dealerID: String?
        /// Only these types; empty for all.
        public var types: Set<EventType>

        public init(after: Int = 0, dealerID: String? = nil, types: Set<EventType> = []) {
            self.after = after
            self.dealerID = dealerID
            self.types = types
        }
    }

    private static let columns = "seq, id, type, occurred_at, dealer_id, resource_type, resource_id, data"

    /// Up to `limit` events after `filter.after`, in order.
    public static func list(_ connection: Connection, _ filter: Filter, limit: Int) throws -> [DomainEvent] {
        // Types are a handful of known names, bound as a JSON array.
        let types: String? = filter.types.isEmpty ? nil : JSONValue.array(filter.types.map { .string($0.rawValue) }).encoded()
        return try connection.fetchAll(
            """
            SELECT \(columns) FROM events
            WHERE seq > ?1 AND (?2 IS NULL OR dealer_id = ?2)
              AND (?3 IS NULL OR type IN (SELECT value FROM json_each(?3)))
            ORDER BY seq LIMIT ?4
            """,
            [filter.after, filter.dealerID, types, limit]
        ).map(event)
    }

    /// The sequence of the latest event, 0 when there is none.
    public static func latestSequence(_ connection: Connection) throws -> Int {
        try connection.fetchScalar("SELECT COALESCE(max(seq), 0) FROM events", as: Int.self)
    }

    static func event(_ row: Row) throws -> DomainEvent {
        guard let type = EventType(rawValue: try row.get(2)) else {
            throw RowDecodingError(column: "type", index: 2, expected: "an event type", found: row[2])
        }
        guard let data = try? JSONParser.parse(try row.get(7, as: String.self)) else {
            throw RowDecodingError(column: "data", index: 7, expected: "JSON", found: row[7])
        }
        return DomainEvent(sequence: try row.get(0), id: try row.get(1), type: type, occurredAt: try row.get(3), dealerID: try row.get(4),
                     resourceType: try row.get(5), resourceID: try row.get(6), data: data)
    }
}
