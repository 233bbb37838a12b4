import ServiceJSON

/// Prepaid invoicing runs and their lines, read through a dealer scope: a
/// dealer sees only its customers' lines and totals.
public enum InvoicingRunStore {
    public struct StoredLine: Sendable {
        public let id: Int
        public let line: PrepaidLine
    }

    /// Contracts a run for `period` reads: those whose term reaches into the
    /// period, and terminated ones with invoiced periods (a termination after
    /// their last period was invoiced still owes its credit).
    private static let considered = """
        (c.starts_on <= ?2 AND c.ends_on >= ?1)
          OR (c.terminated_on IS NOT NULL AND EXISTS (SELECT 1 FROM invoicing_lines l WHERE l.contract_id = c.id))
        """

    /// A page of the contracts a run for `period` reads, after `afterContractID` in id order.
    public static func terms(_ connection: Connection, period: CalendarPeriod, afterContractID: String, limit: Int) throws -> [PrepaidRules.Terms] {
        try connection.fetchAll(
            """
            SELECT c.id, c.customer_id, cu.dealer_id, c.starts_on, c.ends_on, c.terminated_on, c.prepaid_amount_minor, c.prepaid_currency,
                   c.billing_frequency
            FROM contracts c JOIN customers cu ON cu.id = c.customer_id
            WHERE c.id > ?3 AND (\(considered)) ORDER BY c.id LIMIT ?4
            """,
            [period.first.description, period.last.description, afterContractID, limit]
        ).map { row in
            guard let startsOn = LocalDate(try row.get(3)), let endsOn = LocalDate(try row.get(4)),
                  let frequency = BillingFrequency(rawValue: try row.get(8)) else {
                throw RowDecodingError(column: "starts_on/ends_on/billing_frequency", expected: "dates and a billing frequency", found: row[8])
            }
            return PrepaidRules.Terms(
                contractID: try row.get(0), customerID: try row.get(1), dealerID: try row.get(2), startsOn: startsOn, endsOn: endsOn,
                terminatedOn: try row.date(5), yearlyAmountMinor: try row.get(6),
                currency: try row.get(7), frequency: frequency
            )
        }
    }

    /// What earlier runs invoiced for `contractIDs` (a page of a run's
    /// contracts), by contract and billing period: one query per page.
    public static func billed(_ connection: Connection, contractIDs: [String]) throws -> [String: [String: PrepaidInvoicing.Billed]] {
        let rows = try ChildRows.grouped(connection, """
            SELECT contract_id, billing_period, sum(amount_minor), sum(covered_days) FROM invoicing_lines
            WHERE contract_id IN \(ChildRows.keys) GROUP BY contract_id, billing_period
            """, keys: contractIDs) { row in
            (period: try row.get(1, as: String.self), billed: PrepaidInvoicing.Billed(amountMinor: try row.get(2), coveredDays: try row.get(3)))
        }
        return rows.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.period, $0.billed) }) }
    }

    /// The run's row, before its lines; `setTotals` once they are all in.
    public static func insert(_ connection: Connection, _ run: PrepaidInvoicingRuns.Summary, principal: Principal) throws {
        try connection.execute(
            """
            INSERT INTO invoicing_runs (id, period, api_key_id, role, currency, total_minor, line_count, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [run.id, run.period, principal.keyID, principal.role.rawValue, run.currency, run.totalMinor, run.lineCount, run.createdAt]
        )
    }

    public static func setTotals(_ connection: Connection, _ run: PrepaidInvoicingRuns.Summary) throws {
        try connection.execute("UPDATE invoicing_runs SET total_minor = ?, line_count = ? WHERE id = ?", [run.totalMinor, run.lineCount, run.id])
    }

    /// A page of a run's lines.
    public static func insert(_ connection: Connection, runID: String, lines: [PrepaidLine]) throws {
        for line in lines {
            try connection.execute(
                """
                INSERT INTO invoicing_lines (run_id, contract_id, customer_id, dealer_id, billing_period, kind, adjustment, covered_days,
                    amount_minor, currency, explanation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [runID, line.contractID, line.customerID, line.dealerID, line.billingPeriod, line.kind.rawValue,
                 line.adjustment, line.coveredDays, line.amountMinor, line.currency, line.explanation.encoded()]
            )
        }
    }

    public static func run(_ connection: Connection, id: String) throws -> PrepaidInvoicingRuns.Summary? {
        try connection.fetchOne(
            "SELECT id, period, created_at, currency, total_minor, line_count FROM invoicing_runs WHERE id = ?", [id]
        ).map { row in
            PrepaidInvoicingRuns.Summary(id: try row.get(0), period: try row.get(1), dryRun: false, createdAt: try row.get(2),
                                         totalMinor: try row.get(4), currency: try row.get(3), lineCount: try row.get(5))
        }
    }

    /// The scope's total and line count in a run.
    public static func totals(_ connection: Connection, runID: String, scope: String?) throws -> (total: Int, lines: Int) {
        let row = try connection.fetchOne(
            "SELECT COALESCE(sum(amount_minor), 0), count(*) FROM invoicing_lines WHERE run_id = ?1 AND (?2 IS NULL OR dealer_id = ?2)",
            [runID, scope]
        )
        return (try row?.get(0) ?? 0, try row?.get(1) ?? 0)
    }

    public static func lines(_ connection: Connection, runID: String, scope: String?, afterID: Int, limit: Int) throws -> [StoredLine] {
        try connection.fetchAll(
            """
            SELECT id, kind, contract_id, customer_id, dealer_id, billing_period, adjustment, covered_days, amount_minor, currency, explanation
            FROM invoicing_lines WHERE run_id = ?1 AND (?2 IS NULL OR dealer_id = ?2) AND id > ?3 ORDER BY id LIMIT ?4
            """,
            [runID, scope, afterID, limit]
        ).map { row in
            // A kind or explanation this build cannot read is an error, never relabelled.
            guard let kind = PrepaidLine.Kind(rawValue: try row.get(1)) else {
                throw RowDecodingError(column: "kind", index: 1, expected: "a prepaid line kind", found: row[1])
            }
            return StoredLine(id: try row.get(0), line: PrepaidLine(
                kind: kind, contractID: try row.get(2), customerID: try row.get(3), dealerID: try row.get(4), billingPeriod: try row.get(5),
                adjustment: try row.get(6), coveredDays: try row.get(7), amountMinor: try row.get(8), currency: try row.get(9),
                explanation: try row.storedJSONObject(10)
            ))
        }
    }
}
