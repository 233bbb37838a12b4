import Foundation

/// A service centre country's working days: Monday to Friday, less its closed
/// dates (Norway's public holidays computed as for the support calendar, other
/// countries' listed in the catalogue). Turnaround is counted in these days,
/// shipping excluded.
public struct WorkingDays: Sendable {
    public let country: String
    public let timeZone: TimeZone
    public let closedDates: Set<LocalDate>
    /// Work received at or after this time of day (minutes after midnight) starts the next working day.
    public let closingMinutes: Int
    private let calendar: Calendar

    public init(country: String, timeZone: TimeZone, closedDates: Set<LocalDate>, closingMinutes: Int) {
        self.country = country
        self.timeZone = timeZone
        self.closedDates = closedDates
        self.closingMinutes = closingMinutes
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        let weekday = ((date.dayNumber % 7 + 7) % 7 + 3) % 7 + 1 // ISO: 1970-01-01 was a Thursday
        guard weekday <= 5, !closedDates.contains(date) else { return false }
        if country == "NO" { return !NorwegianHolidays.isHoliday(date) }
        return true
    }

    /// The first working day at or after `date`.
    public func nextWorkingDay(from date: LocalDate) -> LocalDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The local date of an instant in the centre's zone.
    public func localDay(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The instant `day` begins in the centre's zone (its local midnight, DST included).
    public func start(of day: LocalDate) -> Date {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
    }

    /// The working day work received at `instant` starts on: that local day if it is a
    /// working day and the instant is before closing time, else the next working day.
    public func startDay(receivedAt instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let day = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
        let minutes = parts.hour! * 60 + parts.minute!
        if isWorkingDay(day) && minutes < closingMinutes { return day }
        return nextWorkingDay(from: day.adding(days: 1))
    }

    /// The working day `count` working days after `start` (a start day itself is day 0).
    public func adding(workingDays count: Int, to start: LocalDate) -> LocalDate {
        var day = start
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(from start: LocalDate, to end: LocalDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start
        while day < end {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }
}
