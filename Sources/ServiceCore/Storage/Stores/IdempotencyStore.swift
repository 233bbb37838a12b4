/// Responses stored under (API key, Idempotency-Key) so a retried POST gets
/// the original answer instead of a second effect.
public struct StoredResponse: Sendable, Equatable {
    public let requestHash: [UInt8]
    public let status: Int
    /// The response's content headers (Content-Type, ETag, Location) as JSON.
    public let headers: String
    public let body: [UInt8]

    public init(requestHash: [UInt8], status: Int, headers: String, body: [UInt8]) {
        self.requestHash = requestHash
        self.status = status
        self.headers = headers
        self.body = body
    }
}

public enum IdempotencyStore {
    public static func find(_ connection: Connection, keyID: String, idempotencyKey: String) throws -> StoredResponse? {
        try connection.fetchOne(
            """
            SELECT request_hash, status, response_headers, response_body FROM idempotency_keys
            WHERE api_key_id = ? AND idempotency_key = ?
            """,
            [keyID, idempotencyKey]
        ).map { row in
            StoredResponse(requestHash: try row.get(0), status: try row.get(1), headers: try row.get(2), body: try row.get(3))
        }
    }

    /// Keeps the first answer stored under a key: a request that ran
    /// outside the key's transaction (a billing run) may finish after
    /// another one under the same key, and its work is done either way.
    public static func save(_ connection: Connection, keyID: String, idempotencyKey: String, _ response: StoredResponse) throws {
        try connection.execute(
            """
            INSERT OR IGNORE INTO idempotency_keys (api_key_id, idempotency_key, request_hash, status, response_headers, response_body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [keyID, idempotencyKey, response.requestHash, response.status, response.headers, response.body, Timestamp.now()]
        )
    }
}
