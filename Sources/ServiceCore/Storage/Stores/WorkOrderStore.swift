import Foundation

/// Work orders with their services, time entries and extras.
public enum WorkOrderStore {
    private static let columns = "id, contract_id, device_serial, customer_id, dealer_id, implementation_package, delivered_at, version, created_at"

    public static func create(_ connection: Connection, _ order: WorkOrder) throws {
        try connection.execute(
            "INSERT INTO work_orders (\(columns), updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [order.id, order.contractID, order.deviceSerial, order.customerID, order.dealerID, order.implementationPackage,
             order.deliveredAt.map(RFC3339.format), order.version, order.createdAt, order.createdAt]
        )
        for (position, state) in order.services.enumerated() {
            try connection.execute(
                "INSERT INTO work_order_services (work_order_id, service, position, state, completed_at, due_at) VALUES (?, ?, ?, ?, ?, ?)",
                [order.id, state.service, position, state.state.rawValue, state.completedAt.map(RFC3339.format), state.dueAt.map(RFC3339.format)]
            )
        }
    }

    /// The delivery and the services' states as they now are; a new version.
    public static func saveProgress(_ connection: Connection, _ order: WorkOrder) throws {
        try connection.execute("UPDATE work_orders SET delivered_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                               [order.deliveredAt.map(RFC3339.format), Timestamp.now(), order.id])
        for state in order.services {
            try connection.execute(
                "UPDATE work_order_services SET state = ?, completed_at = ?, due_at = ? WHERE work_order_id = ? AND service = ?",
                [state.state.rawValue, state.completedAt.map(RFC3339.format), state.dueAt.map(RFC3339.format), order.id, state.service]
            )
        }
    }

    public static func addTime(_ connection: Connection, orderID: String, _ entry: WorkOrder.TimeEntry) throws {
        try add(connection, orderID: orderID,
                "INSERT INTO work_order_time_entries (id, work_order_id, service, minutes, people, performed_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [entry.id, orderID, entry.service, entry.minutes, entry.people, RFC3339.format(entry.performedAt), Timestamp.now()])
    }

    public static func addExtra(_ connection: Connection, orderID: String, _ extra: WorkOrder.Extra) throws {
        try add(connection, orderID: orderID,
                "INSERT INTO work_order_extras (id, work_order_id, add_on, minutes, performed_at, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [extra.id, orderID, extra.addOn, extra.minutes, RFC3339.format(extra.performedAt), extra.note, Timestamp.now()])
    }

    /// A row recorded on the work order (`insert`), and the work order's new version.
    private static func add(_ connection: Connection, orderID: String, _ insert: String, _ values: [any DatabaseValueConvertible]) throws {
        try connection.execute(insert, values)
        try connection.execute("UPDATE work_orders SET version = version + 1, updated_at = ? WHERE id = ?", [Timestamp.now(), orderID])
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> WorkOrder? {
        let rows = try connection.fetchAll("SELECT \(columns) FROM work_orders WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope])
        return try orders(connection, rows).first
    }

    /// Work orders from their rows, with the services, time entries and extras of all of them read in one query each.
    private static func orders(_ connection: Connection, _ rows: [Row]) throws -> [WorkOrder] {
        let orders = try rows.map(workOrder)
        let keys = orders.map(\.id)
        let services = try ChildRows.grouped(connection, """
            SELECT work_order_id, service, state, completed_at, due_at FROM work_order_services
            WHERE work_order_id IN \(ChildRows.keys) ORDER BY work_order_id, position
            """, keys: keys) { row in
            guard let state = WorkOrder.State(rawValue: try row.get(2)) else {
                throw RowDecodingError(column: "work_order_services.state", expected: "pending or done", found: row[2])
            }
            return WorkOrder.ServiceState(service: try row.get(1), state: state, completedAt: try row.instant(3), dueAt: try row.instant(4))
        }
        let entries = try ChildRows.grouped(connection, """
            SELECT work_order_id, id, service, minutes, people, performed_at FROM work_order_time_entries
            WHERE work_order_id IN \(ChildRows.keys) ORDER BY work_order_id, performed_at, id
            """, keys: keys) { row in
            WorkOrder.TimeEntry(id: try row.get(1), service: try row.get(2), minutes: try row.get(3), people: try row.get(4),
                                performedAt: try row.requiredInstant(5))
        }
        let extras = try ChildRows.grouped(connection, """
            SELECT work_order_id, id, add_on, minutes, performed_at, note FROM work_order_extras
            WHERE work_order_id IN \(ChildRows.keys) ORDER BY work_order_id, performed_at, id
            """, keys: keys) { row in
            WorkOrder.Extra(id: try row.get(1), addOn: try row.get(2), minutes: try row.get(3), performedAt: try row.requiredInstant(4), note: try row.get(5))
        }
        return ChildRows.attach(extras, to: ChildRows.attach(entries, to: ChildRows.attach(services, to: orders, by: \.id, at: \.services),
                                                             by: \.id, at: \.timeEntries), by: \.id, at: \.extras)
    }

    public struct Filter: Sendable {
        public var contractID: String?
        public var deviceSerial: String?

        public init(contractID: String? = nil, deviceSerial: String? = nil) {
            self.contractID = contractID
            self.deviceSerial = deviceSerial
        }
    }

    public static func list(_ connection: Connection, scope: String?, filter: Filter, page: PageRequest) throws -> Page<WorkOrder> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM work_orders WHERE id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR contract_id = ?3)
            AND (?4 IS NULL OR device_serial = ?4) ORDER BY id LIMIT ?5
            """,
            [page.after ?? "", scope, filter.contractID, filter.deviceSerial, page.limit + 1]
        )
        return try Page.assembling(rows: rows, limit: page.limit) { try orders(connection, $0) }
    }

    /// Where a page of deadlines ends: a work order and its service's position.
    public struct DeadlineKey: Sendable, Equatable {
        public let workOrderID: String
        public let position: Int
    }

    /// A page of the deadlines of the services of work orders delivered from
    /// `from` until `before`, after `after` in work-order and service order.
    public static func deadlines(_ connection: Connection, scope: String?, from: Date, before: Date, after: DeadlineKey?,
                                 limit: Int) throws -> [(key: DeadlineKey, deadline: DeadlineReport.Deadline)] {
        try connection.fetchAll(
            """
            SELECT o.id, s.position, o.device_serial, s.service, s.due_at, s.completed_at
            FROM work_orders o JOIN work_order_services s ON s.work_order_id = o.id
            WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND (?3 IS NULL OR o.dealer_id = ?3) AND s.due_at IS NOT NULL
              AND (o.id > ?4 OR (o.id = ?4 AND s.position > ?5))
            ORDER BY o.id, s.position LIMIT ?6
            """,
            [RFC3339.format(from), RFC3339.format(before), scope, after?.workOrderID ?? "", after?.position ?? -1, limit]
        ).map { row in
            (DeadlineKey(workOrderID: try row.get(0), position: try row.get(1)),
             DeadlineReport.Deadline(workOrderID: try row.get(0), deviceSerial: try row.get(2), service: try row.get(3),
                                     dueAt: try row.requiredInstant(4), completedAt: try row.instant(5)))
        }
    }

    /// A page of the work orders with time or extras recorded before
    /// `before` (the ones a billing run reads), after `afterID` in id order:
    /// a run reads them a page at a time, so its memory holds one page.
    public static func billable(_ connection: Connection, through before: Date, afterID: String, limit: Int) throws -> [WorkOrder] {
        try orders(connection, try connection.fetchAll(
            """
            SELECT \(columns) FROM work_orders o WHERE o.id > ?2
              AND (EXISTS (SELECT 1 FROM work_order_time_entries t WHERE t.work_order_id = o.id AND t.performed_at < ?1)
                   OR EXISTS (SELECT 1 FROM work_order_extras e WHERE e.work_order_id = o.id AND e.performed_at < ?1))
            ORDER BY o.id LIMIT ?3
            """,
            [RFC3339.format(before), afterID, limit]
        ))
    }

    private static func workOrder(_ row: Row) throws -> WorkOrder {
        WorkOrder(id: try row.get(0), contractID: try row.get(1), deviceSerial: try row.get(2), customerID: try row.get(3), dealerID: try row.get(4),
                  implementationPackage: try row.get(5), services: [], deliveredAt: try row.instant(6), timeEntries: [], extras: [],
                  version: try row.get(7), createdAt: try row.get(8))
    }
}
