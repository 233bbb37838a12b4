import Foundation
import Testing
@testable import ServiceCore

/// Deadlines worked out by hand on a wall calendar (Europe/Oslo, Mon-Fri
/// 08:00-16:00, Norwegian holidays), written with the local offset in force:
/// +01:00 in winter, +02:00 in summer. Weekdays: 2026-03-02 is a Monday,
/// Easter Sunday is 2026-04-05, 2027-03-28 and 2028-04-16; DST starts on
/// 2026-03-29 and 2027-03-28 and ends on 2026-10-25.
@Suite struct SupportCalendarTests {
    static let calendar = SupportCalendar(
        timeZone: TimeZone(identifier: "Europe/Oslo")!,
        hours: [1: 480...960, 2: 480...960, 3: 480...960, 4: 480...960, 5: 480...960]
    )

    struct Case: CustomTestStringConvertible, Sendable {
        let note: String
        let tier: ResponseTime
        let reported: String
        let clockStarts: String
        let due: String
        var testDescription: String { note }
    }

    static let nbd = ResponseTime.nextBusinessDay
    static let plus = ResponseTime.businessHours(6)
    static let premium = ResponseTime.businessHours(4)

    static let cases: [Case] = [
        // Ordinary weeks
        Case(note: "standard, Monday morning", tier: nbd, reported: "2026-03-02T10:00:00+01:00", clockStarts: "2026-03-02T10:00:00+01:00", due: "2026-03-03T16:00:00+01:00"),
        Case(note: "standard, Friday 15:00 -> Monday 16:00", tier: nbd, reported: "2026-03-06T15:00:00+01:00", clockStarts: "2026-03-06T15:00:00+01:00", due: "2026-03-09T16:00:00+01:00"),
        Case(note: "standard, Saturday -> Monday 08:00 -> Tuesday 16:00", tier: nbd, reported: "2026-03-07T11:00:00+01:00", clockStarts: "2026-03-09T08:00:00+01:00", due: "2026-03-10T16:00:00+01:00"),
        Case(note: "standard, before 08:00", tier: nbd, reported: "2026-03-02T07:59:00+01:00", clockStarts: "2026-03-02T08:00:00+01:00", due: "2026-03-03T16:00:00+01:00"),
        Case(note: "standard, exactly 16:00 is after hours", tier: nbd, reported: "2026-03-02T16:00:00+01:00", clockStarts: "2026-03-03T08:00:00+01:00", due: "2026-03-04T16:00:00+01:00"),
        Case(note: "standard, exactly 08:00", tier: nbd, reported: "2026-03-02T08:00:00+01:00", clockStarts: "2026-03-02T08:00:00+01:00", due: "2026-03-03T16:00:00+01:00"),
        Case(note: "plus, exactly 08:00", tier: plus, reported: "2026-03-02T08:00:00+01:00", clockStarts: "2026-03-02T08:00:00+01:00", due: "2026-03-02T14:00:00+01:00"),
        Case(note: "plus, ends exactly at closing", tier: plus, reported: "2026-03-02T10:00:00+01:00", clockStarts: "2026-03-02T10:00:00+01:00", due: "2026-03-02T16:00:00+01:00"),
        Case(note: "plus, overnight", tier: plus, reported: "2026-03-02T14:00:00+01:00", clockStarts: "2026-03-02T14:00:00+01:00", due: "2026-03-03T12:00:00+01:00"),
        Case(note: "plus, Friday afternoon", tier: plus, reported: "2026-03-06T15:30:00+01:00", clockStarts: "2026-03-06T15:30:00+01:00", due: "2026-03-09T13:30:00+01:00"),
        Case(note: "plus, Sunday evening", tier: plus, reported: "2026-03-08T20:00:00+01:00", clockStarts: "2026-03-09T08:00:00+01:00", due: "2026-03-09T14:00:00+01:00"),
        Case(note: "plus, early morning", tier: plus, reported: "2026-03-03T06:00:00+01:00", clockStarts: "2026-03-03T08:00:00+01:00", due: "2026-03-03T14:00:00+01:00"),
        Case(note: "premium, Monday 14:00 -> Tuesday 10:00", tier: premium, reported: "2026-03-02T14:00:00+01:00", clockStarts: "2026-03-02T14:00:00+01:00", due: "2026-03-03T10:00:00+01:00"),
        Case(note: "premium, exactly 16:00", tier: premium, reported: "2026-03-02T16:00:00+01:00", clockStarts: "2026-03-03T08:00:00+01:00", due: "2026-03-03T12:00:00+01:00"),
        Case(note: "premium, one minute before closing", tier: premium, reported: "2026-03-02T15:59:00+01:00", clockStarts: "2026-03-02T15:59:00+01:00", due: "2026-03-03T11:59:00+01:00"),
        Case(note: "premium, input in UTC", tier: premium, reported: "2026-03-02T07:30:00Z", clockStarts: "2026-03-02T08:30:00+01:00", due: "2026-03-02T12:30:00+01:00"),
        // Easter 2026: Maundy Thursday 2 April to Easter Monday 6 April
        Case(note: "plus, Wednesday before Easter 2026", tier: plus, reported: "2026-04-01T13:00:00+02:00", clockStarts: "2026-04-01T13:00:00+02:00", due: "2026-04-07T11:00:00+02:00"),
        Case(note: "standard, Wednesday before Easter 2026", tier: nbd, reported: "2026-04-01T10:00:00+02:00", clockStarts: "2026-04-01T10:00:00+02:00", due: "2026-04-07T16:00:00+02:00"),
        Case(note: "premium, Maundy Thursday 2026", tier: premium, reported: "2026-04-02T09:00:00+02:00", clockStarts: "2026-04-07T08:00:00+02:00", due: "2026-04-07T12:00:00+02:00"),
        Case(note: "standard, Good Friday 2026", tier: nbd, reported: "2026-04-03T12:00:00+02:00", clockStarts: "2026-04-07T08:00:00+02:00", due: "2026-04-08T16:00:00+02:00"),
        // Easter 2027 (25-29 March) across the spring DST change on Easter Sunday
        Case(note: "plus, Wednesday before Easter 2027, CET to CEST", tier: plus, reported: "2027-03-24T15:00:00+01:00", clockStarts: "2027-03-24T15:00:00+01:00", due: "2027-03-30T13:00:00+02:00"),
        Case(note: "standard, Wednesday before Easter 2027", tier: nbd, reported: "2027-03-24T12:00:00+01:00", clockStarts: "2027-03-24T12:00:00+01:00", due: "2027-03-30T16:00:00+02:00"),
        Case(note: "premium, Easter Monday 2027", tier: premium, reported: "2027-03-29T10:00:00+02:00", clockStarts: "2027-03-30T08:00:00+02:00", due: "2027-03-30T12:00:00+02:00"),
        // 17 May on a weekday (Wednesday in 2028), Ascension, Whit Monday
        Case(note: "standard, day before 17 May 2028", tier: nbd, reported: "2028-05-16T10:00:00+02:00", clockStarts: "2028-05-16T10:00:00+02:00", due: "2028-05-18T16:00:00+02:00"),
        Case(note: "plus, across 17 May 2028", tier: plus, reported: "2028-05-16T15:00:00+02:00", clockStarts: "2028-05-16T15:00:00+02:00", due: "2028-05-18T13:00:00+02:00"),
        Case(note: "plus, across Ascension 2026", tier: plus, reported: "2026-05-13T14:00:00+02:00", clockStarts: "2026-05-13T14:00:00+02:00", due: "2026-05-15T12:00:00+02:00"),
        Case(note: "standard, across Ascension 2026", tier: nbd, reported: "2026-05-13T09:00:00+02:00", clockStarts: "2026-05-13T09:00:00+02:00", due: "2026-05-15T16:00:00+02:00"),
        Case(note: "premium, across Whit Monday 2026", tier: premium, reported: "2026-05-22T14:00:00+02:00", clockStarts: "2026-05-22T14:00:00+02:00", due: "2026-05-26T10:00:00+02:00"),
        Case(note: "standard, across Whit Monday 2026", tier: nbd, reported: "2026-05-22T10:00:00+02:00", clockStarts: "2026-05-22T10:00:00+02:00", due: "2026-05-26T16:00:00+02:00"),
        Case(note: "premium, Whit Monday 2027 is also 17 May", tier: premium, reported: "2027-05-17T09:00:00+02:00", clockStarts: "2027-05-18T08:00:00+02:00", due: "2027-05-18T12:00:00+02:00"),
        // Christmas to New Year (24 and 31 December are working days)
        Case(note: "plus, Christmas Eve 2026", tier: plus, reported: "2026-12-24T12:00:00+01:00", clockStarts: "2026-12-24T12:00:00+01:00", due: "2026-12-28T10:00:00+01:00"),
        Case(note: "standard, New Year's Eve 2026", tier: nbd, reported: "2026-12-31T10:00:00+01:00", clockStarts: "2026-12-31T10:00:00+01:00", due: "2027-01-04T16:00:00+01:00"),
        Case(note: "premium, New Year's Eve afternoon", tier: premium, reported: "2026-12-31T14:00:00+01:00", clockStarts: "2026-12-31T14:00:00+01:00", due: "2027-01-04T10:00:00+01:00"),
        Case(note: "premium, Boxing Day", tier: premium, reported: "2026-12-26T09:00:00+01:00", clockStarts: "2026-12-28T08:00:00+01:00", due: "2026-12-28T12:00:00+01:00"),
        // DST weekends
        Case(note: "plus, Friday before spring DST 2026", tier: plus, reported: "2026-03-27T15:00:00+01:00", clockStarts: "2026-03-27T15:00:00+01:00", due: "2026-03-30T13:00:00+02:00"),
        Case(note: "reported inside the spring gap (01:30Z = 03:30 CEST)", tier: plus, reported: "2026-03-29T01:30:00Z", clockStarts: "2026-03-30T08:00:00+02:00", due: "2026-03-30T14:00:00+02:00"),
        Case(note: "premium, Friday before autumn DST 2026", tier: premium, reported: "2026-10-23T14:00:00+02:00", clockStarts: "2026-10-23T14:00:00+02:00", due: "2026-10-26T10:00:00+01:00"),
        Case(note: "standard, Saturday of autumn DST 2026", tier: nbd, reported: "2026-10-24T10:00:00+02:00", clockStarts: "2026-10-26T08:00:00+01:00", due: "2026-10-27T16:00:00+01:00"),
    ]

    @Test func atLeastThirtyHandWorkedCases() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases)
    func handWorkedDeadline(_ testCase: Case) throws {
        let reported = try #require(RFC3339.parse(testCase.reported))
        let (start, due) = Self.calendar.deadline(for: testCase.tier, reportedAt: reported)
        #expect(start == RFC3339.parse(testCase.clockStarts), "clock start \(RFC3339.format(start))")
        #expect(due == RFC3339.parse(testCase.due), "due \(RFC3339.format(due))")
    }

    @Test func easterByComputus() {
        let known = [2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16",
                     2029: "2029-04-01", 2030: "2030-04-21", 2038: "2038-04-25", 2285: "2285-03-22"]
        for (year, date) in known { #expect(NorwegianHolidays.easterSunday(year).description == date, "\(year)") }
    }

    @Test func twelveHolidaysOf2027() {
        let days = NorwegianHolidays.holidays(in: 2027).map { "\($0.date) \($0.localName)" }
        #expect(days == [
            "2027-01-01 Første nyttårsdag", "2027-03-25 Skjærtorsdag", "2027-03-26 Langfredag", "2027-03-28 Første påskedag",
            "2027-03-29 Andre påskedag", "2027-05-01 Arbeidernes dag", "2027-05-06 Kristi himmelfartsdag",
            "2027-05-16 Første pinsedag", "2027-05-17 Grunnlovsdag", "2027-05-17 Andre pinsedag",
            "2027-12-25 Første juledag", "2027-12-26 Andre juledag",
        ])
    }

    /// Easter 2026 is 5 April: Maundy Thursday 2 April, Ascension 14 May, Whit Monday 25 May.
    @Test(arguments: [
        ("2026-01-01", true), ("2026-01-02", false), ("2026-04-01", false), ("2026-04-02", true), ("2026-04-03", true),
        ("2026-04-06", true), ("2026-04-07", false), ("2026-05-13", false), ("2026-05-14", true), ("2026-05-17", true),
        ("2026-05-25", true), ("2026-05-26", false), ("2026-12-24", false), ("2026-12-26", true),
    ])
    func holidaysOf2026(_ date: String, _ holiday: Bool) throws {
        #expect(NorwegianHolidays.isHoliday(try #require(LocalDate(date))) == holiday)
    }

    /// `isHoliday` answers from the rules what `holidays(in:)` lists, on every day of seven years.
    @Test func isHolidayAgreesWithTheYearsList() {
        for year in 2024...2030 {
            let listed = Set(NorwegianHolidays.holidays(in: year).map(\.date))
            var date = LocalDate(year: year, month: 1, day: 1)!
            while date.year == year {
                #expect(NorwegianHolidays.isHoliday(date) == listed.contains(date), "\(date)")
                date = date.adding(days: 1)
            }
        }
    }

    @Test func extraClosedDatesCloseTheDay() throws {
        let closed = SupportCalendar(timeZone: Self.calendar.timeZone, hours: Self.calendar.hours, extraClosedDates: [LocalDate("2026-03-03")!])
        let reported = try #require(RFC3339.parse("2026-03-02T14:00:00+01:00"))
        #expect(closed.deadline(for: .businessHours(4), reportedAt: reported).responseDueAt == RFC3339.parse("2026-03-04T10:00:00+01:00"))
        #expect(closed.closedDays(in: 2026).contains { $0.date == LocalDate("2026-03-03")! })
    }

    @Test func supportMinutesBetween() throws {
        let from = try #require(RFC3339.parse("2026-03-06T15:00:00+01:00"))  // Friday
        let to = try #require(RFC3339.parse("2026-03-09T09:30:00+01:00"))  // Monday
        #expect(Self.calendar.supportMinutes(from: from, to: to) == 60 + 90)
        #expect(Self.calendar.supportMinutes(from: to, to: from) == 0)
        let easter = try #require(RFC3339.parse("2026-04-01T15:00:00+02:00"))
        let after = try #require(RFC3339.parse("2026-04-07T08:10:00+02:00"))
        #expect(Self.calendar.supportMinutes(from: easter, to: after) == 70)
    }

    /// The day-cached arithmetic of reports gives the calendar's own answers,
    /// worked by hand across both DST changes of 2026 (Europe/Oslo moves to
    /// +02:00 at 01:00Z on Sunday 29 March and back to +01:00 at 01:00Z on
    /// Sunday 25 October).
    @Test func supportDaysAgreeWithTheCalendarAcrossDST() throws {
        var days = SupportDays(Self.calendar)
        // 23:30Z on Saturday 28 March is 00:30 on Sunday 29 March (+01:00 still).
        #expect(days.localDate(of: try #require(RFC3339.parse("2026-03-28T23:30:00Z"))).description == "2026-03-29")
        #expect(days.localDate(of: try #require(RFC3339.parse("2026-03-28T22:59:59Z"))).description == "2026-03-28")
        // 22:30Z on Saturday 24 October is 00:30 on Sunday 25 October (+02:00 still).
        #expect(days.localDate(of: try #require(RFC3339.parse("2026-10-24T22:30:00Z"))).description == "2026-10-25")
        #expect(days.localDate(of: try #require(RFC3339.parse("2026-10-24T21:59:59Z"))).description == "2026-10-24")
        // Friday 27 March 15:00 (+01:00) to Monday 30 March 09:30 (+02:00): 60 minutes on Friday, 90 on Monday.
        let friday = try #require(RFC3339.parse("2026-03-27T15:00:00+01:00"))
        let monday = try #require(RFC3339.parse("2026-03-30T09:30:00+02:00"))
        #expect(days.supportMinutes(from: friday, to: monday) == 60 + 90)
        // Friday 23 October 15:30 (+02:00) to Monday 26 October 08:15 (+01:00): 30 + 15.
        let octoberFriday = try #require(RFC3339.parse("2026-10-23T15:30:00+02:00"))
        let octoberMonday = try #require(RFC3339.parse("2026-10-26T08:15:00+01:00"))
        #expect(days.supportMinutes(from: octoberFriday, to: octoberMonday) == 30 + 15)
        #expect(days.supportMinutes(from: octoberMonday, to: octoberFriday) == 0)
        // And on random spans of 2025-2028, what the calendar says.
        var random = SplitMix64(state: 20261202)
        let start = RFC3339.parse("2025-01-01T00:00:00Z")!.timeIntervalSince1970
        for _ in 0..<500 {
            let from = Date(timeIntervalSince1970: (Double.random(in: start..<(start + 4 * 365 * 86_400), using: &random) / 60).rounded(.down) * 60)
            let to = from.addingTimeInterval(Double(Int.random(in: 0...(10 * 24 * 60), using: &random) * 60))
            #expect(days.localDate(of: from) == Self.calendar.localDate(of: from), "\(RFC3339.format(from))")
            #expect(days.supportMinutes(from: from, to: to) == Self.calendar.supportMinutes(from: from, to: to), "\(RFC3339.format(from))")
        }
    }

    @Test func properties() {
        var random = SplitMix64(state: 20261125)
        let start = RFC3339.parse("2025-01-01T00:00:00Z")!.timeIntervalSince1970
        let end = RFC3339.parse("2029-01-01T00:00:00Z")!.timeIntervalSince1970
        let calendar = Self.calendar
        for _ in 0..<1_500 {
            let instant = Date(timeIntervalSince1970: (Double.random(in: start..<end, using: &random) / 60).rounded(.down) * 60)
            let a = Int.random(in: 0...3_000, using: &random)
            let b = Int.random(in: 0...3_000, using: &random)
            for response in [ResponseTime.nextBusinessDay, .businessHours(6), .businessHours(4)] {
                let (clock, due) = calendar.deadline(for: response, reportedAt: instant)
                #expect(clock >= instant && due >= clock)
                #expect(calendar.isOpen(clock))
                // Within opening hours, closing time included.
                #expect(calendar.isOpen(due) || calendar.window(on: calendar.localDate(of: due))?.close == due)
            }
            let viaTwo = calendar.adding(minutes: b, to: calendar.adding(minutes: a, to: instant))
            #expect(viaTwo == calendar.adding(minutes: a + b, to: instant), "\(RFC3339.format(instant)) + \(a) + \(b)")
            let opened = calendar.nextOpening(atOrAfter: instant)
            #expect(calendar.supportMinutes(from: opened, to: calendar.adding(minutes: a, to: instant)) == a)
        }
    }
}

@Suite struct RFC3339Tests {
    @Test func anyOffsetInUTCOut() {
        #expect(RFC3339.format(RFC3339.parse("2026-03-02T08:30:00+01:00")!) == "2026-03-02T07:30:00Z")
        #expect(RFC3339.format(RFC3339.parse("2026-03-01T21:00:00-05:30")!) == "2026-03-02T02:30:00Z")
        #expect(RFC3339.parse("2026-03-02T07:30:00.250Z")!.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0.25)
        for bad in ["2026-03-02 07:30:00Z", "2026-03-02T07:30Z", "2026-03-02T24:00:00Z", "2026-02-30T07:30:00Z",
                    "2026-03-02T07:30:00", "2026-03-02T07:30:00+0100", "2026-03-02T07:30:00.Z", "yesterday"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
