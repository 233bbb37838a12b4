import Foundation

public enum ConsumableOrderStore {
    private static let columns = """
        id, device_serial, dealer_id, channel, state, level_percent, triggered_at, quantity_shipped, quantity_delivered, delivered_at, version
        """

    public static func openOrder(_ connection: Connection, serial: String, item: ConsumableOrder.Item) throws -> ConsumableOrder? {
        try connection.fetchOne(
            "SELECT \(columns) FROM consumable_orders WHERE device_serial = ? AND channel = ? AND state IN ('open', 'shipped')",
            [serial, item.rawValue]
        ).map(order)
    }

    public static func create(_ connection: Connection, device: Device, item: ConsumableOrder.Item, levelPercent: Int, at: Date,
                              id: String = Identifier.make("ord")) throws -> ConsumableOrder {
        let order = ConsumableOrder(id: id, deviceSerial: device.serial, dealerID: device.dealerID, item: item,
                                    state: .open, levelPercent: levelPercent, triggeredAt: at, quantityShipped: 0, quantityDelivered: 0,
                                    deliveredAt: nil, version: 1)
        let now = Timestamp.now()
        try connection.execute(
            "INSERT INTO consumable_orders (\(columns), created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [order.id, order.deviceSerial, order.dealerID, item.rawValue, order.state.rawValue, levelPercent, RFC3339.format(at),
             0, 0, String?.none, 1, now, now]
        )
        return order
    }

    /// Writes the order's new state and the event; returns the order as
    /// stored (its version one up), which callers must go on with: the
    /// record they passed carries the version before.
    public static func save(
        _ connection: Connection, _ order: ConsumableOrder, event: ConsumableOrder.EventType, quantity: Int?, at: Date
    ) throws -> ConsumableOrder {
        try connection.execute(
            """
            UPDATE consumable_orders SET state = ?, quantity_shipped = ?, quantity_delivered = ?, delivered_at = ?,
                version = version + 1, updated_at = ? WHERE id = ?
            """,
            [order.state.rawValue, order.quantityShipped, order.quantityDelivered, order.deliveredAt.map(RFC3339.format), Timestamp.now(), order.id]
        )
        try connection.execute(
            "INSERT INTO consumable_order_events (order_id, type, quantity, at, recorded_at) VALUES (?, ?, ?, ?, ?)",
            [order.id, event.rawValue, quantity, RFC3339.format(at), Timestamp.now()]
        )
        var saved = order
        saved.version += 1
        return saved
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> ConsumableOrder? {
        try connection.fetchOne("SELECT \(columns) FROM consumable_orders WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope]).map(order)
    }

    public static func list(_ connection: Connection, scope: String?, serial: String?, state: ConsumableOrder.State?, page: PageRequest) throws -> Page<ConsumableOrder> {
        // A plain equality for a dealer's key, so SQLite walks
        // consumable_orders_by_dealer (as ServiceRequestStore.listSQL explains).
        let dealer = scope == nil ? "?2 IS NULL" : "dealer_id = ?2"
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM consumable_orders
            WHERE \(dealer) AND id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR device_serial = ?3) AND (?4 IS NULL OR state = ?4)
            ORDER BY id LIMIT ?5
            """,
            [page.after ?? "", scope, serial, state?.rawValue, page.limit + 1]
        ).map(order)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    private static func order(_ row: Row) throws -> ConsumableOrder {
        guard let item = ConsumableOrder.Item(rawValue: try row.get(3)), let state = ConsumableOrder.State(rawValue: try row.get(4)),
              let triggered = RFC3339.parse(try row.get(6)) else {
            throw RowDecodingError(column: "consumable_orders", expected: "valid order", found: row[0])
        }
        return ConsumableOrder(
            id: try row.get(0), deviceSerial: try row.get(1), dealerID: try row.get(2), item: item, state: state,
            levelPercent: try row.get(5), triggeredAt: triggered, quantityShipped: try row.get(7), quantityDelivered: try row.get(8),
            deliveredAt: try row.instant(9), version: try row.get(10)
        )
    }
}

extension ConsumableOrderStore {
    /// Each delivery of a device in [from, to), with its local delivery date.
    public static func deliveries(_ connection: Connection, serial: String, from: Date, to: Date, calendar: SupportCalendar) throws -> [BillingCalculator.Delivery] {
        try connection.fetchAll(
            """
            SELECT channel, delivered_at, quantity_delivered FROM consumable_orders
            WHERE device_serial = ? AND state = 'delivered' AND delivered_at >= ? AND delivered_at < ?
            """,
            [serial, RFC3339.format(from), RFC3339.format(to)]
        ).compactMap { try delivery($0, from: 0, calendar: calendar) }
    }

    /// A delivery from the columns channel, delivered_at and quantity_delivered,
    /// starting at `column`; nil for an item or instant this build cannot read.
    static func delivery(_ row: Row, from column: Int, calendar: SupportCalendar) throws -> BillingCalculator.Delivery? {
        guard let item = ConsumableOrder.Item(rawValue: try row.get(column)), let at = RFC3339.parse(try row.get(column + 1)) else { return nil }
        return BillingCalculator.Delivery(item: item, on: calendar.localDate(of: at), quantity: try row.get(column + 2))
    }
}
