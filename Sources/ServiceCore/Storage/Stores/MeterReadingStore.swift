public enum MeterReadingStore {
    static let columns = "device_serial, read_at, bw_a4, bw_a3, colour_a4, colour_a3, banner_bw, banner_colour, source, counter_reset"

    /// Stored readings of a device from the last one at or before `from` to
    /// the first one at or after `to`: everything a check or a usage
    /// computation over [from, to] needs.
    ///
    /// Every reading of a batch runs this, and in a table of millions each
    /// look-up is a descent of four levels, so it makes as few as it can. A
    /// device's new readings are nearly always later than all it has: its
    /// newest reading, one descent, is then everything around them. Otherwise
    /// the scan runs forward from the last reading at or before `from` and
    /// stops at the first one at or after `to`, rather than looking that one
    /// up first.
    public static func around(_ connection: Connection, serial: String, from: Int64, to: Int64) throws -> [MeterReading] {
        guard let newest = try last(connection, serial: serial, atOrBefore: .max) else { return [] }
        if newest.readAt < from { return [newest] }
        let cursor = try connection.cachedStatement(
            """
            SELECT \(columns) FROM meter_readings WHERE device_serial = ?1 AND read_at >= COALESCE(
                (SELECT max(read_at) FROM meter_readings WHERE device_serial = ?1 AND read_at <= ?2), ?2)
            ORDER BY read_at
            """
        ).cursor([serial, from])
        var readings: [MeterReading] = []
        while let reading = try cursor.nextDecoded({ Self.reading($0, serial: serial) }) {
            readings.append(reading)
            if reading.readAt >= to { break }
        }
        return readings
    }

    // Written once: a billing run looks neighbours up for hundreds of thousands of devices.
    private static let lastSQL = "SELECT \(columns) FROM meter_readings WHERE device_serial = ? AND read_at <= ? ORDER BY read_at DESC LIMIT 1"
    private static let firstSQL = "SELECT \(columns) FROM meter_readings WHERE device_serial = ? AND read_at >= ? ORDER BY read_at LIMIT 1"

    /// The device's last stored reading at or before `instant`, if any.
    public static func last(_ connection: Connection, serial: String, atOrBefore instant: Int64) throws -> MeterReading? {
        let cursor = try connection.cachedStatement(lastSQL).cursor([serial, instant])
        return try cursor.nextDecoded { Self.reading($0, serial: serial) }
    }

    /// The device's first stored reading at or after `instant`, if any.
    public static func first(_ connection: Connection, serial: String, atOrAfter instant: Int64) throws -> MeterReading? {
        let cursor = try connection.cachedStatement(firstSQL).cursor([serial, instant])
        return try cursor.nextDecoded { Self.reading($0, serial: serial) }
    }

    /// The stored reading of a device at an instant.
    public static func find(_ connection: Connection, serial: String, readAt: Int64) throws -> MeterReading? {
        let cursor = try connection.cachedStatement("SELECT \(columns) FROM meter_readings WHERE device_serial = ? AND read_at = ?")
            .cursor([serial, readAt])
        return try cursor.nextDecoded { Self.reading($0, serial: serial) }
    }

    /// When the reading of a device at an instant was last voided, if it was.
    static func voidedAt(_ connection: Connection, serial: String, readAt: Int64) throws -> String? {
        try connection.fetchOne(
            "SELECT voided_at FROM voided_meter_readings WHERE device_serial = ? AND read_at = ? ORDER BY id DESC LIMIT 1", [serial, readAt]
        )?.get(0)
    }

    /// Moves a reading out of `meter_readings` (so nothing computes with it)
    /// into `voided_meter_readings`, with the reason and who voided it.
    static func void(_ connection: Connection, _ reading: MeterReading, reason: String, keyID: String?, at now: String) throws {
        try connection.execute("""
            INSERT INTO voided_meter_readings (\(columns), received_at, voided_at, voided_by_key_id, reason)
            SELECT \(columns), received_at, ?3, ?4, ?5 FROM meter_readings WHERE device_serial = ?1 AND read_at = ?2
            """, [reading.deviceSerial, reading.readAt, now, keyID, reason])
        try connection.execute("DELETE FROM meter_readings WHERE device_serial = ? AND read_at = ?", [reading.deviceSerial, reading.readAt])
    }

    /// `around` for every device of a customer at once, in one statement
    /// (the usage report over a customer's 2 000 devices), keyed by serial;
    /// a device without readings there has no entry.
    public static func around(_ connection: Connection, customerID: String, from: Int64, to: Int64) throws -> [String: [MeterReading]] {
        let cursor = try connection.cachedStatement(
            """
            SELECT r.device_serial, r.read_at, r.bw_a4, r.bw_a3, r.colour_a4, r.colour_a3, r.banner_bw, r.banner_colour, r.source, r.counter_reset
            FROM devices d JOIN meter_readings r ON r.device_serial = d.serial
            WHERE d.customer_id = ?1 AND r.read_at >= COALESCE(
                (SELECT max(read_at) FROM meter_readings WHERE device_serial = d.serial AND read_at <= ?2), ?2)
              AND r.read_at <= COALESCE((SELECT min(read_at) FROM meter_readings WHERE device_serial = d.serial AND read_at >= ?3), ?3)
            ORDER BY d.serial, r.read_at
            """
        ).cursor([customerID, from, to])
        var readings: [String: [MeterReading]] = [:]
        var serial = ""
        while let reading = try cursor.nextDecoded({ row -> MeterReading in
            serial = row.text(at: 0, reusing: serial)
            return Self.reading(row, serial: serial)
        }) {
            readings[serial, default: []].append(reading)
        }
        return readings
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

    /// The reading on the statement's current row, in `columns` order,
    /// straight from the statement (scans decode hundreds of thousands).
    /// `serial` is the row's device, shared rather than copied per row.
    static func reading(_ row: Statement, serial: String) -> MeterReading {
        MeterReading(
            deviceSerial: serial, readAt: row.int64(at: 1),
            counters: MeterCounters(bwA4: Int(row.int64(at: 2)), bwA3: Int(row.int64(at: 3)),
                                    colourA4: Int(row.int64(at: 4)), colourA3: Int(row.int64(at: 5)),
                                    bannerBW: Int(row.int64(at: 6)), bannerColour: Int(row.int64(at: 7))),
            source: source(row), counterReset: row.int64(at: 9) != 0
        )
    }

    /// By length, without building a string per reading: the table's CHECK
    /// allows only these three values.
    private static func source(_ row: Statement) -> MeterReading.Source {
        switch row.byteCount(at: 8) {
        case 3: return .dms
        case 6: return .manual
        case 8: return .estimate
        default: return MeterReading.Source(rawValue: row.text(at: 8)) ?? .manual
        }
    }
}
