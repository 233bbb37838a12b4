import Foundation
import ServiceJSON

/// Runs the annual billing against the database. Never bills twice: a later
/// run for a year bills only the difference per device, kind and channel
/// against the completed runs before it, as adjustment lines.
///
/// Memory stays flat however many devices there are: devices are visited one
/// at a time, lines are written in short batches under a `running` run that
/// readers do not see, and the run becomes visible in one final step. A run
/// that fails removes what it wrote; a second run for the same year while one
/// is running is refused (across processes). A run whose process died (kill
/// -9, power loss) is removed, with its lines, by the next run for its year
/// or the next daemon start: its owner's lock is gone (`BillingRunOwner`).
public struct BillingRunner: Sendable {
    public let database: DatabasePool
    public let calculator: BillingCalculator

    /// Lines stored per write transaction.
    let linesPerWrite: Int

    /// Service requests, and work orders, read at a time (with their events,
    /// or their services, time and extras).
    let workPerRead: Int

    /// Told of every run removed because its process died, for the log.
    let orphanRemoved: @Sendable (Orphan) -> Void

    public init(database: DatabasePool, catalogue: Catalogue, linesPerWrite: Int = 1_000, workPerRead: Int = 500,
                orphanRemoved: @escaping @Sendable (Orphan) -> Void = { _ in }) {
        self.database = database
        self.linesPerWrite = linesPerWrite
        self.workPerRead = workPerRead
        self.orphanRemoved = orphanRemoved
        calculator = BillingCalculator(catalogue: catalogue, calendar: SupportCalendar(settings: catalogue.calendar))
    }

    /// A `running` run left by a process that died, and how many lines it had written.
    public struct Orphan: Sendable, Equatable, CustomStringConvertible {
        public let id: String
        public let year: Int
        public let lines: Int

        public var description: String {
            "removed billing run \(id) for \(year), left running by a process that died, and its \(lines) lines"
        }
    }

    public struct Summary: Sendable, Equatable {
        public let id: String
        public let year: Int
        public let dryRun: Bool
        public let status: String
        public let createdAt: String
        public let totalMinor: Int
        public let currency: String
        public let lineCount: Int
        /// Filled by the run that computed it; a stored run's are read with
        /// `BillingRunStore.totals`.
        public let byCustomer: [RunTotals.Customer]

        public init(id: String, year: Int, dryRun: Bool, status: String, createdAt: String, totalMinor: Int, currency: String, lineCount: Int,
                    byCustomer: [RunTotals.Customer] = []) {
            self.id = id
            self.year = year
            self.dryRun = dryRun
            self.status = status
            self.createdAt = createdAt
            self.totalMinor = totalMinor
            self.currency = currency
            self.lineCount = lineCount
            self.byCustomer = byCustomer
        }

        /// As a dealer sees it: the total and line count of its customers' lines.
        public func scoped(total: Int, lines: Int) -> Summary {
            Summary(id: id, year: year, dryRun: dryRun, status: status, createdAt: createdAt, totalMinor: total, currency: currency, lineCount: lines)
        }
    }

    /// A line as billed by a run: the computed line, or its difference to
    /// what earlier runs billed.
    public struct RunLine: Sendable {
        public let line: BillingLine
        public let adjustment: Bool

        /// With the explanation encoded, once: a stored run both stores and
        /// prints it, and this runs on the thread that computes lines.
        func encodingExplanation() -> RunLine {
            RunLine(line: line.explained(.raw(line.explanation.bytes)), adjustment: adjustment)
        }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case alreadyRunning(year: Int)
        case unknownFamily(device: String, family: String)

        public var description: String {
            switch self {
            case .alreadyRunning(let year): return "a billing run for \(year) is already in progress"
            case .unknownFamily(let device, let family): return "device \(device) has model family \(family), which the catalogue does not have"
            }
        }
    }

    /// The years a run may bill, for the API and the CLI alike.
    public static let years = 2000...2100

    /// How far a run is, for a progress line.
    public struct Progress: Sendable, Equatable {
        public let devicesDone: Int
        public let devicesTotal: Int

        public init(devicesDone: Int, devicesTotal: Int) {
            self.devicesDone = devicesDone
            self.devicesTotal = devicesTotal
        }
    }

    /// `emit` sees every line billed, in order (the CLI writes them out);
    /// `progress`, after each device, on whichever thread computes lines.
    /// A stored run always sums its lines per customer (`RunTotals`, stored
    /// with it); the summary carries them with `totalsPerCustomer`, and only
    /// then does a dry run keep them (a streamed one keeps nothing).
    public func run(
        year: Int, dryRun: Bool, principal: Principal, totalsPerCustomer: Bool = false, emit: (RunLine) throws -> Void = { _ in },
        progress: ((Progress) -> Void)? = nil
    ) throws -> Summary {
        let id = Identifier.make(dryRun ? "dry" : "run")
        let createdAt = Timestamp.now()
        let currency = calculator.catalogue.currency
        // Held until the run is completed or discarded, so that any
        // `running` row of the year nobody holds is an orphan.
        var owner: BillingRunOwner?
        defer { withExtendedLifetime(owner) {} }
        if !dryRun {
            guard let claimed = try BillingRunOwner.claim(database: database.configuration.path, year: year) else {
                throw Failure.alreadyRunning(year: year)
            }
            owner = claimed
            try begin(id: id, year: year, principal: principal, createdAt: createdAt, currency: currency)
        }
        var total = 0
        var count = 0
        var totals = RunTotals()
        let keepsTotals = !dryRun || totalsPerCustomer
        var customers: [RunTotals.Customer] = []
        var pending: [RunLine] = []
        func flush() throws {
            guard !dryRun, !pending.isEmpty else { return }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            try database.write { try Self.insert($0, runID: id, year: year, batch) }
        }
        do {
            try database.readSnapshotPair { connection, readingsConnection in
                // The first run of a year has nothing to compare with.
                let earlierRuns = try connection.fetchScalar(
                    "SELECT count(*) FROM billing_runs WHERE year = ? AND status = 'completed'", [year], as: Int.self) > 0
                func take(_ billed: RunLine) throws {
                    total += billed.line.amountMinor
                    count += 1
                    if keepsTotals { totals.add(billed.line) }
                    try emit(billed)
                    guard !dryRun else { return }  // a dry run keeps nothing
                    pending.append(billed)
                    if pending.count >= linesPerWrite { try flush() }
                }
                let total = progress == nil ? 0 : try BillingInputs.deviceCount(connection, year: year)
                let deviceDone = progress.map { report in { (done: Int) in report(Progress(devicesDone: done, devicesTotal: total)) } }
                let lines = { (send: (RunLine) throws -> Void) throws in
                    try forEachBillableLine(
                        connection, readingsConnection: readingsConnection, year: year, earlierRuns: earlierRuns, deviceDone: deviceDone
                    ) { line, previous in
                        if let billed = Self.difference(line, previous: previous) { try send(billed) }
                    }
                }
                guard !dryRun else { return try lines(take) }
                // Storing lines is work enough for a thread of its own: lines
                // are computed on another (which reads the readings on a
                // third), and counted, emitted and stored here, in order.
                let computed = Pipeline<[RunLine]>(capacity: 4) { send in
                    var batch: [RunLine] = []
                    try lines { billed in
                        batch.append(billed.encodingExplanation())
                        // Never more than one write's worth in flight.
                        if batch.count == min(BillingInputs.chunkSize, linesPerWrite) {
                            try send(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                    if !batch.isEmpty { try send(batch) }
                }
                defer { computed.close() }
                while let batch = try computed.next() {
                    for billed in batch { try take(billed) }
                }
            }
            try flush()
            customers = totals.customers
            if !dryRun {
                try database.write { connection in
                    try connection.execute(
                        "UPDATE billing_runs SET status = 'completed', total_minor = ?, line_count = ?, completed_at = ? WHERE id = ?",
                        [total, count, Timestamp.now(), id]
                    )
                    try BillingRunStore.record(connection, runID: id, customers)
                    try BilledPrices.record(connection, prices: calculator.catalogue.prices, year: year, runID: id)
                    try AuditStore.record(connection, principal: principal, action: "billing_run.complete", resourceType: "billing_run",
                                          resourceID: id, dealerID: nil, detail: .object([("year", .int(year)), ("total_minor", .int(total))]))
                    try Self.publishCompleted(connection, id: id, year: year, createdAt: createdAt, currency: currency, total: total, lines: count)
                }
            }
        } catch {
            if !dryRun { try? discard(id, year: year, reason: "\(error)") }
            throw error
        }
        return Summary(id: id, year: year, dryRun: dryRun, status: dryRun ? "dry_run" : "completed", createdAt: createdAt,
                       totalMinor: total, currency: currency, lineCount: count, byCustomer: totalsPerCustomer ? customers : [])
    }

    private func begin(id: String, year: Int, principal: Principal, createdAt: String, currency: String) throws {
        do {
            let removed = try database.write { connection in
                let removed = try removeOrphans(connection, year: year)
                try BilledPrices.verify(connection, prices: calculator.catalogue.prices, year: year)
                try connection.execute(
                    """
                    INSERT INTO billing_runs (id, year, status, api_key_id, role, currency, total_minor, line_count, created_at)
                    VALUES (?, ?, 'running', ?, ?, ?, 0, 0, ?)
                    """,
                    [id, year, principal.keyID, principal.role.rawValue, currency, createdAt]
                )
                return removed
            }
            removed.forEach(orphanRemoved)
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw Failure.alreadyRunning(year: year)
        }
    }

    /// Refuses a catalogue that would re-price a year already billed
    /// (`BilledPrices`); `serve` and `bill` call it at start-up.
    public func verifyBilledPrices() throws {
        try database.write { try BilledPrices.verify($0, prices: calculator.catalogue.prices) }
    }

    /// Removes the runs of every year left `running` by a process that died
    /// (the daemon calls it at start-up); years a live run holds are left.
    @discardableResult
    public func removeOrphans() throws -> [Orphan] {
        let years = try database.read { connection in
            try connection.fetchAll("SELECT DISTINCT year FROM billing_runs WHERE status = 'running' ORDER BY year").map { try $0.get(0, as: Int.self) }
        }
        var removed: [Orphan] = []
        for year in years {
            guard let owner = try BillingRunOwner.claim(database: database.configuration.path, year: year) else { continue }
            removed += try withExtendedLifetime(owner) { try database.write { try removeOrphans($0, year: year) } }
        }
        removed.forEach(orphanRemoved)
        return removed
    }

    /// With the year's lock held, every `running` row of the year is an orphan.
    private func removeOrphans(_ connection: Connection, year: Int) throws -> [Orphan] {
        var removed: [Orphan] = []
        for row in try connection.fetchAll("SELECT id FROM billing_runs WHERE year = ? AND status = 'running'", [year]) {
            let id: String = try row.get(0)
            let lines = try connection.fetchScalar("SELECT count(*) FROM billing_lines WHERE run_id = ?", [id], as: Int.self)
            try Self.delete(connection, id)
            try Self.publishFailed(connection, id: id, year: year, reason: "left running by a process that died")
            removed.append(Orphan(id: id, year: year, lines: lines))
        }
        return removed
    }

    private func discard(_ id: String, year: Int, reason: String) throws {
        try database.write { connection in
            try Self.delete(connection, id)
            try Self.publishFailed(connection, id: id, year: year, reason: reason)
        }
    }

    private static func delete(_ connection: Connection, _ id: String) throws {
        try connection.execute("DELETE FROM billing_run_totals WHERE run_id = ?", [id])
        try connection.execute("DELETE FROM billing_run_dealer_totals WHERE run_id = ?", [id])
        try connection.execute("DELETE FROM billing_lines WHERE run_id = ?", [id])
        try connection.execute("DELETE FROM billing_runs WHERE id = ?", [id])
    }

    /// Fresh lines for every device under contract in the year, then the
    /// service lines, each with what completed runs billed for its key.
    private func forEachBillableLine(
        _ connection: Connection, readingsConnection: Connection, year: Int, earlierRuns: Bool, deviceDone: ((Int) -> Void)?,
        _ body: (BillingLine, (quantity: Int, amount: Int)?) throws -> Void
    ) throws {
        let calendar = calculator.calendar
        let yearStart = calendar.startOfDay(LocalDate(year: year, month: 1, day: 1)!)
        let yearEnd = calendar.startOfDay(LocalDate(year: year + 1, month: 1, day: 1)!)
        // Earlier lines by device, merged in device order like the inputs.
        let earlier = earlierRuns ? BillingInputs.Peekable(try connection.makeStatement("""
            SELECT l.device_serial, l.kind, l.channel, sum(l.quantity), sum(l.amount_minor),
                   max(l.customer_id), max(l.dealer_id), max(l.unit_price_minor), max(l.currency)
            FROM billing_lines l JOIN billing_runs r ON r.id = l.run_id
            WHERE l.year = ? AND r.status = 'completed' AND l.kind NOT IN (\(Self.workKinds))
            GROUP BY l.device_serial, l.kind, l.channel ORDER BY l.device_serial
            """).cursor([year])) : nil
        // What was billed for a key no fresh computation gives any more (a
        // device whose contract was cut back, a tier made premium from the
        // start) is taken back in full: every key sums to the fresh result.
        func reverse(_ row: Row) throws {
            guard let kind = BillingLine.Kind(rawValue: try row.get(1)) else { return }
            let channel: String = try row.get(2)
            let gone = BillingLine(
                kind: kind, deviceSerial: try row.get(0), customerID: try row.get(5), dealerID: try row.get(6),
                channel: channel.isEmpty ? nil : channel, quantity: 0, unitPriceMinor: try row.get(7), amountMinor: 0,
                currency: try row.get(8), explanation: .object([("reason", .string("no longer computed for this year"))])
            )
            try body(gone, (try row.get(3), try row.get(4)))
        }
        let inputs = BillingInputs(connection: connection, readingsConnection: readingsConnection, catalogue: calculator.catalogue,
                                   calendar: calendar, year: year)
        var devicesDone = 0
        try inputs.forEachDevice { input in
            defer {
                devicesDone += 1
                deviceDone?(devicesDone)
            }
            var billed: [BillingLine.DeviceKey: Row] = [:]
            for row in try earlier?.take(input.serial, skipped: reverse) ?? [] {
                guard let kind = BillingLine.Kind(rawValue: try row.get(1)) else { continue }
                billed[BillingLine.DeviceKey(kind: kind, channel: try row.get(2))] = row
            }
            func previous(_ line: BillingLine) throws -> (quantity: Int, amount: Int)? {
                guard !billed.isEmpty, let row = billed[line.deviceKey] else { return nil }
                return (try row.get(3), try row.get(4))
            }
            var computed = Set<BillingLine.DeviceKey>()
            // Only lines that bill something now are explained and passed on.
            let lines = calculator.lines(year: year, device: input) { line in
                if !billed.isEmpty { computed.insert(line.deviceKey) }
                return Self.bills(line, previous: (try? previous(line)) ?? nil)
            }
            for line in lines { try body(line, try previous(line)) }
            for (key, row) in billed where !computed.contains(key) { try reverse(row) }
        }
        try earlier?.drain(reverse)
        // Requests and work orders a page at a time, and what completed runs billed for a page's lines in one query.
        func bill(_ lines: [BillingLine]) throws {
            let billed = earlierRuns ? try Self.previouslyBilled(connection, year: year, lines: lines) : [:]
            for (index, line) in lines.enumerated() { try body(line, billed[index]) }
        }
        var afterRequest = ""
        while true {
            let page = try ServiceRequestStore.billable(connection, resolvedFrom: yearStart, before: yearEnd, afterID: afterRequest, limit: workPerRead)
            try bill(calculator.serviceLines(page))
            guard page.count == workPerRead, let last = page.last else { break }
            afterRequest = last.id
        }
        let workOrders = WorkOrderBilling(catalogue: calculator.catalogue, calendar: calendar)
        var afterWorkOrder = ""
        while true {
            let page = try WorkOrderStore.billable(connection, through: yearEnd, afterID: afterWorkOrder, limit: workPerRead)
            try bill(page.flatMap { workOrders.lines(year: year, order: $0) })
            guard page.count == workPerRead, let last = page.last else { break }
            afterWorkOrder = last.id
        }
    }

    /// Kinds billed per request or work order rather than per device's usage.
    private static let workKinds = BillingLine.Kind.allCases.filter(\.isWork).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// What completed runs billed for each of `lines`' keys (by index in
    /// `lines`; absent when never billed), in one query: the keys are bound
    /// as one JSON array and each looked up in the key index.
    private static func previouslyBilled(_ connection: Connection, year: Int, lines: [BillingLine]) throws -> [Int: (quantity: Int, amount: Int)] {
        guard !lines.isEmpty else { return [:] }
        let keys = JSONValue.array(lines.map { .array([.string($0.deviceSerial), .string($0.kind.rawValue), .string($0.channel ?? "")]) })
        var billed: [Int: (quantity: Int, amount: Int)] = [:]
        for row in try connection.fetchAll(
            """
            SELECT k.key, sum(l.quantity), sum(l.amount_minor)
            FROM json_each(?1) k
            CROSS JOIN billing_lines l ON l.year = ?2 AND l.device_serial = json_extract(k.value, '$[0]')
                AND l.kind = json_extract(k.value, '$[1]') AND l.channel = json_extract(k.value, '$[2]')
            JOIN billing_runs r ON r.id = l.run_id AND r.status = 'completed'
            GROUP BY k.key
            """,
            [keys.encoded(), year]
        ) {
            billed[try row.get(0)] = (try row.get(1), try row.get(2))
        }
        return billed
    }

    /// Whether a run bills anything for `line`: the first time, unless it is
    /// zero; afterwards, when it differs from what earlier runs billed.
    static func bills(_ line: BillingLine, previous: (quantity: Int, amount: Int)?) -> Bool {
        guard let previous else { return line.quantity != 0 || line.amountMinor != 0 }
        return line.quantity != previous.quantity || line.amountMinor != previous.amount
    }

    /// What to bill now: the line itself the first time, afterwards only the
    /// difference, marked as an adjustment.
    static func difference(_ line: BillingLine, previous: (quantity: Int, amount: Int)?) -> RunLine? {
        guard bills(line, previous: previous) else { return nil }
        guard let previous else { return RunLine(line: line, adjustment: false) }
        let quantity = line.quantity - previous.quantity
        let amount = line.amountMinor - previous.amount
        var explanation: [(String, JSONValue)] = []
        if case .object(let members) = line.explanation { explanation = members }
        explanation.append(("previously_billed", .object([("quantity", .int(previous.quantity)), ("amount_minor", .int(previous.amount))])))
        explanation.append(("now_computed", .object([("quantity", .int(line.quantity)), ("amount_minor", .int(line.amountMinor))])))
        return RunLine(line: BillingLine(
            kind: line.kind, deviceSerial: line.deviceSerial, customerID: line.customerID, dealerID: line.dealerID, channel: line.channel,
            quantity: quantity, unitPriceMinor: line.unitPriceMinor, amountMinor: amount, currency: line.currency,
            explanation: .object(explanation)
        ), adjustment: true)
    }

    /// One cached statement and typed binds: a run inserts a line per
    /// billable device and kind.
    private static func insert(_ connection: Connection, runID: String, year: Int, _ items: [RunLine]) throws {
        let statement = try connection.cachedStatement("""
            INSERT INTO billing_lines (run_id, year, device_serial, customer_id, dealer_id, kind, channel, adjustment, quantity,
                unit_price_minor, amount_minor, currency, explanation)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in items {
            let line = item.line
            try statement.bind(runID, at: 1)
            try statement.bind(Int64(year), at: 2)
            try statement.bind(line.deviceSerial, at: 3)
            try statement.bind(line.customerID, at: 4)
            try statement.bind(line.dealerID, at: 5)
            try statement.bind(line.kind.rawValue, at: 6)
            try statement.bind(line.channel ?? "", at: 7)
            try statement.bind(item.adjustment ? 1 : 0, at: 8)
            try statement.bind(Int64(line.quantity), at: 9)
            try statement.bind(Int64(line.unitPriceMinor), at: 10)
            try statement.bind(Int64(line.amountMinor), at: 11)
            try statement.bind(line.currency, at: 12)
            try statement.bindText(line.explanation.bytes, at: 13)
            try statement.run()
        }
    }
}
