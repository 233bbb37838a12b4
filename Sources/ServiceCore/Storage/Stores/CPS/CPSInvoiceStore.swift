/// Subscription invoices; the state is derived from the due date and the
/// payment as of a day, so "overdue" needs no job to flip it.
public enum CPSInvoiceStore {
    private static let columns = """
        id, member_id, level, payment_method, term_starts_on, term_ends_on, issued_on, due_on, amount_minor, fee_minor, currency, paid_on
        """

    public static func insert(_ connection: Connection, _ invoice: CPSInvoice) throws {
        try connection.execute(
            "INSERT INTO cps_invoices (\(columns), created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [invoice.id, invoice.memberID, invoice.level.rawValue, invoice.paymentMethod.rawValue, invoice.termStartsOn.description,
             invoice.termEndsOn.description, invoice.issuedOn.description, invoice.dueOn.description, invoice.amountMinor,
             invoice.feeMinor, invoice.currency, invoice.paidOn?.description, Timestamp.now()]
        )
    }

    public static func find(_ connection: Connection, id: String) throws -> CPSInvoice? {
        try connection.fetchOne("SELECT \(columns) FROM cps_invoices WHERE id = ?", [id]).map(invoice)
    }

    /// A member's invoices, latest term first.
    public static func all(_ connection: Connection, memberID: String) throws -> [CPSInvoice] {
        try connection.fetchCursor(allOfMember, [memberID]).all(invoice)
    }

    // Written once, as the member read's other queries: built per call, the text was a few allocations and appends.
    private static let allOfMember = "SELECT \(columns) FROM cps_invoices WHERE member_id = ? ORDER BY term_starts_on DESC"

    /// The invoices of each member in `memberIDs`, latest term first, in one query.
    public static func all(_ connection: Connection, memberIDs: [String]) throws -> [String: [CPSInvoice]] {
        try ChildRows.grouped(
            connection, "SELECT \(columns) FROM cps_invoices WHERE member_id IN \(ChildRows.keys) ORDER BY member_id, term_starts_on DESC",
            keys: memberIDs, keyColumn: 1, invoice
        )
    }

    public static func recordPayment(_ connection: Connection, id: String, paidOn: LocalDate) throws {
        try connection.execute("UPDATE cps_invoices SET paid_on = ? WHERE id = ? AND paid_on IS NULL", [paidOn.description, id])
    }

    /// Invoices in `state` as of `today` (all when nil), optionally one member's.
    public static func list(_ connection: Connection, state: CPSInvoice.State?, memberID: String?, today: LocalDate,
                            page: PageRequest) throws -> Page<CPSInvoice> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM cps_invoices
            WHERE id > ?1 AND (?2 IS NULL OR member_id = ?2) AND CASE ?3
                WHEN 'paid' THEN paid_on IS NOT NULL
                WHEN 'overdue' THEN paid_on IS NULL AND due_on < ?4
                WHEN 'charge_scheduled' THEN paid_on IS NULL AND due_on >= ?4 AND payment_method = 'card'
                WHEN 'awaiting_payment' THEN paid_on IS NULL AND due_on >= ?4 AND payment_method = 'bank_transfer'
                ELSE 1 END
            ORDER BY id LIMIT ?5
            """,
            [page.after ?? "", memberID, state?.rawValue, today.description, page.limit + 1]
        ).map(invoice)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    private static func invoice(_ row: some ColumnValues) throws -> CPSInvoice {
        CPSInvoice(
            id: try row.get(0), memberID: try row.get(1), level: try row.choice(2, CPSLevel.self),
            paymentMethod: try row.choice(3, PaymentMethod.self), termStartsOn: try row.requiredDate(4),
            termEndsOn: try row.requiredDate(5), issuedOn: try row.requiredDate(6),
            dueOn: try row.requiredDate(7), amountMinor: try row.get(8), feeMinor: try row.get(9), currency: try row.get(10),
            paidOn: try row.date(11)
        )
    }
}
