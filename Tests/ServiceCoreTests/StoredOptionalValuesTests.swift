import Foundation
import Testing
@testable import ServiceCore

/// Optional dates, instants and choices read back from the database: a stored
/// value that is not one is an error naming the column, never read as absent
/// (a device "never installed", an order "never delivered", a claim "without
/// a line"), so corrupt data fails its request instead of showing wrong.
@Suite struct StoredOptionalValuesTests {
    static let now = MigrationFixture.now

    /// A device's installation date is read as a date wherever the device is
    /// read: a stored text that is not one is an error naming the column,
    /// not a device that was never installed.
    @Test func aStoredInstallationDateThatIsNotADateIsAnError() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { connection in
            try RowsByDealerTests.insertDevice(connection, "D1", customer: "cus_1")
            try RowsByDealerTests.insertDevice(connection, "D2", customer: "cus_1")
            try connection.execute("UPDATE devices SET installed_on = '2026-03-02' WHERE serial = 'D1'")
        }
        defer { withExtendedLifetime(database) {} }
        let page = PageRequest(limit: 50, after: nil)
        let listed = try pool.read { try DeviceStore.list($0, scope: "dlr_1", customerID: nil, page: page) }.items
        #expect(listed.map(\.installedOn) == [LocalDate(year: 2026, month: 3, day: 2), nil])
        #expect(try pool.read { try DeviceStore.find($0, serial: "D1", scope: nil) }?.installedOn == LocalDate(year: 2026, month: 3, day: 2))

        try pool.write { try $0.execute("UPDATE devices SET installed_on = '2026-02-30' WHERE serial = 'D2'") }
        #expect(throws: RowDecodingError.self) { try pool.read { try DeviceStore.find($0, serial: "D2", scope: nil) } }
        #expect(throws: RowDecodingError.self) { try pool.read { try DeviceStore.list($0, scope: "dlr_1", customerID: nil, page: page) } }
        #expect(throws: RowDecodingError.self) { try pool.read { try DeviceStore.list($0, scope: nil, customerID: "cus_1", page: page) } }
    }

    /// The same for an optional instant: an order's delivery time that is not
    /// an instant is an error, not an order never delivered.
    @Test func aStoredDeliveryTimeThatIsNotAnInstantIsAnError() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { connection in
            try RowsByDealerTests.insertDevice(connection, "D1", customer: "cus_1")
            for (id, channel, delivered) in [("ord_1", "black", "2026-03-02T10:00:00Z"), ("ord_2", "cyan", "yesterday")] {
                try connection.execute("""
                    INSERT INTO consumable_orders VALUES (?, 'D1', 'dlr_1', ?, 'delivered', 4, ?, 1, 1, ?, 1, ?, ?)
                    """, [id, channel, Self.now, delivered, Self.now, Self.now])
            }
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try pool.read { try ConsumableOrderStore.find($0, id: "ord_1", scope: nil) }?.deliveredAt == RFC3339.parse("2026-03-02T10:00:00Z"))
        #expect(throws: RowDecodingError.self) { try pool.read { try ConsumableOrderStore.find($0, id: "ord_2", scope: nil) } }
    }

    /// And for an optional choice: a claim's product line that is not one of
    /// the programme's lines is an error, not a claim without a line.
    @Test func aStoredProductLineThatIsNotALineIsAnError() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { connection in
            try connection.execute("INSERT INTO ipf_technicians VALUES ('tec_1', 'dlr_1', 'T', 1, ?, ?)", [Self.now, Self.now])
            for (id, line, day) in [("clm_1", nil, "2026-03-01"), ("clm_2", "sculpture", "2026-03-02")] as [(String, String?, String)] {
                try connection.execute("""
                    INSERT INTO ipf_claims VALUES (?, 'dlr_1', 'S1', ?, 'tec_1', 30, '[]', 'd', 'approved', '[]', ?, 'NOK', 0, '{}',
                                                   ?, '2026-03-03', NULL, NULL, 1, ?)
                    """, [id, day, line, Self.now, Self.now])
            }
        }
        defer { withExtendedLifetime(database) {} }
        let claim = try pool.read { try IPFClaimStore.find($0, id: "clm_1", scope: nil) }
        #expect(claim != nil && claim?.line == nil)
        #expect(throws: RowDecodingError.self) { try pool.read { try IPFClaimStore.find($0, id: "clm_2", scope: nil) } }
    }
}
