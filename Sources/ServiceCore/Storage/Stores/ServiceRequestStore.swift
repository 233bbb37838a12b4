import Foundation

public enum ServiceRequestStore {
    static let columns = """
        id, device_serial, customer_id, dealer_id, contract_id, tier, reported_at, category, description, source, state,
        clock_starts_at, response_due_at, first_response_at, resolved_at, cause, billable_minutes, version
        """

    /// `alertCode` marks a request raised by a DMS error, for de-duplication.
    public static func create(_ connection: Connection, _ request: ServiceRequest, alertCode: String? = nil) throws {
        let now = Timestamp.now()
        try connection.execute(
            "INSERT INTO service_requests (\(columns), created_at, updated_at, alert_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values(request) + [now, now, alertCode]
        )
    }

    /// The id of a still-open request raised by the same alert on the same device.
    public static func openForAlert(_ connection: Connection, serial: String, code: String) throws -> String? {
        try connection.fetchOne(
            """
            SELECT id FROM service_requests WHERE device_serial = ? AND alert_code = ?
              AND state NOT IN ('resolved', 'closed', 'cancelled') ORDER BY id LIMIT 1
            """,
            [serial, code]
        )?.get(0)
    }

    /// Writes the request's new state and its latest event; returns the
    /// request as stored (its version one up), which callers must go on
    /// with: the record they passed carries the version before.
    public static func save(_ connection: Connection, _ request: ServiceRequest, keyID: String?) throws -> ServiceRequest {
        try connection.execute(
            """
            UPDATE service_requests SET state = ?, first_response_at = ?, resolved_at = ?, cause = ?, billable_minutes = ?,
                version = version + 1, updated_at = ? WHERE id = ?
            """,
            [request.state.rawValue, request.firstResponseAt.map(RFC3339.format), request.resolvedAt.map(RFC3339.format),
             request.cause?.rawValue, request.billableMinutes, Timestamp.now(), request.id]
        )
        if let event = request.events.last {
            try connection.execute(
                "INSERT INTO service_request_events (request_id, type, at, note, api_key_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [request.id, event.type.rawValue, RFC3339.format(event.at), event.note, keyID, Timestamp.now()]
            )
        }
        var saved = request
        saved.version += 1
        return saved
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> ServiceRequest? {
        try requests(connection, findSQL, [id, scope]).first
    }

    private static let findSQL = "SELECT \(columns) FROM service_requests WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)"

    /// A page of the requests a billing run bills (resolved or closed from
    /// `resolvedFrom` until `before`, with billable minutes, uncovered or
    /// caused outside the dealer's responsibility), after `afterID` in id order.
    public static func billable(_ connection: Connection, resolvedFrom: Date, before: Date, afterID: String, limit: Int) throws -> [ServiceRequest] {
        try requests(connection, billableSQL, [RFC3339.format(resolvedFrom), RFC3339.format(before), afterID, limit])
    }

    /// Read through `service_requests_billable` (migration 31): only requests with billable minutes.
    static let billableSQL = """
        SELECT \(columns) FROM service_requests WHERE id > ?3 AND state IN ('resolved', 'closed') AND resolved_at >= ?1 AND resolved_at < ?2
          AND billable_minutes IS NOT NULL AND (contract_id IS NULL OR cause = 'outside_responsibility') ORDER BY id LIMIT ?4
        """

    public struct Filter: Sendable {
        public var dealerID: String?
        public var customerID: String?
        public var deviceSerial: String?
        public var state: ServiceRequest.State?
        /// Only unanswered requests past their deadline at this instant.
        public var overdueAt: Date?
        public var reportedFrom: Date?
        public var reportedBefore: Date?

        public init() {}
    }

    /// Unanswered at `instant` and past the response deadline: an SLA breach still open.
    private static func overdue(_ instant: String) -> String {
        "first_response_at IS NULL AND state <> 'cancelled' AND response_due_at < \(instant)"
    }

    /// SLA breaches open at `instant`, over all dealers (index `service_requests_unanswered`).
    public static func overdueCount(_ connection: Connection, at instant: Date) throws -> Int {
        try connection.fetchScalar(overdueCountSQL, [RFC3339.format(instant)], as: Int.self)
    }

    static let overdueCountSQL = "SELECT count(*) FROM service_requests WHERE \(overdue("?"))"

    /// The list's statement for the filters given: a known dealer or device
    /// is a plain equality, so SQLite walks that index in id order
    /// (`service_requests_by_dealer`, `..._by_device`) and a small dealer's
    /// page costs what a large one's does; `?2 IS NULL OR dealer_id = ?2`
    /// would read requests of every dealer until the page is full.
    /// `byReportedTime` (the SLA report, every request of a period, in no
    /// particular order): the period bounds `reported_at` directly, so SQLite
    /// reads that period alone from `service_requests_by_dealer_reported` or
    /// `..._by_reported`, not every request the dealer (or estate) ever had.
    /// The eight forms are written once: built for each request, the text
    /// cost a page 11 000 instructions and its statement look-up a comparison
    /// of every byte (a constant's storage is recognised at once).
    private static func listSQL(scope: String?, filter: Filter, byReportedTime: Bool = false) -> String {
        let byDealer = scope != nil || filter.dealerID != nil
        let byPeriod = byReportedTime && filter.reportedFrom != nil && filter.reportedBefore != nil
        return listForms[(byDealer ? 1 : 0) | (filter.deviceSerial != nil ? 2 : 0) | (byPeriod ? 4 : 0)]
    }

    /// Indexed by: 1 a dealer given, 2 a device given, 4 a reporting period bounding the walk.
    private static let listForms: [String] = (0..<8).map { form in
        let dealer = form & 1 == 0 ? "?2 IS NULL AND ?3 IS NULL" : "dealer_id = coalesce(?2, ?3) AND (?3 IS NULL OR dealer_id = ?3)"
        let device = form & 2 == 0 ? "?5 IS NULL" : "device_serial = ?5"
        if form & 4 != 0 {
            return "SELECT \(columns) FROM service_requests WHERE \(dealer) AND \(device) AND reported_at >= ?8 AND reported_at < ?9 AND "
                + listFilters + " LIMIT ?10"
        }
        return "SELECT \(columns) FROM service_requests WHERE \(dealer) AND \(device) AND " + listFilters + " ORDER BY id LIMIT ?10"
    }

    private static let listFilters = """
        id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3) AND (?4 IS NULL OR customer_id = ?4)
          AND (?5 IS NULL OR device_serial = ?5) AND (?6 IS NULL OR state = ?6)
          AND (?7 IS NULL OR (\(overdue("?7"))))
          AND (?8 IS NULL OR reported_at >= ?8) AND (?9 IS NULL OR reported_at < ?9)
        """

    private static func listArguments(scope: String?, filter: Filter, after: String?, limit: Int) -> [any DatabaseValueConvertible] {
        [after ?? "", scope, filter.dealerID, filter.customerID, filter.deviceSerial, filter.state?.rawValue,
         filter.overdueAt.map(RFC3339.format), filter.reportedFrom.map(RFC3339.format), filter.reportedBefore.map(RFC3339.format), limit]
    }

    public static func list(_ connection: Connection, scope: String?, filter: Filter, page: PageRequest) throws -> Page<ServiceRequest> {
        var requests = try connection.fetchCursor(
            listSQL(scope: scope, filter: filter), listArguments(scope: scope, filter: filter, after: page.after, limit: page.limit + 1)
        ).all(request)
        let nextAfter = Page.cut(&requests, limit: page.limit) { $0.id }
        try attachEvents(connection, to: &requests)
        return Page(items: requests, nextAfter: nextAfter)
    }

    /// The SLA report's figures over every request the filter selects, read
    /// in one statement row by row and counted as they come; their events,
    /// which the report does not need, are not read.
    public static func slaTally(_ connection: Connection, scope: String?, filter: Filter, calendar: SupportCalendar, now: Date) throws -> SLAReport.Tally {
        var tally = SLAReport.Tally(calendar: calendar, now: now)
        // LIMIT -1: SQLite's "no limit".
        let cursor = try connection.fetchCursor(
            listSQL(scope: scope, filter: filter, byReportedTime: true), listArguments(scope: scope, filter: filter, after: nil, limit: -1)
        )
        while let request = try cursor.nextDecoded(request) { tally.add(request) }
        return tally
    }

    private static func values(_ request: ServiceRequest) -> [any DatabaseValueConvertible] {
        [request.id, request.deviceSerial, request.customerID, request.dealerID, request.contractID, request.tier?.rawValue,
         RFC3339.format(request.reportedAt), request.category.rawValue, request.description, request.source.rawValue,
         request.state.rawValue, request.clockStartsAt.map(RFC3339.format), request.responseDueAt.map(RFC3339.format),
         request.firstResponseAt.map(RFC3339.format), request.resolvedAt.map(RFC3339.format), request.cause?.rawValue,
         request.billableMinutes, request.version]
    }

    /// The requests `sql` (selecting `columns`) finds, with their events.
    static func requests(_ connection: Connection, _ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [ServiceRequest] {
        var requests = try connection.fetchCursor(sql, arguments).all(request)
        try attachEvents(connection, to: &requests)
        return requests
    }

    /// Sets the requests' events, read in one query for all of them:
    /// a page of 50 requests carries a few hundred events, read from
    /// `service_request_events_by_request_covering` alone (migration 30).
    static func attachEvents(_ connection: Connection, to requests: inout [ServiceRequest]) throws {
        // The ids taken here, where the record's type is known: taken by a closure inside, each request was copied.
        let ids = requests.map { $0.id }
        try ChildRows.attachColumns(connection, eventsSQL, to: &requests, keys: ids, set: { $0.events = $1 }) { event in
            ServiceRequest.Event(type: try event.choice(1, ServiceRequest.EventType.self), at: try event.requiredInstant(2),
                                 note: try event.get(3, as: String?.self))
        }
    }

    private static let eventsSQL = "SELECT request_id, type, at, note FROM service_request_events WHERE request_id IN \(ChildRows.keys) ORDER BY request_id, id"

    /// A request without its events, decoded from the statement's columns (or a row's) of `columns`.
    private static func request(_ row: some ColumnValues) throws -> ServiceRequest {
        ServiceRequest(
            id: try row.get(0), deviceSerial: try row.get(1), customerID: try row.get(2), dealerID: try row.get(3), contractID: try row.get(4),
            tier: try row.get(5, as: String?.self).flatMap(TierID.init(rawValue:)), reportedAt: try row.requiredInstant(6),
            category: try row.choice(7, ServiceRequest.Category.self), description: try row.get(8),
            source: try row.choice(9, ServiceRequest.Source.self), state: try row.choice(10, ServiceRequest.State.self),
            clockStartsAt: try row.instant(11), responseDueAt: try row.instant(12), firstResponseAt: try row.instant(13),
            resolvedAt: try row.instant(14), cause: try row.optionalChoice(15, ServiceRequest.Cause.self),
            billableMinutes: try row.get(16), events: [], version: try row.get(17)
        )
    }
}
