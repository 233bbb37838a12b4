public enum DealerStore {
    public static func create(_ connection: Connection, name: String, id: String = Identifier.make("dlr")) throws -> Dealer {
        let dealer = Dealer(id: id, name: name, createdAt: Timestamp.now())
        try connection.execute("INSERT INTO dealers (id, name, created_at) VALUES (?, ?, ?)", [dealer.id, dealer.name, dealer.createdAt])
        return dealer
    }

    public static func find(_ connection: Connection, id: String) throws -> Dealer? {
        try connection.fetchOne("SELECT id, name, created_at FROM dealers WHERE id = ?", [id]).map(dealer)
    }

    public static func list(_ connection: Connection, page: PageRequest) throws -> Page<Dealer> {
        let rows = try connection.fetchAll(
            "SELECT id, name, created_at FROM dealers WHERE id > ? ORDER BY id LIMIT ?", [page.after ?? "", page.limit + 1]
        ).map(dealer)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    private static func dealer(_ row: Row) throws -> Dealer {
        Dealer(id: try row.get(0), name: try row.get(1), createdAt: try row.get(2))
    }
}
