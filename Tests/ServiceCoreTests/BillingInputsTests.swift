import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// The run gathers inputs by merged scans on two threads; here every device's
/// lines are recomputed from plain per-device queries and must agree, over a
/// random estate built to hit the merge's corners: serials whose byte order is
/// not their natural order (and non-ASCII ones), devices without contracts or
/// readings, readings only outside the scanned window, contracts shared by two
/// devices, several contracts per device, tier amendments, terminations,
/// counter resets and deliveries.
@Suite struct BillingInputsTests {
    static let year = 2025
    static let catalogue = BillingCalculatorTests.catalogue
    static let families = ["irc-13x5", "iradv-c25x-c35x-c351", "iradv-c3xxx", "iradv-c5x35-40", "iradv-c5x50-55-60"]

    /// 2025 has readings after it; in 2026 (readings end mid-year) no device
    /// has one after the year, so every device looks for one and finds none.
    @Test(arguments: [(2025, 50), (2026, 30)])
    func mergedScansAgreeWithPerDeviceQueries(year: Int, billedAtLeast: Int) throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        var random = SplitMix64(state: 2025_11_25)
        let serials = try pool.write { connection in try Self.estate(connection, &random) }

        let runner = BillingRunner(database: pool, catalogue: Self.catalogue)
        var scanned: [String: BillingLine] = [:]
        let summary = try runner.run(year: year, dryRun: true, principal: .commandLine) { item in
            if item.line.kind != .service_hours { scanned[item.line.key] = item.line }
        }
        let expected = try pool.read { connection in
            try Self.perDeviceLines(connection, year: year, serials: serials, calculator: runner.calculator)
        }
        #expect(summary.lineCount == scanned.count)
        #expect(expected.count > billedAtLeast)  // the estate bills something on most devices
        #expect(Set(scanned.keys) == Set(expected.keys))
        for (key, line) in expected {
            #expect(scanned[key] == line, "\(key)")
        }
    }

    /// Lines computed from inputs read device by device, the plain way.
    static func perDeviceLines(_ connection: Connection, year: Int, serials: [String], calculator: BillingCalculator) throws -> [String: BillingLine] {
        let calendar = calculator.calendar
        let first = LocalDate(year: year, month: 1, day: 1)!, last = LocalDate(year: year, month: 12, day: 31)!
        let start = calendar.startOfDay(first), end = calendar.startOfDay(LocalDate(year: year + 1, month: 1, day: 1)!)
        let startMillis = Int64(start.timeIntervalSince1970 * 1000), endMillis = Int64(end.timeIntervalSince1970 * 1000)
        var lines: [String: BillingLine] = [:]
        for serial in serials {
            let contractIDs: [String] = try connection.fetchAll("SELECT contract_id FROM contract_devices WHERE device_serial = ?", [serial]).map { try $0.get(0) }
            let contracts = try contractIDs.compactMap { try ContractStore.find(connection, id: $0, scope: nil) }
                .filter { $0.startsOn <= last && $0.lastDay >= first }
                .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            guard !contracts.isEmpty else { continue }
            let device = try #require(try connection.fetchOne(
                "SELECT d.family_id, d.customer_id, c.dealer_id FROM devices d JOIN customers c ON c.id = d.customer_id WHERE d.serial = ?", [serial]))
            let input = BillingCalculator.DeviceInput(
                serial: serial, customerID: try device.get(1), dealerID: try device.get(2),
                family: try #require(catalogue.family(id: try device.get(0))), contracts: contracts,
                readings: try MeterReadingStore.around(connection, serial: serial, from: startMillis, to: endMillis),
                deliveries: try ConsumableOrderStore.deliveries(connection, serial: serial, from: start, to: end, calendar: calendar)
            )
            for line in calculator.lines(year: year, device: input, keep: { $0.quantity != 0 || $0.amountMinor != 0 }) { lines[line.key] = line }
        }
        return lines
    }

    /// Dealers, customers, devices, contracts, readings and deliveries at random.
    static func estate(_ connection: Connection, _ random: inout SplitMix64) throws -> [String] {
        let now = "2025-01-01T00:00:00Z"
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        for dealer in ["dlr_a", "dlr_b"] { try connection.execute("INSERT INTO dealers VALUES (?, ?, ?)", [dealer, dealer, now]) }
        let customers = (0..<6).map { "cus_\($0)" }
        for (index, customer) in customers.enumerated() {
            try connection.execute("INSERT INTO customers VALUES (?, ?, ?, 1, ?, ?)", [customer, index % 2 == 0 ? "dlr_a" : "dlr_b", customer, now, now])
        }
        // "S10" sorts before "S9" as bytes; "É" and "é" after every ASCII letter.
        var serials = (0..<120).map { "S\($0)" } + ["s1", "É-1", "é-2", "Z", "a"]
        serials.shuffle(using: &random)
        var customerOf: [String: String] = [:]
        for serial in serials {
            customerOf[serial] = pick(customers)
            try connection.execute("INSERT INTO devices VALUES (?, 'model', ?, ?, NULL, NULL, 1, ?, ?)", [serial, pick(families), customerOf[serial]!, now, now])
        }
        let firstDay = LocalDate(year: 2024, month: 3, day: 1)!.dayNumber
        var contractNumber = 0
        for serial in serials where !chance(10) {
            var day = firstDay + Int(random.next() % 400)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let starts = LocalDate(dayNumber: day), ends = LocalDate(dayNumber: day + 60 + Int(random.next() % 500))
                let terminated = chance(20) ? LocalDate(dayNumber: starts.dayNumber + Int(random.next() % UInt64(ends.dayNumber - starts.dayNumber + 1))) : nil
                let id = "con_\(String(contractNumber, radix: 16))"  // "con_a" sorts after "con_1f"
                contractNumber += 1
                let agreed = chance(30)
                try connection.execute("INSERT INTO contracts VALUES (?, ?, ?, ?, ?, 0, 'NOK', 'basic', '[]', ?, ?, 1, ?, ?, '[]', 'yearly')",
                                       [id, customerOf[serial]!, starts.description, ends.description, terminated?.description,
                                        agreed, agreed ? 150 + Int(random.next() % 100) : nil, now, now])
                try connection.execute("INSERT INTO contract_devices VALUES (?, ?)", [id, serial])
                // Some contracts cover a second device of the same customer.
                if chance(15), let other = serials.first(where: { $0 != serial && customerOf[$0] == customerOf[serial] }) {
                    try connection.execute("INSERT OR IGNORE INTO contract_devices VALUES (?, ?)", [id, other])
                }
                try connection.execute("INSERT INTO contract_tiers VALUES (?, ?, ?, ?)", [id, starts.description, pick(["standard", "plus", "premium"]), now])
                for _ in 0..<Int(random.next() % 3) {
                    let on = LocalDate(dayNumber: starts.dayNumber + 1 + Int(random.next() % UInt64(ends.dayNumber - starts.dayNumber)))
                    try connection.execute("INSERT OR IGNORE INTO contract_tiers VALUES (?, ?, ?, ?)", [id, on.description, pick(["standard", "plus", "premium"]), now])
                }
                day = (terminated ?? ends).dayNumber + 1 + Int(random.next() % 30)
            }
        }
        // Readings from 2023 (outside the scanned window) to mid-2026.
        let readingStart = Int64(LocalDate(year: 2023, month: 6, day: 1)!.dayNumber) * 86_400_000
        let readingSpan: UInt64 = 3 * 365 * 86_400_000
        var readings: [MeterReading] = []
        for serial in serials where !chance(10) {
            var counters = MeterCounters.zero
            let instants = Set((0..<(1 + Int(random.next() % 16))).map { _ in readingStart + Int64(random.next() % readingSpan) }).sorted()
            for (index, at) in instants.enumerated() {
                let reset = index > 0 && chance(5)
                if reset { counters = .zero }
                counters = counters + MeterCounters(bwA4: Int(random.next() % 9_000), bwA3: Int(random.next() % 500), colourA4: Int(random.next() % 7_000),
                                                    colourA3: Int(random.next() % 400), bannerBW: Int(random.next() % 30), bannerColour: Int(random.next() % 30))
                readings.append(MeterReading(deviceSerial: serial, readAt: at, counters: counters, source: pick([.dms, .manual, .estimate]), counterReset: reset))
            }
        }
        try MeterReadingStore.insert(connection, readings, receivedAt: 0)
        var order = 0
        for serial in serials where chance(25) {
            for channel in ["black", "cyan", "magenta", "yellow"] where chance(50) {
                let delivered = RFC3339.format(Date(timeIntervalSince1970: 1_735_689_600 + Double(random.next() % (365 * 86_400))))
                try connection.execute("""
                    INSERT INTO consumable_orders VALUES (?, ?, ?, ?, 'delivered', 10, ?, ?, ?, ?, 1, ?, ?)
                    """, ["ord_\(order)", serial, "dlr_a", channel, delivered, 2, 1 + Int(random.next() % 4), delivered, now, now])
                order += 1
            }
        }
        return serials
    }

    /// A random estate and, sorting after all of it, one more device under
    /// contract from 2025-01-01 in `family` with the tier changes given.
    static func estate(seed: UInt64, lastDevice serial: String, family: String, tiers: [(String, String)]) throws -> (TemporaryDatabase, DatabasePool) {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        var random = SplitMix64(state: seed)
        _ = try pool.write { connection in try Self.estate(connection, &random) }
        try pool.write { connection in
            let now = "2025-01-01T00:00:00Z"
            try connection.execute("INSERT INTO devices VALUES (?, 'model', ?, 'cus_0', NULL, NULL, 1, ?, ?)", [serial, family, now, now])
            try connection.execute("INSERT INTO contracts VALUES ('con_last', 'cus_0', '2025-01-01', '2025-12-31', NULL, 0, 'NOK', 'basic', '[]', 0, NULL, 1, ?, ?, '[]', 'yearly')", [now, now])
            try connection.execute("INSERT INTO contract_devices VALUES ('con_last', ?)", [serial])
            for (effectiveOn, tier) in tiers {
                try connection.execute("INSERT INTO contract_tiers VALUES ('con_last', ?, ?, ?)", [effectiveOn, tier, now])
            }
        }
        return (database, pool)
    }

    /// Runs and lines left in the database.
    static func left(_ pool: DatabasePool) throws -> (Int, Int) {
        try pool.read { connection in
            (try connection.fetchScalar("SELECT count(*) FROM billing_runs", as: Int.self),
             try connection.fetchScalar("SELECT count(*) FROM billing_lines", as: Int.self))
        }
    }

    /// A run that fails after it has written lines leaves no run and no line:
    /// one line per write, and the device the catalogue no longer knows sorts last.
    @Test func aRunFailingAfterWritingLeavesNothing() throws {
        let (database, pool) = try Self.estate(seed: 7, lastDevice: "ÿ-last", family: "retired", tiers: [("2025-01-01", "standard")])
        defer { withExtendedLifetime(database) {} }
        let runner = BillingRunner(database: pool, catalogue: Self.catalogue, linesPerWrite: 1)
        var emitted = 0
        #expect(throws: BillingRunner.Failure.self) {
            try runner.run(year: Self.year, dryRun: false, principal: .commandLine) { _ in emitted += 1 }
        }
        #expect(emitted > 50)  // lines were written before the failure
        #expect(try Self.left(pool) == (0, 0))
    }

    /// A tier change whose date cannot be read stops the run, and nothing of
    /// it is kept: billed without that change, the contract would be charged
    /// another tier's prices. (The table's CHECK keeps the tier itself valid.)
    @Test func anUnreadableTierChangeStopsTheRun() throws {
        let (database, pool) = try Self.estate(
            seed: 11, lastDevice: "ÿ-bad-tier", family: "iradv-c3xxx", tiers: [("2025-01-01", "standard"), ("2025-02-30", "premium")]
        )
        defer { withExtendedLifetime(database) {} }
        let runner = BillingRunner(database: pool, catalogue: Self.catalogue)
        #expect(throws: (any Error).self) {
            try runner.run(year: Self.year, dryRun: false, principal: .commandLine) { _ in }
        }
        #expect(try Self.left(pool) == (0, 0))
    }
}
