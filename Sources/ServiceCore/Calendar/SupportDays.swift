import Foundation

/// Support-time arithmetic over many instants (a report's year of
/// requests): each local day's midnight and opening window are worked out
/// through the zone's rules once, then looked up. `SupportCalendar` asks
/// Foundation's Calendar for every instant (a local date, then the day's
/// holidays and two instants for its window), about 15 microseconds a
/// request; the all-dealers SLA report over a year of 200 000 requests spent
/// seconds there. Memory is bounded by the days the instants fall on.
public struct SupportDays: Sendable {
    public let calendar: SupportCalendar
    private struct Day: Sendable {
        /// Local midnight, as an instant.
        let start: Date
        let window: (open: Date, close: Date)?
    }
    private var days: [Int: Day] = [:]

    /// Days worked out through the calendar so far: one per local day met,
    /// however many instants fall on it.
    public var daysComputed: Int { days.count }

    public init(_ calendar: SupportCalendar) {
        self.calendar = calendar
    }

    private mutating func day(_ number: Int) -> Day {
        if let day = days[number] { return day }
        let date = LocalDate(dayNumber: number)
        let day = Day(start: calendar.startOfDay(date), window: calendar.window(on: date))
        days[number] = day
        return day
    }

    /// The local date of `instant`: the day whose midnight is at or before it
    /// and whose next midnight is after it. A zone's offset is within a day of
    /// UTC, so that day is the UTC date or one of its neighbours.
    public mutating func localDate(of instant: Date) -> LocalDate {
        let utcDay = Int((instant.timeIntervalSince1970 / 86_400).rounded(.down))
        for number in [utcDay, utcDay - 1, utcDay + 1] where day(number).start <= instant && instant < day(number + 1).start {
            return LocalDate(dayNumber: number)
        }
        // A zone whose midnights the rule above cannot order (none known): ask the calendar.
        return calendar.localDate(of: instant)
    }

    /// `SupportCalendar.supportMinutes`, each day's window looked up.
    public mutating func supportMinutes(from start: Date, to end: Date) -> Int {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        let last = localDate(of: end).dayNumber
        var number = localDate(of: start).dayNumber
        while number <= last {
            if let window = day(number).window {
                let from = max(window.open, start)
                let to = min(window.close, end)
                if to > from { total += to.timeIntervalSince(from) }
            }
            number += 1
        }
        return Int(total / 60)
    }
}
