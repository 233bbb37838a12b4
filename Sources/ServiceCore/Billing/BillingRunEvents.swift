import ServiceJSON

/// The outbox events of billing runs, written in the transaction that
/// completes or removes the run. A completed run is one event over every
/// dealer (admin and billing keys see it) and one per dealer billed in it,
/// with that dealer's total and lines, as `GET /v1/billing-runs/{id}` shows
/// the run to the dealer's key.
extension BillingRunner {
    static func publishCompleted(_ connection: Connection, id: String, year: Int, createdAt: String, currency: String,
                                 total: Int, lines: Int) throws {
        func data(total: Int, lines: Int) -> JSONValue {
            .object([
                ("id", .string(id)), ("year", .int(year)), ("status", .string("completed")), ("created_at", .string(createdAt)),
                ("total_minor", .int(total)), ("currency", .string(currency)), ("line_count", .int(lines)),
            ])
        }
        try EventStore.append(connection, .billingRunCompleted, dealerID: nil, resourceID: id, data: data(total: total, lines: lines))
        for row in try connection.fetchAll(
            "SELECT dealer_id, sum(amount_minor), count(*) FROM billing_lines WHERE run_id = ? GROUP BY dealer_id ORDER BY dealer_id", [id]
        ) {
            try EventStore.append(connection, .billingRunCompleted, dealerID: try row.get(0), resourceID: id,
                                  data: data(total: try row.get(1), lines: try row.get(2)))
        }
    }

    /// A stored run that failed, or was left running by a process that died,
    /// and has been removed with its lines.
    static func publishFailed(_ connection: Connection, id: String, year: Int, reason: String) throws {
        try EventStore.append(connection, .billingRunFailed, dealerID: nil, resourceID: id, data: .object([
            ("id", .string(id)), ("year", .int(year)), ("status", .string("failed")), ("reason", .string(reason)),
        ]))
    }
}
