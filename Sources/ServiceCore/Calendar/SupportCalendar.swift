import Foundation

/// Support hours in the configured time zone: weekly opening hours, minus
/// public holidays and extra closed dates. All arithmetic goes through the
/// zone's rules (Foundation's Calendar), never a fixed offset, so the DST
/// weekends come out right. Instants are `Date`s (UTC); days are local.
public struct SupportCalendar: Sendable {
    public let timeZone: TimeZone
    /// ISO weekday (1 = Monday ... 7 = Sunday) to opening minutes after midnight.
    public let hours: [Int: ClosedRange<Int>]
    public let extraClosedDates: Set<LocalDate>
    private let calendar: Calendar

    public init(settings: CalendarSettings) {
        self.init(
            timeZone: TimeZone(identifier: settings.timeZone) ?? TimeZone(identifier: "UTC")!,
            hours: settings.hours,
            extraClosedDates: Set(settings.extraClosedDates)
        )
    }

    public init(timeZone: TimeZone, hours: [Int: ClosedRange<Int>], extraClosedDates: Set<LocalDate> = []) {
        precondition(!hours.isEmpty, "a support calendar must open on some weekday")
        self.timeZone = timeZone
        self.hours = hours
        self.extraClosedDates = extraClosedDates
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Closed days of a year with their names: public holidays and extra closed dates.
    public func closedDays(in year: Int) -> [NorwegianHolidays.Holiday] {
        var days = NorwegianHolidays.holidays(in: year)
        let named = Set(days.map(\.date))
        for date in extraClosedDates where date.year == year && !named.contains(date) {
            days.append(NorwegianHolidays.Holiday(date: date, name: "Closed", localName: "Stengt"))
        }
        return days.sorted { $0.date < $1.date }
    }

    public func isHoliday(_ date: LocalDate) -> Bool {
        extraClosedDates.contains(date) || NorwegianHolidays.isHoliday(date)
    }

    /// Opening and closing instants of a local date, nil when closed all day.
    public func window(on date: LocalDate) -> (open: Date, close: Date)? {
        guard let span = hours[isoWeekday(date)], !isHoliday(date) else { return nil }
        return (instant(date, minutes: span.lowerBound), instant(date, minutes: span.upperBound))
    }

    public func isBusinessDay(_ date: LocalDate) -> Bool { window(on: date) != nil }

    public func localDate(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Within opening hours: from opening (inclusive) to closing (exclusive).
    public func isOpen(_ instant: Date) -> Bool {
        guard let window = window(on: localDate(of: instant)) else { return false }
        return window.open <= instant && instant < window.close
    }

    /// The instant itself when open, else the next opening.
    public func nextOpening(atOrAfter instant: Date) -> Date {
        var date = localDate(of: instant)
        if let window = window(on: date), instant < window.close {
            return max(instant, window.open)
        }
        // Ten years without an opening would mean a broken configuration.
        for _ in 0..<3_660 {
            date = date.adding(days: 1)
            if let window = window(on: date) { return window.open }
        }
        preconditionFailure("no opening within ten years")
    }

    /// `minutes` of support time after `instant`; the clock only runs while open.
    public func adding(minutes: Int, to instant: Date) -> Date {
        precondition(minutes >= 0)
        var remaining = TimeInterval(minutes * 60)
        var cursor = nextOpening(atOrAfter: instant)
        while true {
            let close = window(on: localDate(of: cursor))!.close
            let available = close.timeIntervalSince(cursor)
            if remaining <= available { return cursor.addingTimeInterval(remaining) }
            remaining -= available
            cursor = nextOpening(atOrAfter: close)
        }
    }

    /// Whole support minutes between two instants (0 when `end` is not after `start`).
    public func supportMinutes(from start: Date, to end: Date) -> Int {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var date = localDate(of: start)
        let last = localDate(of: end)
        while date <= last {
            if let window = window(on: date) {
                let from = max(window.open, start)
                let to = min(window.close, end)
                if to > from { total += to.timeIntervalSince(from) }
            }
            date = date.adding(days: 1)
        }
        return Int(total / 60)
    }

    /// When the response clock starts and when the response is due.
    public func deadline(for response: ResponseTime, reportedAt: Date) -> (clockStartsAt: Date, responseDueAt: Date) {
        let start = nextOpening(atOrAfter: reportedAt)
        switch response {
        case .businessHours(let hours):
            return (start, adding(minutes: hours * 60, to: start))
        case .nextBusinessDay:
            // Closing time of the business day after the one the clock starts in.
            var date = localDate(of: start)
            repeat { date = date.adding(days: 1) } while !isBusinessDay(date)
            return (start, window(on: date)!.close)
        }
    }

    private func isoWeekday(_ date: LocalDate) -> Int {
        // 1970-01-01 was a Thursday (ISO 4).
        ((date.dayNumber % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// Local midnight at the start of `date`, as an instant.
    public func startOfDay(_ date: LocalDate) -> Date { instant(date, minutes: 0) }

    /// The same, in milliseconds since the epoch, as meter readings are stored.
    public func startOfDayMillis(_ date: LocalDate) -> Int64 { Int64((startOfDay(date).timeIntervalSince1970 * 1000).rounded()) }

    private func instant(_ date: LocalDate, minutes: Int) -> Date {
        var parts = DateComponents()
        parts.year = date.year
        parts.month = date.month
        parts.day = date.day
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        if minutes == 24 * 60 {
            parts.hour = 0
            parts.minute = 0
            let next = date.adding(days: 1)
            parts.year = next.year
            parts.month = next.month
            parts.day = next.day
        }
        return calendar.date(from: parts)!
    }
}
