import Foundation
import Synchronization

/// Day starts are asked for again and again (every device shares the year's
/// days); the zone arithmetic behind them is worth doing once per year.
final class DayStartCache: Sendable {
    private let calendar: SupportCalendar
    private let years = Mutex<[Int: YearDayStarts]>([:])

    init(calendar: SupportCalendar) { self.calendar = calendar }

    func year(_ year: Int) -> YearDayStarts {
        if let hit = years.withLock({ $0[year] }) { return hit }
        let table = YearDayStarts(year: year, calendar: calendar)
        years.withLock { $0[year] = table }
        return table
    }
}

/// The start of every day from 1 January of a year through 1 January of the
/// next, in milliseconds since the epoch.
struct YearDayStarts: Sendable {
    private let firstDay: Int
    private let millis: [Int64]
    private let calendar: SupportCalendar

    init(year: Int, calendar: SupportCalendar) {
        self.calendar = calendar
        let first = LocalDate(year: year, month: 1, day: 1)!
        let last = LocalDate(year: year + 1, month: 1, day: 1)!
        firstDay = first.dayNumber
        millis = (first.dayNumber...last.dayNumber).map { Self.compute(LocalDate(dayNumber: $0), calendar) }
    }

    subscript(_ date: LocalDate) -> Int64 {
        let index = date.dayNumber - firstDay
        return millis.indices.contains(index) ? millis[index] : Self.compute(date, calendar)
    }

    private static func compute(_ date: LocalDate, _ calendar: SupportCalendar) -> Int64 {
        calendar.startOfDayMillis(date)
    }
}
