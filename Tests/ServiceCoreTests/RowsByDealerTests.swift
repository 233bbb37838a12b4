import Foundation
import Testing
@testable import ServiceCore

/// `contracts_by_dealer` and `devices_by_dealer` (migrations 26 and 27): the
/// migration files every existing row under its customer's dealer, and the
/// triggers follow each insert and delete after it, so a dealer's pages list
/// exactly its own rows.
@Suite struct RowsByDealerTests {
    static let now = MigrationFixture.now

    static func insertContract(_ connection: Connection, _ id: String, customer: String) throws {
        try connection.execute("""
            INSERT INTO contracts VALUES (?, ?, '2026-01-01', '2026-12-31', NULL, 0, 'NOK', 'basic', '[]', 0, NULL, 1, ?, ?, '[]', 'yearly')
            """, [id, customer, now, now])
    }

    static func insertDevice(_ connection: Connection, _ serial: String, customer: String) throws {
        try connection.execute("INSERT INTO devices VALUES (?, 'C3530i', 'iradv-c3xxx', ?, NULL, NULL, 1, ?, ?)", [serial, customer, now, now])
    }

    static func rows(_ pool: DatabasePool, _ table: String) throws -> [String] {
        try pool.read { connection in
            try connection.fetchAll("SELECT * FROM \(table) ORDER BY 1, 2").map { "\(try $0.get(0, as: String.self)) \(try $0.get(1, as: String.self))" }
        }
    }

    @Test func theMigrationFilesExistingRowsAndTheTriggersFollowEveryChange() throws {
        let (database, pool) = try MigrationFixture.database(before: 26) { connection in
            try connection.execute("INSERT INTO dealers VALUES ('dlr_2', 'E', ?)", [Self.now])
            try connection.execute("INSERT INTO customers VALUES ('cus_2', 'dlr_2', 'C2', 1, ?, ?)", [Self.now, Self.now])
            try Self.insertContract(connection, "con_a", customer: "cus_1")
            try Self.insertContract(connection, "con_b", customer: "cus_2")
            try Self.insertDevice(connection, "D1", customer: "cus_1")
            try Self.insertDevice(connection, "D2", customer: "cus_2")
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Schema.migrations).migrate(pool) == Array(26...Schema.migrations.count))
        #expect(try Self.rows(pool, "contracts_by_dealer") == ["dlr_1 con_a", "dlr_2 con_b"])
        #expect(try Self.rows(pool, "devices_by_dealer") == ["dlr_1 D1", "dlr_2 D2"])

        try pool.write { connection in
            try Self.insertContract(connection, "con_c", customer: "cus_2")
            try Self.insertDevice(connection, "D3", customer: "cus_2")
        }
        #expect(try Self.rows(pool, "contracts_by_dealer") == ["dlr_1 con_a", "dlr_2 con_b", "dlr_2 con_c"])
        #expect(try Self.rows(pool, "devices_by_dealer") == ["dlr_1 D1", "dlr_2 D2", "dlr_2 D3"])
        let page = PageRequest(limit: 50, after: nil)
        #expect(try pool.read { try ContractStore.list($0, scope: "dlr_2", filter: .init(), page: page) }.items.map(\.id) == ["con_b", "con_c"])
        #expect(try pool.read { try DeviceStore.list($0, scope: "dlr_2", customerID: nil, page: page) }.items.map(\.serial) == ["D2", "D3"])

        try pool.write { connection in
            try connection.execute("DELETE FROM contracts WHERE id = 'con_b'")
            try connection.execute("DELETE FROM devices WHERE serial = 'D2'")
        }
        #expect(try Self.rows(pool, "contracts_by_dealer") == ["dlr_1 con_a", "dlr_2 con_c"])
        #expect(try Self.rows(pool, "devices_by_dealer") == ["dlr_1 D1", "dlr_2 D3"])
    }

    /// A device's installation date is read as a date wherever the device is
    /// read: a stored text that is not one is an error naming the column,
    /// not a device that was never installed.
    @Test func aStoredInstallationDateThatIsNotADateIsAnError() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { connection in
            try Self.insertDevice(connection, "D1", customer: "cus_1")
            try Self.insertDevice(connection, "D2", customer: "cus_1")
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
            try Self.insertDevice(connection, "D1", customer: "cus_1")
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
}
