import Testing
@testable import ServiceCore

/// `MeterReadingStore.around`: a device's stored readings from the last one at
/// or before `from` to the first one at or after `to`, which is what a batch
/// checks its readings against and a usage period is computed over. The
/// device D001B has readings at 1 000, 2 000, 3 000 and 4 000; its neighbours
/// in key order (D001A before, D002A after) have readings of their own, which
/// must never show up.
@Suite struct MeterReadingNeighboursTests {
    static func fixture() throws -> (TemporaryDatabase, DatabasePool) {
        let (database, pool) = try ListQueryCountTests.fixture()
        func reading(_ serial: String, _ at: Int64) -> MeterReading {
            let count = Int(at)
            return MeterReading(deviceSerial: serial, readAt: at,
                                counters: MeterCounters(bwA4: count, bwA3: 0, colourA4: count, colourA3: 0, bannerBW: 0, bannerColour: 0),
                                source: .dms, counterReset: false)
        }
        try pool.write { connection in
            try connection.execute("DELETE FROM meter_readings WHERE device_serial IN ('D001A', 'D001B', 'D002A', 'D003A')")
            try MeterReadingStore.insert(connection, [500, 4_500, 9_000].map { reading("D001A", $0) }, receivedAt: 1)
            try MeterReadingStore.insert(connection, [1_000, 2_000, 3_000, 4_000].map { reading("D001B", $0) }, receivedAt: 1)
            try MeterReadingStore.insert(connection, [100, 5_000].map { reading("D002A", $0) }, receivedAt: 1)
        }
        return (database, pool)
    }

    @Test(arguments: [
        (Int64(1_500), Int64(2_500), [Int64(1_000), 2_000, 3_000]),  // the neighbours on both sides
        (2_000, 2_000, [2_000]),                                     // a reading at the instant itself
        (2_000, 3_000, [2_000, 3_000]),                              // readings at both ends
        (1_000, 4_000, [1_000, 2_000, 3_000, 4_000]),
        (500, 700, [1_000]),                                         // nothing before: from the first on
        (4_500, 5_000, [4_000]),                                     // after every reading: the newest alone
        (4_000, 4_500, [4_000]),                                     // from the newest on
        (0, 10_000, [1_000, 2_000, 3_000, 4_000]),                   // all, none of the next device's
        (3_500, 3_500, [3_000, 4_000]),
    ])
    func aDevicesReadingsAroundAnInterval(_ from: Int64, _ to: Int64, _ expected: [Int64]) throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        let readings = try pool.read { try MeterReadingStore.around($0, serial: "D001B", from: from, to: to) }
        #expect(readings.map(\.readAt) == expected)
        #expect(readings.allSatisfy { $0.deviceSerial == "D001B" })
    }

    @Test func aDeviceWithoutReadingsHasNone() throws {
        let (database, pool) = try Self.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(try pool.read { try MeterReadingStore.around($0, serial: "D003A", from: 0, to: 10_000) }.isEmpty)
    }
}
