import Foundation
import Testing
@testable import ServiceCore

/// Every list and report reads its records' child rows in one query per
/// page, never one per record: the statements SQLite starts for a page of
/// 50 are as many as for a page of 2. Each record of the fixture has its own
/// children, so the tests also check that each got its own.
@Suite struct ListQueryCountTests {
    static let recordCount = 60

    /// 60 of everything, each with two or three child rows, made in SQL.
    static func fixture() throws -> (TemporaryDatabase, DatabasePool) {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        try pool.write { connection in
            let numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(recordCount))"
            let now = "'2026-03-01T00:00:00Z'"
            try connection.executeScript("""
                INSERT INTO dealers (id, name, created_at) VALUES ('dlr_1', 'Dealer', \(now));
                \(numbers) INSERT INTO customers SELECT printf('cus_%03d', i), 'dlr_1', 'Customer', 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO devices SELECT printf('D%03d%s', i, s), 'C3530i', 'C3xxx', printf('cus_%03d', i), NULL, NULL, 1, \(now), \(now)
                    FROM n, (SELECT 'A' AS s UNION ALL SELECT 'B');
                \(numbers) INSERT INTO contracts SELECT printf('con_%03d', i), printf('cus_%03d', i), '2026-01-01', '2026-12-31', NULL, 0, 'NOK',
                    'basic', '[]', 0, NULL, 1, \(now), \(now), '[]', 'yearly' FROM n;
                INSERT INTO contract_devices SELECT 'con_' || substr(serial, 2, 3), serial FROM devices;
                \(numbers) INSERT INTO contract_tiers SELECT printf('con_%03d', i), d, t, \(now)
                    FROM n, (SELECT '2026-01-01' AS d, 'standard' AS t UNION ALL SELECT '2026-06-01', 'premium');
                \(numbers) INSERT INTO service_requests (id, device_serial, customer_id, dealer_id, contract_id, tier, reported_at, category,
                    description, source, state, clock_starts_at, response_due_at, first_response_at, version, created_at, updated_at)
                    SELECT printf('srq_%03d', i), printf('D%03dA', i), printf('cus_%03d', i), 'dlr_1', printf('con_%03d', i), 'premium',
                    printf('2026-03-02T10:%02d:00Z', i - 1), 'fault', 'jam', 'portal', 'resolved', '2026-03-02T11:00:00Z',
                    '2026-03-02T15:00:00Z', '2026-03-02T12:00:00Z', 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO service_request_events (request_id, type, at, note, recorded_at)
                    SELECT printf('srq_%03d', i), t, '2026-03-02T12:00:00Z', printf('note %d', i), \(now)
                    FROM n, (SELECT 'respond' AS t UNION ALL SELECT 'resolve');
                \(numbers) INSERT INTO ipf_technicians SELECT printf('tec_%03d', i), 'dlr_1', 'Technician', 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO ipf_certifications SELECT printf('tec_%03d', i), l, '2026-01-01', '2028-01-01', \(now)
                    FROM n, (SELECT 'imageprograf' AS l UNION ALL SELECT 'imageprograf-tm');
                \(numbers) INSERT INTO ipf_registrations SELECT printf('R%03d', i), 'dlr_1', 'TM-300', 'imageprograf-tm', 'End', 'Street 1', 'NO',
                    '2026-01-01', 'dealer', 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO ipf_ecarepaks SELECT printf('ecp_%03d%s', i, s), printf('R%03d', i), 'dlr_1', 12, '2026-01-01', \(now)
                    FROM n, (SELECT 'a' AS s UNION ALL SELECT 'b');
                \(numbers) INSERT INTO ipf_registration_transfers (serial, from_dealer_id, to_dealer_id, reason, transferred_at)
                    SELECT printf('R%03d', i), 'dlr_1', 'dlr_1', printf('reason %d', i), \(now) FROM n;
                \(numbers) INSERT INTO ipf_orders SELECT printf('iord_%03d', i), 'dlr_1', 'cna', '[{"part_number":"P1","quantity":1}]', NULL,
                    'shipped', 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO ipf_order_events (order_id, type, note, at) SELECT printf('iord_%03d', i), t, printf('note %d', i), \(now)
                    FROM n, (SELECT 'confirm' AS t UNION ALL SELECT 'ship');
                \(numbers) INSERT INTO ipf_support_cases SELECT printf('isc_%03d', i), 'dlr_1', printf('R%03d', i), 'web', 'banding', 'open',
                    \(now), NULL, NULL, 1, \(now) FROM n;
                \(numbers) INSERT INTO ipf_support_case_events (case_id, type, note, at) SELECT printf('isc_%03d', i), 'step', printf('step %d', i), \(now)
                    FROM n, (SELECT 1 UNION ALL SELECT 2);
                \(numbers) INSERT INTO cps_members SELECT printf('mem_%03d', i), printf('CPS%010d', i), 'Member', printf('m%d@example.no', i),
                    printf('m%d@example.no', i), 'NO', 'subscription', NULL, NULL, 1, \(now), \(now), '', 0, 0 FROM n;
                \(numbers) INSERT INTO cps_registrations SELECT printf('reg_%03d%s', i, s), printf('mem_%03d', i), 'eos-r5', NULL, NULL, NULL, NULL,
                    0, '2026-01-01', 'registered', NULL, 0, NULL, NULL, 1 FROM n, (SELECT 'a' AS s UNION ALL SELECT 'b');
                \(numbers) INSERT INTO cps_invoices SELECT printf('inv_%03d', i), printf('mem_%03d', i), 'silver', 'card', '2026-01-01', '2026-12-31',
                    '2026-01-01', '2026-01-31', 10000, 0, 'EUR', NULL, \(now) FROM n;
                \(numbers) INSERT INTO cps_welcome_packs SELECT printf('wpk_%03d', i), printf('mem_%03d', i), 'silver',
                    '{"recipient":"M","line1":"Street 1","postal_code":"0150","city":"Oslo","country":"NO"}', '2026-01-01', NULL, 1 FROM n;
                INSERT INTO customers VALUES ('cus_big', 'dlr_1', 'Large customer', 1, \(now), \(now));
                \(numbers) INSERT INTO devices SELECT printf('BIG%03d', i), 'C3530i', 'C3xxx', 'cus_big', NULL, NULL, 1, \(now), \(now) FROM n;
                -- Three readings a device, 1 000 ms apart, its bw_a4 counter at 100 x i + 10 x k.
                \(numbers) INSERT INTO meter_readings SELECT d.serial, k * 1000, 100 * i + 10 * k, 0, 0, 0, 0, 0, 'dms', 0, 0
                    FROM n JOIN devices d ON d.customer_id IN ('cus_big', printf('cus_%03d', i)) AND (d.customer_id <> 'cus_big' OR d.serial = printf('BIG%03d', i)),
                    (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3);
                """)
        }
        return (database, pool)
    }

    /// The statements one call runs on a fresh read connection, and its result.
    static func counted<T>(_ pool: DatabasePool, _ body: (Connection) throws -> T) throws -> (T, Int) {
        try pool.read { connection in
            let (result, statements) = try connection.countingStatements { try body(connection) }
            return (result, statements)
        }
    }

    /// Statements for a page of 2 and a page of 50, and the page of 50.
    static func pages<Item>(_ pool: DatabasePool, _ list: (Connection, PageRequest) throws -> Page<Item>) throws -> (small: Int, large: Int, page: Page<Item>) {
        let (_, small) = try counted(pool) { try list($0, PageRequest(limit: 2, after: nil)) }
        let (page, large) = try counted(pool) { try list($0, PageRequest(limit: 50, after: nil)) }
        return (small, large, page)
    }

    @Test func contractPagesReadTheirRowsWithSerialListsAndTiersInOneQuery() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let (small, large, page) = try Self.pages(pool) { try ContractStore.list($0, scope: "dlr_1", filter: .init(), page: $1) }
        #expect(page.items.count == 50)
        #expect(small == large)
        // The page's rows joined with their serial lists and tier histories.
        #expect(large == 1)
        for contract in page.items {
            let number = contract.id.dropFirst(4)
            #expect(contract.deviceSerials == ["D\(number)A", "D\(number)B"])
            #expect(contract.tierHistory == [.init(effectiveOn: LocalDate("2026-01-01")!, tier: .standard),
                                             .init(effectiveOn: LocalDate("2026-06-01")!, tier: .premium)])
        }
    }

    /// `group_concat` walks the tiers in their key's (date) order, which
    /// SQLite does not promise: a history that comes out of order is sorted,
    /// and a tier named twice is kept twice.
    @Test func aTierHistoryJoinedOutOfOrderIsReadInDateOrder() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let history = try pool.read { connection in
            try connection.fetchCursor("SELECT '2026-06-01premium 2026-01-01standard 2026-03-01standard'", []).all {
                try ContractStore.tierHistory($0, at: 0)
            }
        }
        #expect(history == [[.init(effectiveOn: LocalDate("2026-01-01")!, tier: .standard),
                             .init(effectiveOn: LocalDate("2026-03-01")!, tier: .standard),
                             .init(effectiveOn: LocalDate("2026-06-01")!, tier: .premium)]])
        #expect(try pool.read { try $0.fetchCursor("SELECT NULL", []).all { try ContractStore.tierHistory($0, at: 0) } } == [[]])
    }

    @Test func serviceRequestPagesReadEventsInOneQuery() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let (small, large, page) = try Self.pages(pool) { try ServiceRequestStore.list($0, scope: nil, filter: .init(), page: $1) }
        #expect(page.items.count == 50)
        #expect((small, large) == (2, 2))
        for request in page.items {
            #expect(request.events.map(\.type) == [.respond, .resolve])
            #expect(request.events.first?.note == "note \(Int(request.id.dropFirst(4))!)")
        }
    }

    /// The breach watcher's batch reads its requests and their events in two
    /// statements whatever its size (it read each request again by id).
    @Test func unraisedBreachesAreReadPerBatchNotPerRequest() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        try pool.write { try $0.execute("UPDATE service_requests SET first_response_at = NULL") }
        let now = RFC3339.parse("2026-03-05T12:00:00Z")!
        let (two, twoStatements) = try Self.counted(pool) { try ServiceRequestStore.unraisedBreaches($0, at: now, limit: 2) }
        let (fifty, fiftyStatements) = try Self.counted(pool) { try ServiceRequestStore.unraisedBreaches($0, at: now, limit: 50) }
        #expect((two.count, fifty.count) == (2, 50))
        #expect((twoStatements, fiftyStatements) == (2, 2))
        #expect(fifty.allSatisfy { $0.events.map(\.type) == [.respond, .resolve] })
    }

    /// The SLA report reads the period's requests alone: a year of other
    /// requests (600 more, reported a day later, of this dealer and of
    /// another) leaves the work of a report over 2 March unchanged, for one
    /// dealer and for all; it grows with the requests it counts.
    @Test func slaReportWorkIsThePeriodsRequestsOnly() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let calendar = SupportCalendarTests.calendar
        func steps(dealer: String?, minutes: Int) throws -> (Int, Int) {
            var filter = ServiceRequestStore.Filter()
            filter.dealerID = dealer
            filter.reportedFrom = RFC3339.parse("2026-03-02T10:00:00Z")
            filter.reportedBefore = RFC3339.parse("2026-03-02T10:00:00Z")!.addingTimeInterval(Double(minutes) * 60)
            return try pool.read { connection in
                let (tally, steps) = try connection.countingSteps {
                    try ServiceRequestStore.slaTally(connection, scope: nil, filter: filter, calendar: calendar, now: RFC3339.parse("2026-03-05T12:00:00Z")!)
                }
                return (tally.rows.reduce(0) { $0 + $1.requests }, steps)
            }
        }
        let before = [try steps(dealer: "dlr_1", minutes: 10), try steps(dealer: nil, minutes: 10), try steps(dealer: nil, minutes: 60)]
        try pool.write { connection in
            try connection.executeScript("""
                INSERT INTO dealers (id, name, created_at) VALUES ('dlr_2', 'Other', '2026-03-01T00:00:00Z');
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
                INSERT INTO service_requests (id, device_serial, customer_id, dealer_id, contract_id, tier, reported_at, category,
                    description, source, state, clock_starts_at, response_due_at, first_response_at, version, created_at, updated_at)
                    SELECT printf('srq_x%03d', i), 'D001A', 'cus_001', CASE i % 2 WHEN 0 THEN 'dlr_1' ELSE 'dlr_2' END, 'con_001', 'premium',
                    printf('2026-03-03T%02d:%02d:00Z', i / 60, i % 60), 'fault', 'jam', 'portal', 'resolved', '2026-03-03T11:00:00Z',
                    '2026-03-03T15:00:00Z', '2026-03-03T12:00:00Z', 1, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z' FROM n;
                """)
        }
        let after = [try steps(dealer: "dlr_1", minutes: 10), try steps(dealer: nil, minutes: 10), try steps(dealer: nil, minutes: 60)]
        #expect(before.map(\.0) == [10, 10, 60])
        #expect(after.map(\.0) == before.map(\.0))
        // The same work, but for the step that now meets a row past the period's end
        // (before, the 60 minutes ran to the end of the index).
        #expect(zip(after, before).allSatisfy { $0.1 - $1.1 <= 1 }, "\(before) -> \(after)")
        // Six times the requests, more work: it is the selection that costs.
        #expect(before[2].1 > before[1].1 * 3)
    }

    /// Children are grouped by comparing each row's key with the last one in
    /// place (one string and one look-up per run of rows): a query that meets
    /// a key again after another still gives each key all of its rows.
    @Test func childRowsGroupEveryRowOfAKeyInAnyOrder() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let keys = ["con_001", "con_002", "con_003"]
        let (ordered, interleaved) = try pool.read { connection in
            (try ChildRows.groupedColumns(connection, "SELECT contract_id, device_serial FROM contract_devices WHERE contract_id IN \(ChildRows.keys) ORDER BY contract_id, device_serial",
                                          keys: keys) { $0.text(at: 1) },
             try ChildRows.grouped(connection, "SELECT contract_id, device_serial FROM contract_devices WHERE contract_id IN \(ChildRows.keys) ORDER BY substr(device_serial, 5), contract_id",
                                   keys: keys) { try $0.get(1, as: String.self) })
        }
        #expect(ordered == ["con_001": ["D001A", "D001B"], "con_002": ["D002A", "D002B"], "con_003": ["D003A", "D003B"]])
        #expect(interleaved == ordered)
    }

    /// Children attached by finding each row's key among the records' in
    /// place: the records in any order, a key twice, a record without
    /// children, rows ordered by key or not.
    @Test func childRowsAttachToEveryRecordOfTheirKeyInAnyOrder() throws {
        struct Record { let id: String; var serials: [String] = ["stale"] }
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let ids = ["con_003", "con_none", "con_001", "con_002", "con_001"]
        let attached = try pool.read { connection in
            try ["ORDER BY contract_id, device_serial", "ORDER BY substr(device_serial, 5) DESC, contract_id"].map { order in
                var records = ids.map { Record(id: $0) }
                try ChildRows.attachColumns(
                    connection, "SELECT contract_id, device_serial FROM contract_devices WHERE contract_id IN \(ChildRows.keys) \(order)",
                    to: &records, keys: ids, set: { $0.serials = $1 }
                ) { $0.text(at: 1) }
                return records.map { "\($0.id): \($0.serials.sorted().joined(separator: " "))" }
            }
        }
        let expected = ["con_003: D003A D003B", "con_none: ", "con_001: D001A D001B", "con_002: D002A D002B", "con_001: D001A D001B"]
        #expect(attached == [expected, expected])
        let ordered = try pool.read { connection in
            var records = [Record(id: "con_002")]
            try ChildRows.attachColumns(
                connection, "SELECT contract_id, device_serial FROM contract_devices WHERE contract_id IN \(ChildRows.keys) ORDER BY device_serial DESC",
                to: &records, keys: ["con_002"], set: { $0.serials = $1 }
            ) { $0.text(at: 1) }
            return records[0].serials
        }
        #expect(ordered == ["D002B", "D002A"], "a key's rows keep the query's order")
    }

    @Test func slaReportRunsOneStatementWhateverTheNumberOfRequests() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let calendar = SupportCalendarTests.calendar
        func tally(minutes: Int) throws -> (SLAReport.Tally, Int) {
            var filter = ServiceRequestStore.Filter()
            filter.reportedFrom = RFC3339.parse("2026-03-02T10:00:00Z")
            filter.reportedBefore = RFC3339.parse("2026-03-02T10:00:00Z")!.addingTimeInterval(Double(minutes) * 60)
            return try Self.counted(pool) {
                try ServiceRequestStore.slaTally($0, scope: "dlr_1", filter: filter, calendar: calendar, now: RFC3339.parse("2026-03-05T12:00:00Z")!)
            }
        }
        let (two, twoStatements) = try tally(minutes: 2)
        let (all, allStatements) = try tally(minutes: 60)
        #expect((twoStatements, allStatements) == (1, 1))
        // Every request answered at 12:00Z, due at 15:00Z: in time.
        #expect(two.rows.first { $0.tier == .premium }?.requests == 2)
        #expect(all.rows.first { $0.tier == .premium }?.answeredInTime == Self.recordCount)
        // Its calendar work is per day, not per request: the 60 requests of one
        // day (2 March) look up that day's window and midnights (the day and
        // its neighbours, 1-3 March) instead of asking Foundation's Calendar
        // for each request's; it was about 15 microseconds a request, and the
        // all-dealers report over a year did not answer within 3 s.
        #expect(all.days.daysComputed <= 3)
        #expect(two.days.daysComputed <= 3)
    }

    /// A device's usage reads its contracts' terms: the large customer's
    /// contract of 60 devices costs what a contract of 2 does, and lists the
    /// device alone.
    @Test func aDevicesContractTermsDoNotReadTheContractsOtherDevices() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        try pool.write { connection in
            try connection.executeScript("""
                INSERT INTO contracts SELECT 'con_big', 'cus_big', '2026-01-01', '2026-12-31', NULL, 0, 'NOK', 'basic', '[]', 0, NULL, 1,
                    '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', '[]', 'yearly';
                INSERT INTO contract_devices SELECT 'con_big', serial FROM devices WHERE customer_id = 'cus_big';
                INSERT INTO contract_tiers SELECT 'con_big', d, t, '2026-03-01T00:00:00Z'
                    FROM (SELECT '2026-01-01' AS d, 'standard' AS t UNION ALL SELECT '2026-06-01', 'premium');
                """)
        }
        let (small, large) = try pool.read { connection in
            (try connection.countingSteps { try ContractStore.terms(connection, serial: "D007A") },
             try connection.countingSteps { try ContractStore.terms(connection, serial: "BIG007") })
        }
        #expect(small.0.map(\.id) == ["con_007"])
        #expect(small.0.first?.deviceSerials == ["D007A"])
        #expect(large.0.map(\.id) == ["con_big"])
        #expect(large.0.first?.deviceSerials == ["BIG007"])
        #expect(large.0.first?.tierHistory.map(\.tier) == [.standard, .premium])
        let whole = try pool.read { try ContractStore.find($0, id: "con_big", scope: nil) }
        #expect(whole?.deviceSerials.count == Self.recordCount)
        #expect(large.0.first?.startsOn == whole?.startsOn && large.0.first?.endsOn == whole?.endsOn)
        // Within a few steps of each other (the depth of the index walked).
        #expect(abs(large.1 - small.1) < 10, "\(large.1) steps for a contract of \(Self.recordCount) devices, \(small.1) for one of 2")
    }

    @Test func usageReportReadsEveryDeviceOfTheCustomerInOneStatement() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        for (customer, devices) in [("cus_001", 2), ("cus_big", Self.recordCount)] {
            let (readings, statements) = try Self.counted(pool) { try MeterReadingStore.around($0, customerID: customer, from: 1_500, to: 2_500) }
            #expect(statements == 1)
            #expect(readings.count == devices)
            // Each device's own readings, exactly those the one-device look-up returns: from the last at or
            // before 1 500 (at 1 000) to the first at or after 2 500 (at 3 000).
            for (serial, ofDevice) in readings {
                #expect(ofDevice.map(\.readAt) == [1_000, 2_000, 3_000])
                #expect(ofDevice.allSatisfy { $0.deviceSerial == serial })
                #expect(try pool.read { try MeterReadingStore.around($0, serial: serial, from: 1_500, to: 2_500) } == ofDevice)
            }
        }
    }

    @Test func imagePROGRAFPagesReadChildRowsPerPage() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let orders = try Self.pages(pool) { try IPFOrderStore.list($0, scope: "dlr_1", dealerID: nil, state: nil, page: $1) }
        #expect((orders.small, orders.large, orders.page.items.count) == (2, 2, 50))
        #expect(orders.page.items.allSatisfy { $0.events.map(\.note) == Array(repeating: "note \(Int($0.id.dropFirst(5))!)", count: 2) })

        let cases = try Self.pages(pool) { try IPFSupportCaseStore.list($0, scope: "dlr_1", dealerID: nil, state: nil, page: $1) }
        #expect((cases.small, cases.large, cases.page.items.count) == (2, 2, 50))
        #expect(cases.page.items.allSatisfy { $0.events.map(\.note) == Array(repeating: "step \(Int($0.id.dropFirst(4))!)", count: 2) })

        let technicians = try Self.pages(pool) { try IPFTechnicianStore.list($0, scope: nil, dealerID: "dlr_1", page: $1) }
        #expect((technicians.small, technicians.large, technicians.page.items.count) == (2, 2, 50))
        #expect(technicians.page.items.allSatisfy { technician in technician.certifications.allSatisfy { $0.technicianID == technician.id } })
        #expect(technicians.page.items.allSatisfy { $0.certifications.count == 2 })

        let registrations = try Self.pages(pool) { try IPFRegistrationStore.list($0, scope: "dlr_1", filter: .init(), page: $1) }
        #expect((registrations.small, registrations.large, registrations.page.items.count) == (3, 3, 50))
        for registration in registrations.page.items {
            let number = registration.serial.dropFirst()
            #expect(registration.eCarePaks.map(\.id) == ["ecp_\(number)a", "ecp_\(number)b"])
            #expect(registration.transfers.map(\.reason) == ["reason \(Int(number)!)"])
        }
    }

    @Test func cpsMemberPagesReadRegistrationsInvoicesAndPacksPerPage() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let (small, large, page) = try Self.pages(pool) { connection, request in
            try CPSMemberRecord.load(connection, page: try CPSMemberStore.list(connection, email: nil, membershipNumber: nil, page: request))
        }
        #expect((small, large, page.items.count) == (4, 4, 50))
        for record in page.items {
            let number = record.member.id.dropFirst(4)
            #expect(record.registrations.map(\.id) == ["reg_\(number)a", "reg_\(number)b"])
            #expect(record.invoices.map(\.id) == ["inv_\(number)"])
            #expect(record.welcomePack?.id == "wpk_\(number)")
        }
    }
}

/// A dealer's list pages are found from the dealer's own rows (its customers,
/// then their contracts or devices; its orders), never by walking the
/// estate's rows in id order until the page is full: the work of a small
/// dealer's page is the same when another dealer gains a hundred more of
/// everything.
@Suite struct DealerPageCostTests {
    static func steps<Item>(_ pool: DatabasePool, _ list: (Connection) throws -> Page<Item>) throws -> (items: Int, steps: Int) {
        try pool.read { connection in
            let (page, steps) = try connection.countingSteps { try list(connection) }
            return (page.items.count, steps)
        }
    }

    /// The work of each list for `dlr_small`, which has one of everything
    /// with ids after all of `dlr_1`'s.
    static func costs(_ pool: DatabasePool) throws -> [String: (items: Int, steps: Int)] {
        let page = PageRequest(limit: 50, after: nil)
        return [
            "customers": try steps(pool) { try CustomerStore.list($0, scope: "dlr_small", dealerID: nil, page: page) },
            "customers by admin filter": try steps(pool) { try CustomerStore.list($0, scope: nil, dealerID: "dlr_small", page: page) },
            "contracts": try steps(pool) { try ContractStore.list($0, scope: "dlr_small", filter: .init(), page: page) },
            "devices": try steps(pool) { try DeviceStore.list($0, scope: "dlr_small", customerID: nil, page: page) },
            "consumable orders": try steps(pool) { try ConsumableOrderStore.list($0, scope: "dlr_small", serial: nil, state: nil, page: page) },
        ]
    }

    static func addLargeDealerRows(_ pool: DatabasePool, from first: Int, count: Int) throws {
        let now = "'2026-03-01T00:00:00Z'"
        let numbers = "WITH RECURSIVE n(i) AS (SELECT \(first) UNION ALL SELECT i + 1 FROM n WHERE i < \(first + count - 1))"
        try pool.write { connection in
            try connection.executeScript("""
                \(numbers) INSERT INTO customers SELECT printf('cus_%04d', i), 'dlr_1', 'Customer', 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO devices SELECT printf('D%04d', i), 'C3530i', 'C3xxx', printf('cus_%04d', i), NULL, NULL, 1, \(now), \(now) FROM n;
                \(numbers) INSERT INTO contracts SELECT printf('con_%04d', i), printf('cus_%04d', i), '2026-01-01', '2026-12-31', NULL, 0, 'NOK',
                    'basic', '[]', 0, NULL, 1, \(now), \(now), '[]', 'yearly' FROM n;
                \(numbers) INSERT INTO consumable_orders SELECT printf('cor_%04d', i), printf('D%04d', i), 'dlr_1', 'black', 'delivered', 3,
                    \(now), 1, 1, \(now), 1, \(now), \(now) FROM n;
                """)
        }
    }

    /// The large dealer's own pages: a page of 5 of its contracts or devices
    /// does the same work when it holds 220 as when it holds 20, and the
    /// pages walk them in id order, each once.
    @Test func aLargeDealersPageCostsTheSameWhateverItHolds() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        try pool.write { try $0.execute("INSERT INTO dealers VALUES ('dlr_1', 'Large', '2026-03-01T00:00:00Z')") }
        func firstPages() throws -> [(items: Int, steps: Int)] {
            let page = PageRequest(limit: 5, after: nil)
            return [
                try Self.steps(pool) { try ContractStore.list($0, scope: "dlr_1", filter: .init(), page: page) },
                try Self.steps(pool) { try DeviceStore.list($0, scope: "dlr_1", customerID: nil, page: page) },
            ]
        }
        try Self.addLargeDealerRows(pool, from: 1, count: 20)
        let before = try firstPages()
        try Self.addLargeDealerRows(pool, from: 21, count: 200)
        let after = try firstPages()
        for (list, (before, after)) in zip(["contracts", "devices"], zip(before, after)) {
            #expect(before.items == 5 && after.items == 5, "\(list)")
            #expect(after.steps == before.steps, "\(list): \(before.steps) steps with 20, \(after.steps) with 220")
        }
        func all<Item>(_ list: (Connection, PageRequest) throws -> Page<Item>, id: (Item) -> String) throws -> [String] {
            try Page.all(pageSize: 50) { page in try pool.read { try list($0, page) } }.map(id)
        }
        #expect(try all({ try ContractStore.list($0, scope: "dlr_1", filter: .init(), page: $1) }, id: \.id)
            == (1...220).map { String(format: "con_%04d", $0) })
        #expect(try all({ try DeviceStore.list($0, scope: "dlr_1", customerID: nil, page: $1) }, id: \.serial)
            == (1...220).map { String(format: "D%04d", $0) })
    }

    @Test func aSmallDealersPageCostsTheSameWhateverTheOtherDealersHold() throws {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        let now = "'2026-03-01T00:00:00Z'"
        try pool.write { connection in
            try connection.executeScript("""
                INSERT INTO dealers VALUES ('dlr_1', 'Large', \(now)), ('dlr_small', 'Small', \(now));
                INSERT INTO customers VALUES ('cus_zzzz', 'dlr_small', 'Small customer', 1, \(now), \(now));
                INSERT INTO devices VALUES ('ZZZZ', 'C3530i', 'C3xxx', 'cus_zzzz', NULL, NULL, 1, \(now), \(now));
                INSERT INTO contracts VALUES ('con_zzzz', 'cus_zzzz', '2026-01-01', '2026-12-31', NULL, 0, 'NOK', 'basic', '[]', 0, NULL, 1,
                    \(now), \(now), '[]', 'yearly');
                INSERT INTO consumable_orders VALUES ('cor_zzzz', 'ZZZZ', 'dlr_small', 'black', 'open', 3, \(now), 0, 0, NULL, 1, \(now), \(now));
                """)
        }
        try Self.addLargeDealerRows(pool, from: 1, count: 20)
        let before = try Self.costs(pool)
        try Self.addLargeDealerRows(pool, from: 21, count: 200)
        let after = try Self.costs(pool)
        for (list, cost) in before {
            #expect(cost.items == 1, "\(list)")
            #expect(after[list]?.steps == cost.steps, "\(list): \(cost.steps) steps with 20 of the other dealer's rows, \(after[list]?.steps ?? 0) with 220")
        }
    }

}

/// Stored values that do not decode, read through the stores (ListQueryCountTests' fixture).
@Suite struct StoredValueDecodingTests {
    /// Writes `corruption` with check constraints off: a value the schema would refuse, written around it.
    static func corrupt(_ pool: DatabasePool, _ corruption: String) throws {
        try pool.write { try $0.executeScript("PRAGMA ignore_check_constraints = ON; \(corruption); PRAGMA ignore_check_constraints = OFF") }
    }

    /// A stored value a request's or a contract's reader cannot decode is an
    /// error (the API's 500 problem), never a row read as if it were not there
    /// (an event dropped, a tier change skipped, a deadline read as none).
    @Test(arguments: [
        "UPDATE service_request_events SET type = 'bogus' WHERE request_id = 'srq_001' AND type = 'resolve'",
        "UPDATE service_request_events SET at = 'yesterday' WHERE request_id = 'srq_001'",
        "UPDATE service_requests SET state = 'limbo' WHERE id = 'srq_001'",
        // A case's name cut short, or with a byte more: matched whole, in place.
        "UPDATE service_requests SET state = 'ope' WHERE id = 'srq_001'",
        "UPDATE service_requests SET state = 'open ' WHERE id = 'srq_001'",
        "UPDATE service_request_events SET type = 'respondx' WHERE request_id = 'srq_001' AND type = 'respond'",
        "UPDATE service_requests SET response_due_at = '2026-03-02 15:00' WHERE id = 'srq_001'",
        "UPDATE service_requests SET cause = 'weather' WHERE id = 'srq_001'",
    ])
    func aRequestWithAStoredValueThatDoesNotDecodeIsAnError(corruption: String) throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(try pool.read { try ServiceRequestStore.find($0, id: "srq_001", scope: nil) }?.events.count == 2)
        try Self.corrupt(pool, corruption)
        #expect(throws: RowDecodingError.self) { try pool.read { try ServiceRequestStore.find($0, id: "srq_001", scope: nil) } }
        #expect(throws: RowDecodingError.self) {
            try pool.read { try ServiceRequestStore.list($0, scope: "dlr_1", filter: .init(), page: PageRequest(limit: 50, after: nil)) }
        }
    }

    @Test(arguments: [
        "UPDATE contract_tiers SET tier = 'gold' WHERE contract_id = 'con_001' AND effective_on = '2026-06-01'",
        "UPDATE contract_tiers SET effective_on = '2026-6-1' WHERE contract_id = 'con_001' AND effective_on = '2026-06-01'",
        // The history is read joined by spaces: a stored space must not shift the next change's date.
        "UPDATE contract_tiers SET effective_on = '2026-06-01 ' WHERE contract_id = 'con_001' AND effective_on = '2026-06-01'",
        "UPDATE contract_tiers SET tier = '' WHERE contract_id = 'con_001' AND effective_on = '2026-06-01'",
        "UPDATE contracts SET billing_frequency = 'weekly' WHERE id = 'con_001'",
        "UPDATE contracts SET terminated_on = 'soon' WHERE id = 'con_001'",
    ])
    func aContractWithAStoredValueThatDoesNotDecodeIsAnError(corruption: String) throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(try pool.read { try ContractStore.find($0, id: "con_001", scope: nil) }?.tierHistory.count == 2)
        try Self.corrupt(pool, corruption)
        #expect(throws: RowDecodingError.self) { try pool.read { try ContractStore.find($0, id: "con_001", scope: nil) } }
    }
}
