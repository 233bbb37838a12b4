import Foundation
import Synchronization

/// Gathers every device's billing inputs for a year in one pass: one ordered
/// scan per table (devices, contracts with tiers, readings, deliveries),
/// merged in device order, instead of several queries per device. A device
/// whose readings do not reach past both ends of the year within the scanned
/// window gets its readings by the exact per-device query instead.
struct BillingInputs {
    let connection: Connection
    let catalogue: Catalogue
    let calendar: SupportCalendar
    let year: Int

    /// Readings are scanned from this long before the year to this long after it.
    static let window: Int64 = 400 * 86_400_000

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

        /// Takes the rows whose first column equals `key`, skipping smaller keys.
        func take(_ key: String) throws -> [Row] {
            var rows: [Row] = []
            while let row = try peek() {
                let rowKey: String = try row.get(0)
                if rowKey < key { buffered = nil; continue }
                if rowKey > key { break }
                rows.append(row)
                buffered = nil
            }
            return rows
        }
    }

    func forEachDevice(_ body: (BillingCalculator.DeviceInput) throws -> Void) throws {
        let yearStart = calendar.startOfDay(LocalDate(year: year, month: 1, day: 1)!)
        let yearEnd = calendar.startOfDay(LocalDate(year: year + 1, month: 1, day: 1)!)
        let startMillis = Int64(yearStart.timeIntervalSince1970 * 1000)
        let endMillis = Int64(yearEnd.timeIntervalSince1970 * 1000)
        let first = "\(year)-01-01", last = "\(year)-12-31"
        let overlapping = "c.starts_on <= ?2 AND COALESCE(c.terminated_on, c.ends_on) >= ?1"

        let devices = try connection.makeStatement("""
            SELECT DISTINCT cd.device_serial, d.family_id, d.customer_id, cu.dealer_id
            FROM contract_devices cd JOIN contracts c ON c.id = cd.contract_id
              JOIN devices d ON d.serial = cd.device_serial JOIN customers cu ON cu.id = d.customer_id
            WHERE \(overlapping) ORDER BY cd.device_serial
            """).cursor([first, last])
        let contracts = Peekable(try connection.makeStatement("""
            SELECT cd.device_serial, c.id, c.customer_id, cu.dealer_id, c.starts_on, c.ends_on, c.terminated_on,
                   c.banner_agreed, c.banner_click_price_minor, t.effective_on, t.tier
            FROM contract_devices cd JOIN contracts c ON c.id = cd.contract_id JOIN customers cu ON cu.id = c.customer_id
              JOIN contract_tiers t ON t.contract_id = c.id
            WHERE \(overlapping) ORDER BY cd.device_serial, c.id, t.effective_on
            """).cursor([first, last]))
        let readings = ReadingScan(try connection.makeStatement("""
            SELECT device_serial, read_at, bw_a4, bw_a3, colour_a4, colour_a3, banner_bw, banner_colour, source, counter_reset
            FROM meter_readings WHERE read_at >= ? AND read_at <= ? ORDER BY device_serial, read_at
            """).cursor([startMillis - Self.window, endMillis + Self.window]))
        let deliveries = Peekable(try connection.makeStatement("""
            SELECT device_serial, channel, delivered_at, quantity_delivered FROM consumable_orders
            WHERE state = 'delivered' AND delivered_at >= ? AND delivered_at < ? ORDER BY device_serial
            """).cursor([RFC3339.format(yearStart), RFC3339.format(yearEnd)]))

        while let row = try devices.nextRow() {
            let serial: String = try row.get(0)
            let familyID: String = try row.get(1)
            guard let family = catalogue.family(id: familyID) else {
                throw BillingRunner.Failure.unknownFamily(device: serial, family: familyID)
            }
            var scanned = try readings.take(serial)
            // Exact neighbours when the window does not bracket the year.
            if scanned.first.map({ $0.readAt > startMillis }) ?? true || scanned.last.map({ $0.readAt < endMillis }) ?? true {
                scanned = try MeterReadingStore.around(connection, serial: serial, from: startMillis, to: endMillis)
            } else {
                // Only the last reading at or before the start and the first at or after the end matter beyond the year.
                let before = scanned.lastIndex { $0.readAt <= startMillis } ?? 0
                let after = scanned.firstIndex { $0.readAt >= endMillis } ?? scanned.count - 1
                scanned = Array(scanned[before...after])
            }
            try body(BillingCalculator.DeviceInput(
                serial: serial, customerID: try row.get(2), dealerID: try row.get(3), family: family,
                contracts: try Self.contracts(try contracts.take(serial), serial: serial),
                readings: scanned,
                deliveries: try deliveries.take(serial).compactMap { delivery in
                    guard let item = ConsumableOrder.Item(rawValue: try delivery.get(1)), let at = RFC3339.parse(try delivery.get(2)) else { return nil }
                    return BillingCalculator.Delivery(item: item, on: calendar.localDate(of: at), quantity: try delivery.get(3))
                }
            ))
        }
    }

    /// Rows of one device's contracts, one per tier change, into contracts
    /// with the fields billing reads.
    static func contracts(_ rows: [Row], serial: String) throws -> [Contract] {
        var out: [Contract] = []
        var index = 0
        while index < rows.count {
            let id: String = try rows[index].get(1)
            var history: [Contract.TierChange] = []
            var end = index
            while end < rows.count, try rows[end].get(1, as: String.self) == id {
                if let date = LocalDate(try rows[end].get(9)), let tier = TierID(rawValue: try rows[end].get(10)) {
                    history.append(Contract.TierChange(effectiveOn: date, tier: tier))
                }
                end += 1
            }
            let row = rows[index]
            guard let startsOn = LocalDate(try row.get(4)), let endsOn = LocalDate(try row.get(5)) else {
                throw RowDecodingError(column: "starts_on/ends_on", expected: "YYYY-MM-DD", found: row[4])
            }
            out.append(Contract(
                id: id, customerID: try row.get(2), dealerID: try row.get(3), deviceSerials: [serial], startsOn: startsOn, endsOn: endsOn,
                terminatedOn: try row.get(6, as: String?.self).flatMap(LocalDate.init), prepaidAmountMinor: 0, prepaidCurrency: "",
                implementationPackage: "", options: [], bannerAgreed: try row.get(7), bannerClickPriceMinor: try row.get(8),
                tierHistory: history, version: 0, createdAt: "", updatedAt: ""
            ))
            index = end
        }
        return out
    }

    /// The readings scan, decoded straight from the statement: it is the
    /// largest of the scans by far.
    final class ReadingScan {
        private let cursor: RowCursor
        private var buffered: MeterReading?
        private var exhausted = false

        init(_ cursor: RowCursor) { self.cursor = cursor }

        private func peek() throws -> MeterReading? {
            if buffered == nil && !exhausted {
                buffered = try cursor.nextDecoded { statement in
                    MeterReading(
                        deviceSerial: statement.text(at: 0), readAt: statement.int64(at: 1),
                        counters: MeterCounters(bwA4: Int(statement.int64(at: 2)), bwA3: Int(statement.int64(at: 3)),
                                                colourA4: Int(statement.int64(at: 4)), colourA3: Int(statement.int64(at: 5)),
                                                bannerBW: Int(statement.int64(at: 6)), bannerColour: Int(statement.int64(at: 7))),
                        source: MeterReading.Source(rawValue: statement.text(at: 8)) ?? .manual, counterReset: statement.int64(at: 9) != 0
                    )
                }
                exhausted = buffered == nil
            }
            return buffered
        }

        func take(_ serial: String) throws -> [MeterReading] {
            var out: [MeterReading] = []
            while let reading = try peek() {
                if reading.deviceSerial < serial { buffered = nil; continue }
                if reading.deviceSerial > serial { break }
                out.append(reading)
                buffered = nil
            }
            return out
        }
    }
}

/// Day starts are asked for again and again (every device shares the year's
/// boundaries); the zone arithmetic behind them is worth remembering.
final class DayStartCache: Sendable {
    private let calendar: SupportCalendar
    private let cache = Mutex<[LocalDate: Int64]>([:])

    init(calendar: SupportCalendar) { self.calendar = calendar }

    func millis(_ date: LocalDate) -> Int64 {
        if let hit = cache.withLock({ $0[date] }) { return hit }
        let value = Int64((calendar.startOfDay(date).timeIntervalSince1970 * 1000).rounded())
        cache.withLock { $0[date] = value }
        return value
    }
}
