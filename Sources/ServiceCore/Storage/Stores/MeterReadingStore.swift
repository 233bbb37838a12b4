public enum MeterReadingStore {
    private static let columns = "device_serial, read_at, bw_a4, bw_a3, colour_a4, colour_a3, banner_bw, banner_colour, source, counter_reset"

    /// Stored readings of a device from the last one at or before `from` to
    /// the first one at or after `to`: everything a check or a usage
    /// computation over [from, to] needs.
    public static func around(_ connection: Connection, serial: String, from: Int64, to: Int64) throws -> [MeterReading] {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM meter_readings WHERE device_serial = ?1 AND read_at >= COALESCE(
                (SELECT max(read_at) FROM meter_readings WHERE device_serial = ?1 AND read_at <= ?2), ?2)
              AND read_at <= COALESCE((SELECT min(read_at) FROM meter_readings WHERE device_serial = ?1 AND read_at >= ?3), ?3)
            ORDER BY read_at
            """,
            [serial, from, to]
        )
        return try rows.map(reading)
    }

    /// Inserts with one cached statement, binding integers directly: this is
    /// the ingestion hot path.
    public static func insert(_ connection: Connection, _ readings: [MeterReading], receivedAt: Int64) throws {
        let statement = try connection.cachedStatement(
            "INSERT INTO meter_readings (\(columns), received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        for reading in readings {
            try statement.bind(reading.deviceSerial, at: 1)
            try statement.bind(reading.readAt, at: 2)
            let c = reading.counters
            try statement.bind(Int64(c.bwA4), at: 3)
            try statement.bind(Int64(c.bwA3), at: 4)
            try statement.bind(Int64(c.colourA4), at: 5)
            try statement.bind(Int64(c.colourA3), at: 6)
            try statement.bind(Int64(c.bannerBW), at: 7)
            try statement.bind(Int64(c.bannerColour), at: 8)
            try statement.bind(reading.source.rawValue, at: 9)
            try statement.bind(reading.counterReset ? 1 : 0, at: 10)
            try statement.bind(receivedAt, at: 11)
            try statement.run()
        }
    }

    private static func reading(_ row: Row) throws -> MeterReading {
        MeterReading(
            deviceSerial: try row.get(0), readAt: try row.get(1),
            counters: MeterCounters(bwA4: try row.get(2), bwA3: try row.get(3), colourA4: try row.get(4), colourA3: try row.get(5),
                                    bannerBW: try row.get(6), bannerColour: try row.get(7)),
            source: MeterReading.Source(rawValue: try row.get(8)) ?? .manual, counterReset: try row.get(9)
        )
    }
}
