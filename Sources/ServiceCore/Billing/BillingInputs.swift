import Foundation

/// Gathers every device's billing inputs for a year in one pass: one ordered
/// scan per table (devices with contracts and tiers, readings, deliveries),
/// merged in device order, instead of several queries per device. A device
/// whose readings do not reach past both ends of the year within the scanned
/// window gets its readings by the exact per-device query instead.
///
/// The readings scan, by far the largest, runs on a thread and connection of
/// its own; both connections must read the same snapshot
/// (`DatabasePool.readSnapshotPair`).
struct BillingInputs {
    let connection: Connection
    let readingsConnection: Connection
    let catalogue: Catalogue
    let calendar: SupportCalendar
    let year: Int

    /// Readings are scanned from this long before the year to this long after it: enough to hold
    /// the reading before the year and the one after it of a device read at least monthly. A device
    /// read less often has its neighbours looked up on their own (`MeterReadingStore.around`).
    /// Wider costs every device the decoding of readings that are then dropped (400 days decoded
    /// 5 million of 12 million rows at factor 1 for a year whose bill needs 2.4 million).
    static let window: Int64 = 45 * 86_400_000
    /// Devices per hand-over between the threads.
    static let chunkSize = 256

    /// A cursor that can look at its next row without taking it.
    final class Peekable {
        private let cursor: RowCursor
        private var buffered: Row?
        private var exhausted = false

        init(_ cursor: RowCursor) { self.cursor = cursor }

        func peek() throws -> Row? {
            if buffered == nil && !exhausted {
                buffered = try cursor.nextRow()
                exhausted = buffered == nil
            }
            return buffered
        }

        /// Takes the rows whose first column equals `key`, handing rows with
        /// smaller keys to `skipped`. Bytes are compared, as SQLite's ORDER BY sorts them.
        func take(_ key: String, skipped: (Row) throws -> Void = { _ in }) throws -> [Row] {
            var rows: [Row] = []
            while let row = try peek() {
                let rowKey: String = try row.get(0)
                if rowKey.utf8.lexicographicallyPrecedes(key.utf8) {
                    buffered = nil
                    try skipped(row)
                    continue
                }
                guard rowKey.utf8.elementsEqual(key.utf8) else { break }
                rows.append(row)
                buffered = nil
            }
            return rows
        }

        /// Hands every row left to `each`.
        func drain(_ each: (Row) throws -> Void) throws {
            while let row = try peek() {
                buffered = nil
                try each(row)
            }
        }
    }

    /// The devices `forEachDevice` visits, counted by the same condition.
    static func deviceCount(_ connection: Connection, year: Int) throws -> Int {
        try connection.fetchScalar("""
            SELECT count(DISTINCT cd.device_serial) FROM contract_devices cd JOIN contracts c ON c.id = cd.contract_id
            WHERE c.starts_on <= ?2 AND COALESCE(c.terminated_on, c.ends_on) >= ?1
            """, ["\(year)-01-01", "\(year)-12-31"], as: Int.self)
    }

    func forEachDevice(_ body: (BillingCalculator.DeviceInput) throws -> Void) throws {
        let first = LocalDate(year: year, month: 1, day: 1)!, next = LocalDate(year: year + 1, month: 1, day: 1)!
        let yearStart = calendar.startOfDay(first), yearEnd = calendar.startOfDay(next)
        let startMillis = calendar.startOfDayMillis(first), endMillis = calendar.startOfDayMillis(next)

        // One row per device, contract and tier change, in device order. Only
        // by device: ordering by contract and date too would make SQLite sort
        // every device's rows; `contracts` puts them in order instead.
        let contracts = try connection.makeStatement("""
            SELECT cd.device_serial, d.family_id, d.customer_id, dcu.dealer_id, c.id, c.customer_id, cu.dealer_id,
                   c.starts_on, c.ends_on, c.terminated_on, c.banner_agreed, c.banner_click_price_minor, t.effective_on, t.tier
            FROM contract_devices cd JOIN contracts c ON c.id = cd.contract_id JOIN customers cu ON cu.id = c.customer_id
              JOIN contract_tiers t ON t.contract_id = c.id
              JOIN devices d ON d.serial = cd.device_serial JOIN customers dcu ON dcu.id = d.customer_id
            WHERE c.starts_on <= ?2 AND COALESCE(c.terminated_on, c.ends_on) >= ?1
            ORDER BY cd.device_serial
            """).cursor(["\(year)-01-01", "\(year)-12-31"])
        let window = [startMillis - Self.window, endMillis + Self.window]
        let scan = Pipeline<[DeviceReadings]>(capacity: 4) { [readingsConnection] send in
            let readings = ReadingScan(try readingsConnection.makeStatement("""
                SELECT \(MeterReadingStore.columns) FROM meter_readings WHERE read_at >= ? AND read_at <= ? ORDER BY device_serial, read_at
                """).cursor(window))
            var chunk: [DeviceReadings] = []
            chunk.reserveCapacity(Self.chunkSize)
            while let device = try readings.nextDevice() {
                // The neighbours beyond the window are looked up here, on the thread with time to spare (the one
                // computing lines is the slower): in a year no reading follows yet, every device looks one up.
                chunk.append(DeviceReadings(serial: device.serial, readings: try Self.yearReadings(
                    device.readings, serial: device.serial, connection: readingsConnection, from: startMillis, to: endMillis)))
                if chunk.count == Self.chunkSize {
                    try send(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try send(chunk) }
        }
        defer { scan.close() }
        let readings = ReadingsByDevice(scan)
        let deliveries = Peekable(try connection.makeStatement("""
            SELECT device_serial, channel, delivered_at, quantity_delivered FROM consumable_orders
            WHERE state = 'delivered' AND delivered_at >= ? AND delivered_at < ? ORDER BY device_serial
            """).cursor([RFC3339.format(yearStart), RFC3339.format(yearEnd)]))

        var more = try contracts.advance()
        // Neighbouring devices mostly share their customer and dealer.
        var customerID = "", dealerID = ""
        while more {
            let row = contracts.current
            let serial = row.text(at: 0)
            let familyID = row.text(at: 1)
            guard let family = catalogue.family(id: familyID) else {
                throw BillingRunner.Failure.unknownFamily(device: serial, family: familyID)
            }
            customerID = row.text(at: 2, reusing: customerID)
            dealerID = row.text(at: 3, reusing: dealerID)
            let deviceContracts: [Contract]
            (deviceContracts, more) = try Self.contracts(contracts, serial: serial, customerID: customerID, dealerID: dealerID)
            // A device without a reading in the window was not in the scan.
            let yearReadings = try readings.take(serial)
                ?? Self.yearReadings([], serial: serial, connection: connection, from: startMillis, to: endMillis)
            try body(BillingCalculator.DeviceInput(
                serial: serial, customerID: customerID, dealerID: dealerID, family: family,
                contracts: deviceContracts, readings: yearReadings,
                deliveries: try deliveries.take(serial).compactMap { try ConsumableOrderStore.delivery($0, from: 1, calendar: calendar) }
            ))
        }
    }

    /// What billing reads of a device's readings, from those scanned in the
    /// window: the year's, with the last at or before its start and the
    /// first at or after its end. A neighbour the window did not reach (a
    /// device read less often than monthly, or a year whose following
    /// readings have not arrived) is one seek on its own; nothing of it lies
    /// in the window.
    static func yearReadings(
        _ scanned: [MeterReading], serial: String, connection: Connection, from startMillis: Int64, to endMillis: Int64
    ) throws -> [MeterReading] {
        let before = scanned.lastIndex { $0.readAt <= startMillis }
        let after = scanned.firstIndex { $0.readAt >= endMillis }
        let kept = (before ?? 0)..<(after.map { $0 + 1 } ?? scanned.count)
        var readings = kept.count < scanned.count ? Array(scanned[kept]) : scanned
        if before == nil, let earlier = try MeterReadingStore.last(connection, serial: serial, atOrBefore: startMillis) {
            readings.insert(earlier, at: 0)
        }
        if after == nil, let later = try MeterReadingStore.first(connection, serial: serial, atOrAfter: endMillis) {
            readings.append(later)
        }
        return readings
    }

    /// The device's rows from the cursor's current one, one per contract and
    /// tier change in any order, into contracts (by id) with the fields
    /// billing reads and their tier history in date order. Leaves the cursor
    /// on the next device's first row; `more` is false at the end.
    /// A contract's customer and dealer are almost always the device's own.
    static func contracts(_ cursor: RowCursor, serial: String, customerID: String, dealerID: String) throws -> (contracts: [Contract], more: Bool) {
        struct Found {
            let id: String, customerID: String, dealerID: String
            let startsOn: LocalDate, endsOn: LocalDate, terminatedOn: LocalDate?
            let bannerAgreed: Bool, bannerPrice: Int?
            var history: [Contract.TierChange] = []
        }
        var found: [Found] = []
        var key = serial
        var more = true
        try key.withUTF8 { key in
            while more, cursor.current.compareText(at: 0, with: key) == 0 {
                let row = cursor.current
                let position: Int
                if let known = found.firstIndex(where: { row.textEquals(at: 4, $0.id) }) {
                    position = known
                } else {
                    found.append(Found(
                        id: row.text(at: 4), customerID: row.text(at: 5, reusing: customerID), dealerID: row.text(at: 6, reusing: dealerID),
                        startsOn: try row.requiredDate(7), endsOn: try row.requiredDate(8), terminatedOn: try row.date(9),
                        bannerAgreed: row.int64(at: 10) != 0, bannerPrice: Int.from(row.value(at: 11))
                    ))
                    position = found.count - 1
                }
                // Read strictly: a tier change skipped would bill the contract
                // at another tier's prices. The dates are read in place, no
                // string made of them (a run reads one row per contract and change).
                found[position].history.append(Contract.TierChange(effectiveOn: try row.requiredDate(12), tier: try row.choice(13, TierID.self)))
                more = try cursor.advance()
            }
        }
        if found.count > 1 { found.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) } }
        let contracts = found.map { contract in
            Contract(
                id: contract.id, customerID: contract.customerID, dealerID: contract.dealerID, deviceSerials: [serial],
                startsOn: contract.startsOn, endsOn: contract.endsOn, terminatedOn: contract.terminatedOn, prepaidAmountMinor: 0,
                prepaidCurrency: "", implementationPackage: "", downgrades: [], options: [], bannerAgreed: contract.bannerAgreed,
                bannerClickPriceMinor: contract.bannerPrice,
                tierHistory: contract.history.count < 2 ? contract.history : contract.history.sorted { $0.effectiveOn < $1.effectiveOn },
                version: 0, createdAt: "", updatedAt: ""
            )
        }
        return (contracts, more)
    }

    /// One device's readings in the scanned window, in time order.
    struct DeviceReadings: Sendable {
        let serial: String
        let readings: [MeterReading]
    }

    /// The readings scan, decoded straight from the statement, device by
    /// device. A device's serial is made a string once and shared by its
    /// readings; rows are matched to it by their bytes.
    final class ReadingScan {
        private let cursor: RowCursor
        /// The cursor stands on a row not yet taken.
        private var pending = false
        private var started = false

        init(_ cursor: RowCursor) { self.cursor = cursor }

        func nextDevice() throws -> DeviceReadings? {
            if !started {
                started = true
                pending = try cursor.advance()
            }
            guard pending else { return nil }
            let serial = cursor.current.text(at: 0)
            var out: [MeterReading] = []
            out.reserveCapacity(16)
            var key = serial
            try key.withUTF8 { key in
                repeat {
                    let row = cursor.current
                    guard row.compareText(at: 0, with: key) == 0 else { return }
                    out.append(MeterReadingStore.reading(row, serial: serial))
                    pending = try cursor.advance()
                } while pending
            }
            return DeviceReadings(serial: serial, readings: out)
        }
    }

    /// The scan's devices, taken in the contracts' device order; devices
    /// without a contract in the year are passed over.
    final class ReadingsByDevice {
        private let scan: Pipeline<[DeviceReadings]>
        private var chunk: [DeviceReadings] = []
        private var index = 0

        init(_ scan: Pipeline<[DeviceReadings]>) { self.scan = scan }

        /// The readings of `serial` (bytes compared, as SQLite orders them),
        /// nil when the scan has none.
        func take(_ serial: String) throws -> [MeterReading]? {
            while true {
                while index == chunk.count {
                    guard let next = try scan.next() else { return nil }
                    chunk = next
                    index = 0
                }
                let candidate = chunk[index].serial
                if candidate.utf8.lexicographicallyPrecedes(serial.utf8) {
                    index += 1
                    continue
                }
                guard candidate.utf8.elementsEqual(serial.utf8) else { return nil }
                index += 1
                return chunk[index - 1].readings
            }
        }
    }
}
