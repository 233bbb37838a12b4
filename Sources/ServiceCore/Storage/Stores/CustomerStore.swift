/// Customers, always read through the caller's dealer scope: a dealer key
/// never loads another dealer's row, so it cannot leak by accident.
public enum CustomerStore {
    private static let columns = "id, dealer_id, name, version, created_at, updated_at"

    public static func create(_ connection: Connection, dealerID: String, name: String, id: String = Identifier.make("cus")) throws -> Customer {
        let now = Timestamp.now()
        let customer = Customer(id: id, dealerID: dealerID, name: name, version: 1, createdAt: now, updatedAt: now)
        try connection.execute(
            "INSERT INTO customers (\(columns)) VALUES (?, ?, ?, ?, ?, ?)",
            [customer.id, dealerID, name, 1, now, now]
        )
        return customer
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> Customer? {
        try connection.fetchOne(
            "SELECT \(columns) FROM customers WHERE id = ? AND (?2 IS NULL OR dealer_id = ?2)", [id, scope]
        ).map(customer)
    }

    public static func list(_ connection: Connection, scope: String?, dealerID: String?, page: PageRequest) throws -> Page<Customer> {
        // A plain equality when a dealer is named, so SQLite walks
        // customers_by_dealer (as ServiceRequestStore.listSQL explains).
        let dealer = scope == nil && dealerID == nil ? "?2 IS NULL AND ?3 IS NULL" : "dealer_id = coalesce(?2, ?3)"
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM customers
            WHERE \(dealer) AND id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3)
            ORDER BY id LIMIT ?4
            """,
            [page.after ?? "", scope, dealerID, page.limit + 1]
        ).map(customer)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    public static func rename(_ connection: Connection, _ existing: Customer, to name: String) throws -> Customer {
        let now = Timestamp.now()
        try connection.execute(
            "UPDATE customers SET name = ?, version = version + 1, updated_at = ? WHERE id = ?", [name, now, existing.id]
        )
        return Customer(id: existing.id, dealerID: existing.dealerID, name: name, version: existing.version + 1,
                        createdAt: existing.createdAt, updatedAt: now)
    }

    private static func customer(_ row: Row) throws -> Customer {
        Customer(id: try row.get(0), dealerID: try row.get(1), name: try row.get(2), version: try row.get(3),
                 createdAt: try row.get(4), updatedAt: try row.get(5))
    }
}
