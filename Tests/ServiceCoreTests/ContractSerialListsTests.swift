import Foundation
import Testing
@testable import ServiceCore

/// `contract_serial_lists` (migration 29): the migration joins every existing
/// contract's serials, the triggers follow each insert, delete and update of
/// `contract_devices`, and a contract read through `ContractStore` lists
/// exactly its devices in byte order, however the list was built.
@Suite struct ContractSerialListsTests {
    static let now = MigrationFixture.now

    /// The stored list, separators shown as `|`.
    static func list(_ connection: Connection, _ contract: String) throws -> String? {
        try connection.fetchOne("SELECT replace(serials, char(31), '|') FROM contract_serial_lists WHERE contract_id = ?", [contract])
            .map { try $0.get(0) }
    }

    static func serials(_ pool: DatabasePool, _ contract: String) throws -> [String]? {
        try pool.read { try ContractStore.find($0, id: contract, scope: nil)?.deviceSerials }.map(Array.init)
    }

    @Test func theMigrationJoinsExistingSerialsAndTheTriggersFollowEveryChange() throws {
        let (database, pool) = try MigrationFixture.database(before: 29) { connection in
            try RowsByDealerTests.insertContract(connection, "con_a", customer: "cus_1")
            try RowsByDealerTests.insertContract(connection, "con_b", customer: "cus_1")
            for serial in ["D3", "D1", "D2", "E1"] { try RowsByDealerTests.insertDevice(connection, serial, customer: "cus_1") }
            // Inserted out of order, as rows may have been before the list existed.
            for (contract, serial) in [("con_a", "D3"), ("con_a", "D1"), ("con_a", "D2"), ("con_b", "E1")] {
                try connection.execute("INSERT INTO contract_devices VALUES (?, ?)", [contract, serial])
            }
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(29))).migrate(pool) == [29])
        #expect(try pool.read { try Self.list($0, "con_b") } == "E1")
        #expect(try Self.serials(pool, "con_a") == ["D1", "D2", "D3"])
        #expect(try Self.serials(pool, "con_b") == ["E1"])

        try pool.write { connection in
            try RowsByDealerTests.insertDevice(connection, "D0", customer: "cus_1")
            try RowsByDealerTests.insertDevice(connection, "D9", customer: "cus_1")
            try connection.execute("INSERT INTO contract_devices VALUES ('con_b', 'D9'), ('con_b', 'D0')")
            #expect(try Self.list(connection, "con_b") == "E1|D9|D0")
        }
        #expect(try Self.serials(pool, "con_b") == ["D0", "D9", "E1"])

        try pool.write { connection in
            try connection.execute("DELETE FROM contract_devices WHERE contract_id = 'con_a' AND device_serial = 'D2'")
            try connection.execute("UPDATE contract_devices SET contract_id = 'con_a' WHERE device_serial = 'D9'")
        }
        #expect(try Self.serials(pool, "con_a") == ["D1", "D3", "D9"])
        #expect(try Self.serials(pool, "con_b") == ["D0", "E1"])

        // REPLACE deletes the old pair without its delete trigger, then runs the insert one: the list keeps one D3.
        // A serial that merely begins or ends like one in the list (D, D33) is still appended.
        try pool.write { connection in
            try connection.execute("INSERT OR REPLACE INTO contract_devices VALUES ('con_a', 'D3')")
            #expect(try Self.list(connection, "con_a") == "D1|D3|D9")
            for serial in ["D", "D33"] { try RowsByDealerTests.insertDevice(connection, serial, customer: "cus_1") }
            try connection.execute("INSERT INTO contract_devices VALUES ('con_a', 'D'), ('con_a', 'D33')")
            #expect(try Self.list(connection, "con_a") == "D1|D3|D9|D|D33")
            try connection.execute("DELETE FROM contract_devices WHERE device_serial IN ('D', 'D33')")
        }
        #expect(try Self.serials(pool, "con_a") == ["D1", "D3", "D9"])

        try pool.write { connection in
            try connection.execute("DELETE FROM contract_devices WHERE contract_id = 'con_b'")
            #expect(try Self.list(connection, "con_b") == nil)
        }
        #expect(try Self.serials(pool, "con_b") == [])
    }

    /// A page of contracts lists each one's serials as `contract_devices`
    /// holds them; a contract created with its serials in any order is
    /// stored with its list already sorted.
    @Test func aPageListsEachContractsDevicesAsTheyAreStored() throws {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        let ids = try pool.write { connection -> [String] in
            try connection.execute("INSERT INTO dealers VALUES ('dlr_1', 'D', ?)", [Self.now])
            try connection.execute("INSERT INTO customers VALUES ('cus_1', 'dlr_1', 'C', 1, ?, ?)", [Self.now, Self.now])
            let customer = try #require(try CustomerStore.find(connection, id: "cus_1", scope: nil))
            var ids: [String] = []
            for (index, serials) in [["B2", "A-1", "B10", "A.9"], ["Z_1"], (0..<300).map { "S\(299 - $0)" }].enumerated() {
                for serial in serials { try RowsByDealerTests.insertDevice(connection, serial, customer: "cus_1") }
                let contract = try ContractStore.create(connection, ContractStore.New(
                    customer: customer, deviceSerials: serials, tier: .standard,
                    startsOn: LocalDate(year: 2026 + index, month: 1, day: 1)!, endsOn: LocalDate(year: 2026 + index, month: 12, day: 31)!,
                    prepaidAmountMinor: 0, prepaidCurrency: "NOK", implementationPackage: "basic", options: [],
                    bannerAgreed: false, bannerClickPriceMinor: nil
                ))
                #expect(try Self.list(connection, contract.id) == serials.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: "|"))
                ids.append(contract.id)
            }
            return ids
        }
        let page = try pool.read { try ContractStore.list($0, scope: "dlr_1", filter: .init(), page: PageRequest(limit: 50, after: nil)) }
        #expect(page.items.map(\.id) == ids.sorted())
        for contract in page.items {
            let stored = try pool.read { connection in
                try connection.fetchAll("SELECT device_serial FROM contract_devices WHERE contract_id = ? ORDER BY device_serial", [contract.id])
                    .map { try $0.get(0, as: String.self) }
            }
            #expect(Array(contract.deviceSerials) == stored)
        }
        #expect(page.items.first { $0.deviceSerials.count == 300 }?.deviceSerials.prefix(3).map { $0 } == ["S0", "S1", "S10"])
    }
}
