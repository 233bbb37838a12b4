import Foundation

/// A device's usage month by month over a period, whether banner prints in
/// each month had no agreement, and its normal use against the rated monthly
/// duty: what `GET /v1/devices/{serial}/usage` shows.
public struct DeviceUsageReport: Sendable {
    public struct Month: Sendable {
        public let from: LocalDate
        public let to: LocalDate
        public let usage: Usage
        public let bannerNotAgreed: Bool
    }

    public let device: Device
    public let ratedMonthlyDuty: Int?
    public let months: [Month]
    public let normalUse: NormalUse?

    /// The report over `from...to` by calendar month; nil when the device is
    /// unknown or not the `scope` dealer's. The period's readings are read
    /// once and every month computed from them; the contracts are read as
    /// their terms, without their device lists.
    public static func read(
        _ connection: Connection, serial: String, scope: String?, from: LocalDate, to: LocalDate,
        catalogue: Catalogue, calendar: SupportCalendar
    ) throws -> DeviceUsageReport? {
        guard let device = try DeviceStore.find(connection, serial: serial, scope: scope) else { return nil }
        let dayStart = calendar.startOfDayMillis
        let rating = catalogue.family(id: device.familyID)?.ratedDuty(model: device.model)
        let readings = try MeterReadingStore.around(connection, serial: serial, from: dayStart(from), to: dayStart(to.adding(days: 1)))
        let contracts = try ContractStore.terms(connection, serial: serial)
        let months = calendarMonths(from: from, to: to).map { month in
            Month(
                from: month.from, to: month.to,
                usage: Usage.over(from: dayStart(month.from), to: dayStart(month.to.adding(days: 1)), readings: readings),
                bannerNotAgreed: BannerAgreement.notAgreed(readings: readings, contracts: contracts, from: month.from, through: month.to, dayStart: dayStart)
            )
        }
        // Normal use: the monthly average over the contract period up to `to`, against the rating.
        let normalUse = try rating.flatMap { rating in
            try NormalUse.assess(contracts: contracts, through: to, ratedDuty: rating, unlimited: { catalogue.tiers[$0]?.colourCapped == false }) { start, end in
                let first = dayStart(start), last = dayStart(end.adding(days: 1))
                return Usage.over(from: first, to: last, readings: try MeterReadingStore.around(connection, serial: serial, from: first, to: last))
            }
        }
        return DeviceUsageReport(device: device, ratedMonthlyDuty: rating?.duty, months: months, normalUse: normalUse)
    }

    /// Calendar months overlapping `from...to`, clipped to it.
    static func calendarMonths(from: LocalDate, to: LocalDate) -> [(from: LocalDate, to: LocalDate)] {
        var out: [(LocalDate, LocalDate)] = []
        var start = from
        while start <= to {
            let monthEnd = LocalDate(year: start.year, month: start.month, day: LocalDate.daysIn(month: start.month, year: start.year))!
            let end = min(monthEnd, to)
            out.append((start, end))
            start = monthEnd.adding(days: 1)
        }
        return out
    }
}
