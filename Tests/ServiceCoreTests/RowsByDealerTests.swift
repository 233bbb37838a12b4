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
}
