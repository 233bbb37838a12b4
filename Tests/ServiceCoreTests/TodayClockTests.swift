import Foundation
import Testing
@testable import ServiceCore

/// The remembered day must end at the zone's midnight, on the short and the
/// long day too: Oslo is +01:00 in winter and +02:00 in summer; DST starts on
/// 2026-03-29 and ends on 2026-10-25.
@Suite struct TodayClockTests {
    static let calendar = SupportCalendar(timeZone: TimeZone(identifier: "Europe/Oslo")!, hours: [1: 480...960])

    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    /// (instant, the local date Oslo's wall calendar shows then)
    static let days: [(String, String)] = [
        ("2026-03-28T22:59:59Z", "2026-03-28"),  // 23:59:59 +01:00
        ("2026-03-28T23:00:00Z", "2026-03-29"),  // 00:00 +01:00; the day has 23 hours
        ("2026-03-29T21:59:59Z", "2026-03-29"),  // 23:59:59 +02:00
        ("2026-03-29T22:00:00Z", "2026-03-30"),  // 00:00 +02:00
        ("2026-10-24T21:59:59Z", "2026-10-24"),  // 23:59:59 +02:00
        ("2026-10-24T22:00:00Z", "2026-10-25"),  // 00:00 +02:00; the day has 25 hours
        ("2026-10-25T22:59:59Z", "2026-10-25"),  // 23:59:59 +01:00
        ("2026-10-25T23:00:00Z", "2026-10-26"),  // 00:00 +01:00
    ]

    @Test func aDayEndsAtTheZonesMidnightWhicheverWayTimeIsAsked() {
        let clock = TodayClock(calendar: Self.calendar)
        // Forwards, so each instant finds the previous one's day remembered; then backwards.
        for (instant, date) in Self.days + Self.days.reversed() {
            #expect(clock.date(at: Self.at(instant)).description == date, "\(instant)")
        }
    }

    @Test func aRememberedDayIsNotAnsweredForAnotherYear() {
        let clock = TodayClock(calendar: Self.calendar)
        #expect(clock.date(at: Self.at("2026-06-01T10:00:00Z")).description == "2026-06-01")
        #expect(clock.date(at: Self.at("2027-06-01T10:00:00Z")).description == "2027-06-01")
        #expect(clock.date(at: Self.at("2025-06-01T10:00:00Z")).description == "2025-06-01")
    }
}
