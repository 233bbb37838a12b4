import Foundation
import Testing
@testable import ServiceCore

@Suite struct SerialNormalisationTests {
    @Test(arguments: [("bad0001", "BAD0001"), (" Qx-12.a_b\t", "QX-12.A_B"), ("ABC", "ABC")])
    func serialsAreTrimmedAndUpperCased(_ input: String, _ expected: String) {
        #expect(DeviceSerial.normalised(input) == expected)
        #expect(DeviceSerial.parse(input) == expected)
    }

    /// ASCII text takes a byte-wise path, anything else the walk by Character: both trim the same whitespace.
    @Test(arguments: [
        ("\r\n\u{0B}\u{0C}sc-1\t ", "SC-1"), ("\u{00A0}sc-1\u{2003}", "SC-1"), (" \u{0085}ab\r\n", "AB"),
        ("straße ", "STRAßE"), ("  ", ""), ("", ""), ("a b", "A B"),
    ])
    func asciiAndOtherTextAreTrimmedAlike(_ input: String, _ expected: String) {
        #expect(DeviceSerial.normalised(input) == expected)
        #expect(DeviceSerial.normalised(Substring(input)) == expected)
    }

    @Test(arguments: ["SN 2", "SN/2", "straße", "SN\u{00A0}2", "SN+2", "", "   ", String(repeating: "A", count: 65)])
    func serialsNoLabelCarriesAreRefused(_ input: String) {
        #expect(DeviceSerial.parse(input) == nil)
        #expect(DeviceSerial.problem(DeviceSerial.normalised(input)) != nil)
    }

    static let version = SerialNormalisation.migration.version

    /// A database just before the serial migration, with a device stored in lower case, readings,
    /// a contract and a billing line naming it.
    static func beforeMigration(serials: [String]) throws -> (TemporaryDatabase, DatabasePool) {
        let now = MigrationFixture.now
        return try MigrationFixture.database(before: version) { connection in
            for serial in serials {
                try connection.execute("INSERT INTO devices VALUES (?, 'imageRUNNER ADVANCE C3530i', 'iradv-c3xxx', 'cus_1', NULL, NULL, 1, ?, ?)",
                                       [serial, now, now])
                try connection.execute("INSERT INTO meter_readings VALUES (?, 1767225600000, 1, 0, 0, 0, 0, 0, 'dms', 0, 1767225600000)", [serial])
            }
            try connection.execute("INSERT INTO contracts VALUES ('con_1', 'cus_1', '2026-01-01', '2026-12-31', NULL, 0, 'NOK', 'basic', '[]', 0, NULL, 1, ?, ?)",
                                   [now, now])
            try connection.execute("INSERT INTO contract_devices VALUES ('con_1', ?)", [serials[0]])
        }
    }

    @Test func migrationBringsStoredSerialsToOneForm() throws {
        let (database, pool) = try Self.beforeMigration(serials: ["qx-1a", "QX-2"])
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Schema.migrations).migrate(pool).contains(Self.version))
        try pool.read { (connection) throws in
            #expect(try connection.fetchAll("SELECT serial FROM devices ORDER BY serial").map { try $0.get(0, as: String.self) } == ["QX-1A", "QX-2"])
            #expect(try connection.fetchAll("SELECT device_serial FROM meter_readings ORDER BY 1").map { try $0.get(0, as: String.self) } == ["QX-1A", "QX-2"])
            #expect(try connection.fetchScalar("SELECT device_serial FROM contract_devices", as: String.self) == "QX-1A")
            #expect(try connection.fetchAll("PRAGMA foreign_key_check").isEmpty)
        }
    }

    /// `bad0001` and `BAD0001` would become one device: the migration stops
    /// with both named and changes nothing.
    @Test func collidingSerialsStopTheMigrationNamingThem() throws {
        let (database, pool) = try Self.beforeMigration(serials: ["bad0001", "BAD0001", "ok-1"])
        defer { withExtendedLifetime(database) {} }
        let error = try #require(throws: (any Error).self) { try Migrator(migrations: Schema.migrations).migrate(pool) }
        let message = "\(error)"
        #expect(message.contains("BAD0001, bad0001"), "\(message)")
        #expect(message.contains("nothing was changed"))
        try pool.read { (connection) throws in
            #expect(try connection.userVersion() == Self.version - 1)
            #expect(try connection.fetchAll("SELECT serial FROM devices ORDER BY serial").map { try $0.get(0, as: String.self) } == ["BAD0001", "bad0001", "ok-1"])
        }
    }
}
