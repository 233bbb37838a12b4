import ServiceJSON

public enum IPFOrderStore {
    private static let columns = "id, dealer_id, channel, lines, claim_id, state, version, created_at"

    public static func create(_ connection: Connection, _ order: IPFOrder) throws {
        let lines = JSONValue.array(order.lines.map { .object([("part_number", .string($0.partNumber)), ("quantity", .int($0.quantity))]) })
        try connection.execute(
            "INSERT INTO ipf_orders (\(columns), updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [order.id, order.dealerID, order.channel.rawValue, lines.encoded(), order.claimID, order.state.rawValue, order.version,
             order.createdAt, order.createdAt]
        )
    }

    /// The new state and the event that led to it.
    public static func save(_ connection: Connection, _ order: IPFOrder, event: IPFOrder.Event) throws {
        try connection.execute("UPDATE ipf_orders SET state = ?, version = version + 1, updated_at = ? WHERE id = ?",
                               [order.state.rawValue, Timestamp.now(), order.id])
        try connection.execute("INSERT INTO ipf_order_events (order_id, type, note, at) VALUES (?, ?, ?, ?)",
                               [order.id, event.type.rawValue, event.note, event.at])
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> IPFOrder? {
        guard let row = try connection.fetchOne("SELECT \(columns) FROM ipf_orders WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope]) else {
            return nil
        }
        return try orders(connection, [row]).first
    }

    /// Orders from their rows, with the events of all of them read in one query.
    private static func orders(_ connection: Connection, _ rows: [Row]) throws -> [IPFOrder] {
        let orders = try rows.map(order)
        let events = try ChildRows.grouped(
            connection, "SELECT order_id, type, note, at FROM ipf_order_events WHERE order_id IN \(ChildRows.keys) ORDER BY order_id, id",
            keys: orders.map(\.id)
        ) { row in
            guard let type = IPFOrder.EventType(rawValue: try row.get(1)) else {
                throw RowDecodingError(column: "ipf_order_events.type", expected: "an order event", found: row[1])
            }
            return IPFOrder.Event(type: type, note: try row.get(2), at: try row.get(3))
        }
        return ChildRows.attach(events, to: orders, by: \.id, at: \.events)
    }

    public static func list(_ connection: Connection, scope: String?, dealerID: String?, state: IPFOrder.State?, page: PageRequest) throws -> Page<IPFOrder> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM ipf_orders WHERE id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3)
            AND (?4 IS NULL OR state = ?4) ORDER BY id LIMIT ?5
            """,
            [page.after ?? "", scope, dealerID, state?.rawValue, page.limit + 1]
        )
        return try Page.assembling(rows: rows, limit: page.limit) { try orders(connection, $0) }
    }

    private static func order(_ row: Row) throws -> IPFOrder {
        guard let channel = IPFOrder.Channel(rawValue: try row.get(2)), let state = IPFOrder.State(rawValue: try row.get(5)),
              case .array(let values) = try JSONParser.parse(Array((try row.get(3) as String).utf8)) else {
            throw RowDecodingError(column: "ipf_orders", expected: "a stored order", found: row[0])
        }
        let lines = try values.map { value -> IPFOrder.Line in
            guard case .object(let m) = value, case .string(let number)? = m.first(where: { $0.0 == "part_number" })?.1,
                  case .int(let quantity)? = m.first(where: { $0.0 == "quantity" })?.1 else {
                throw RowDecodingError(column: "ipf_orders.lines", expected: "order lines", found: row[3])
            }
            return IPFOrder.Line(partNumber: number, quantity: quantity)
        }
        return IPFOrder(id: try row.get(0), dealerID: try row.get(1), channel: channel, lines: lines, claimID: try row.get(4), state: state,
                        events: [], version: try row.get(6), createdAt: try row.get(7))
    }
}
