import Foundation
import Synchronization

/// Today's date in the calendar's zone, known by the instant alone until the
/// local day ends. Foundation's date components cost about 4 000
/// instructions, and every CPS read asks for today (points and levels are
/// computed as of a date).
public final class TodayClock: Sendable {
    private struct Day {
        let date: LocalDate
        let starts: Date
        let ends: Date
    }

    private let calendar: SupportCalendar
    private let current = Mutex<Day?>(nil)

    public init(calendar: SupportCalendar) {
        self.calendar = calendar
    }

    /// The local date of `instant`: the remembered day when it falls inside
    /// it, else worked out by the calendar and remembered.
    public func date(at instant: Date = Date()) -> LocalDate {
        if let day = current.withLock({ $0 }), day.starts <= instant, instant < day.ends { return day.date }
        let date = calendar.localDate(of: instant)
        let day = Day(date: date, starts: calendar.startOfDay(date), ends: calendar.startOfDay(date.adding(days: 1)))
        current.withLock { $0 = day }
        return date
    }
}
