import ServiceJSON

/// The audit trail: every write, who made it (key id and role), what, when.
/// Written in the same transaction as the change it records.
public struct AuditEntry: Sendable {
    public let id: Int
    public let at: String
    public let keyID: String?
    public let role: String
    public let action: String
    public let resourceType: String
    public let resourceID: String
    public let dealerID: String?
    public let detail: JSONValue
}

public enum AuditStore {
    public static func record(
        _ connection: Connection, principal: Principal, action: String, resourceType: String, resourceID: String,
        dealerID: String?, detail: JSONValue = .object([])
    ) throws {
        try connection.execute(
            """
            INSERT INTO audit_log (at, api_key_id, role, action, resource_type, resource_id, dealer_id, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [Timestamp.now(), principal.keyID, principal.role.rawValue, action, resourceType, resourceID, dealerID, detail.encoded()]
        )
    }

    public static func list(_ connection: Connection, after: Int, limit: Int) throws -> [AuditEntry] {
        try connection.fetchAll(
            """
            SELECT id, at, api_key_id, role, action, resource_type, resource_id, dealer_id, detail
            FROM audit_log WHERE id > ? ORDER BY id LIMIT ?
            """,
            [after, limit]
        ).map { row in
            AuditEntry(
                id: try row.get(0), at: try row.get(1), keyID: try row.get(2), role: try row.get(3), action: try row.get(4),
                resourceType: try row.get(5), resourceID: try row.get(6), dealerID: try row.get(7),
                detail: (try? JSONParser.parse(try row.get(8, as: String.self))) ?? .null
            )
        }
    }
}
