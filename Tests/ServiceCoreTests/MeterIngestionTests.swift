import Testing
@testable import ServiceCore

/// `MeterIngestion.ingest` on the `ListQueryCountTests` estate: every device
/// of dealer dlr_1 has readings at 1 000, 2 000 and 3 000 ms, device D00iA's
/// bw_a4 counter at 100 x i + 10 x k (D001A: 110, 120, 130; D002A: 210, 220, 230).
@Suite struct MeterIngestionTests {
    static func reading(_ serial: String, _ at: Int64, bw: Int) -> MeterReading {
        MeterReading(deviceSerial: serial, readAt: at, counters: MeterCounters(bwA4: bw, bwA3: 0, colourA4: 0, colourA3: 0, bannerBW: 0, bannerColour: 0),
                     source: .dms, counterReset: false)
    }

    static func batch(_ readings: MeterReading...) -> MeterReadingInput.Decoded {
        MeterReadingInput.Decoded(readings: readings.enumerated().map { ($0.offset, $0.element) }, isBatch: true)
    }

    static func stored(_ pool: DatabasePool, _ serial: String) throws -> [Int64] {
        try pool.read { try MeterReadingStore.around($0, serial: serial, from: 0, to: 100_000) }.map(\.readAt)
    }

    @Test func newReadingsAreStoredAndResendsCountedAsDuplicates() throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        let outcome = try pool.write { connection in
            try MeterIngestion.ingest(connection, Self.batch(Self.reading("D001A", 4_000, bw: 140), Self.reading("D001A", 2_000, bw: 120),
                                                            Self.reading("D002A", 4_000, bw: 240)), scope: "dlr_1", receivedAt: 5_000)
        }
        #expect(outcome == MeterIngestion.Outcome(received: 3, stored: 2))
        #expect(outcome.duplicates == 1)
        #expect(try Self.stored(pool, "D001A") == [1_000, 2_000, 3_000, 4_000])
        #expect(try Self.stored(pool, "D002A") == [1_000, 2_000, 3_000, 4_000])
    }

    /// All or nothing: D002A's good reading is not stored beside the bad ones.
    /// Looked at inside the same transaction, so that the operation itself,
    /// not the caller's rollback, is what keeps it out.
    @Test func aBatchWithAnyBadReadingStoresNone() throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        let input = Self.batch(Self.reading("D002A", 4_000, bw: 240), Self.reading("D001A", 2_500, bw: 100), Self.reading("NOPE1", 4_000, bw: 1))
        try pool.write { connection throws in
            #expect {
                try MeterIngestion.ingest(connection, input, scope: nil, receivedAt: 5_000)
            } throws: { error in
                // 100 at 2 500 is below the 120 stored at 2 000; devices are checked in serial order.
                guard case MeterIngestion.Refusal.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["readings[1].bw_a4", "readings[2].device_serial"]
            }
            let left = try MeterReadingStore.around(connection, serial: "D002A", from: 0, to: 100_000)
            #expect(left.map(\.readAt) == [1_000, 2_000, 3_000])
        }
    }

    @Test func aReadingAtAStoredInstantWithOtherFiguresConflicts() throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(throws: MeterIngestion.Refusal.conflicting([
            ValidationIssue(field: "readings[0].read_at", message: "a stored reading at the same instant has other figures"),
        ])) {
            try pool.write { try MeterIngestion.ingest($0, Self.batch(Self.reading("D001A", 2_000, bw: 125)), scope: nil, receivedAt: 5_000) }
        }
    }

    /// Another dealer's device is unknown to a dealer, as a device that does not exist is.
    @Test func aDealerCannotSendReadingsForAnotherDealersDevice() throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(throws: MeterIngestion.Refusal.invalid([ValidationIssue(field: "readings[0].device_serial", message: "unknown device D001A")])) {
            try pool.write { try MeterIngestion.ingest($0, Self.batch(Self.reading("D001A", 4_000, bw: 140)), scope: "dlr_2", receivedAt: 5_000) }
        }
        #expect(try Self.stored(pool, "D001A") == [1_000, 2_000, 3_000])
    }
}
