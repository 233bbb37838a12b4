/// Keys by hash. The lookup is by the SHA-256 of the presented key: the index
/// compares hashes, never the secret, so its timing tells an attacker nothing
/// about a key (finding a hash prefix does not help find a key).
public struct APIKeyRecord: Sendable, Equatable {
    public let id: String
    public let role: Principal.Role
    public let dealerID: String?
    public let createdAt: String
    public let revokedAt: String?
}

public enum APIKeyStore {
    /// Creates a key and returns the record and the key itself, which is not
    /// stored and cannot be shown again.
    public static func create(_ connection: Connection, role: Principal.Role, dealerID: String?) throws -> (APIKeyRecord, String) {
        let key = try APIKey.generate()
        let record = APIKeyRecord(id: Identifier.make("key"), role: role, dealerID: dealerID, createdAt: Timestamp.now(), revokedAt: nil)
        try connection.execute(
            "INSERT INTO api_keys (id, key_hash, role, dealer_id, created_at) VALUES (?, ?, ?, ?, ?)",
            [record.id, APIKey.hash(key), role.rawValue, dealerID, record.createdAt]
        )
        return (record, key)
    }

    /// The principal of an active key, or nil for unknown and revoked keys.
    public static func authenticate(_ connection: Connection, key: String) throws -> Principal? {
        let presented = APIKey.hash(key)
        guard let row = try connection.fetchOne(
            "SELECT id, role, dealer_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", [presented]
        ) else { return nil }
        guard let role = Principal.Role(rawValue: try row.get(1, as: String.self)) else { return nil }
        return Principal(keyID: try row.get(0, as: String.self), role: role, dealerID: try row.get(2, as: String?.self))
    }

    public static func find(_ connection: Connection, id: String) throws -> APIKeyRecord? {
        try connection.fetchOne("SELECT id, role, dealer_id, created_at, revoked_at FROM api_keys WHERE id = ?", [id]).map(record)
    }

    public static func list(_ connection: Connection) throws -> [APIKeyRecord] {
        try connection.fetchAll("SELECT id, role, dealer_id, created_at, revoked_at FROM api_keys ORDER BY id").map(record)
    }

    /// True when the key existed and was active.
    public static func revoke(_ connection: Connection, id: String) throws -> Bool {
        try connection.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [Timestamp.now(), id])
        return connection.changes == 1
    }

    private static func record(_ row: Row) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.get(0), role: Principal.Role(rawValue: try row.get(1)) ?? .dealer,
            dealerID: try row.get(2), createdAt: try row.get(3), revokedAt: try row.get(4)
        )
    }
}
