public enum IPFAuthorisationStore {
    /// An admin action as recorded, with who and when.
    public struct Recorded: Sendable {
        public let action: Authorisation.Action
        public let keyID: String?
        public let recordedAt: String
    }

    public static func record(_ connection: Connection, dealerID: String, _ action: Authorisation.Action, keyID: String?) throws {
        try connection.execute(
            """
            INSERT INTO ipf_authorisation_actions (dealer_id, kind, product_line, effective_on, reason, api_key_id, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [dealerID, action.kind.rawValue, action.line?.rawValue, action.effectiveOn.description, action.reason, keyID, Timestamp.now()]
        )
    }

    /// The dealer's actions in the order recorded.
    public static func actions(_ connection: Connection, dealerID: String) throws -> [Recorded] {
        try connection.fetchAll(
            "SELECT kind, product_line, effective_on, reason, api_key_id, recorded_at FROM ipf_authorisation_actions WHERE dealer_id = ? ORDER BY id",
            [dealerID]
        ).map { row in
            let line: String? = try row.get(1)
            guard let kind = Authorisation.Action.Kind(rawValue: try row.get(0)), let effective = LocalDate(try row.get(2)),
                  line == nil || ProductLineID(rawValue: line!) != nil else {
                throw RowDecodingError(column: "ipf_authorisation_actions", expected: "kind, line and date", found: row[0])
            }
            return Recorded(action: Authorisation.Action(kind: kind, line: line.flatMap(ProductLineID.init), effectiveOn: effective,
                                                         reason: try row.get(3)),
                            keyID: try row.get(4), recordedAt: try row.get(5))
        }
    }
}
