import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// Prepaid invoicing by hand. Every contract here prepays 12 000.00 kr a
/// year (1 200 000 øre): a full year 1 200 000, a full quarter 300 000, a
/// full month 100 000; parts of a period in proportion to the days covered.
@Suite struct PrepaidRulesTests {
    static func d(_ text: String) -> LocalDate { LocalDate(text)! }

    static func terms(_ frequency: BillingFrequency, _ from: String = "2026-01-01", _ to: String = "2026-12-31",
                      terminated: String? = nil) -> PrepaidRules.Terms {
        PrepaidRules.Terms(contractID: "con-1", customerID: "cus", dealerID: "dlr", startsOn: d(from), endsOn: d(to),
                           terminatedOn: terminated.map(d), yearlyAmountMinor: 1_200_000, currency: "NOK", frequency: frequency)
    }

    @Test func periodsAreCalendarYearsQuartersAndMonths() {
        let year = CalendarPeriod("2026")!
        #expect((year.first, year.last, year.days) == (Self.d("2026-01-01"), Self.d("2026-12-31"), 365))
        let quarter = CalendarPeriod("2026-Q2")!
        #expect((quarter.first, quarter.last, quarter.days) == (Self.d("2026-04-01"), Self.d("2026-06-30"), 91))
        #expect(CalendarPeriod("2028-02")?.days == 29)
        for bad in ["2026-Q5", "2026-Q0", "2026-13", "2026-00", "26", "2026-1", "2026-+4", "2101", "1999", "2026-", "-2026", "2026-04-01", "２０２６"] {
            #expect(CalendarPeriod(bad) == nil, "\(bad)")
        }
        #expect(CalendarPeriod("2026-Q2")!.periods(.monthly).map(\.description) == ["2026-04", "2026-05", "2026-06"])
        #expect(CalendarPeriod("2026-05")!.periods(.quarterly).map(\.description) == ["2026-Q2"])
        #expect(CalendarPeriod("2026")!.periods(.quarterly).map(\.description) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(CalendarPeriod("2026-11")!.periods(.yearly).map(\.description) == ["2026"])
    }

    @Test func fullAndPartPeriods() {
        // A full year: 1 200 000.
        #expect(PrepaidRules.charge(Self.terms(.yearly), period: CalendarPeriod("2026")!)?.amountMinor == 1_200_000)
        // From 15 March: 17 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 292 days of 365 = 0.8 of the year: 960 000.
        let march = PrepaidRules.charge(Self.terms(.yearly, "2026-03-15"), period: CalendarPeriod("2026")!)
        #expect((march?.coveredDays, march?.amountMinor) == (292, 960_000))
        // A full quarter of 90 days: 300 000.
        #expect(PrepaidRules.charge(Self.terms(.quarterly), period: CalendarPeriod("2026-Q1")!)?.amountMinor == 300_000)
        // From 10 February: 19 + 31 = 50 days of Q1's 90: 1 200 000 x 50 / (4 x 90) = 166 666.67 -> 166 667.
        let q1 = PrepaidRules.charge(Self.terms(.quarterly, "2026-02-10"), period: CalendarPeriod("2026-Q1")!)
        #expect((q1?.coveredDays, q1?.amountMinor) == (50, 166_667))
        // Terminated 20 February: 20 of 28 days: 1 200 000 x 20 / (12 x 28) = 71 428.57 -> 71 429.
        let february = PrepaidRules.charge(Self.terms(.monthly, terminated: "2026-02-20"), period: CalendarPeriod("2026-02")!)
        #expect((february?.coveredDays, february?.scheduledDays, february?.amountMinor) == (20, 28, 71_429))
        // A contract that ended before the period owes nothing for it.
        #expect(PrepaidRules.charge(Self.terms(.monthly, "2025-01-01", "2025-12-31"), period: CalendarPeriod("2026-01")!) == nil)
    }

    static func field(_ line: PrepaidLine?, _ name: String) -> String? {
        guard case .object(let members)? = line?.explanation else { return nil }
        return members.first { $0.0 == name }?.1.encoded()
    }

    @Test func aRunInvoicesEachBillingPeriodOnceInAdvance() {
        // A run for Q2 invoices a monthly contract's April, May and June: 100 000 each.
        let first = PrepaidInvoicing.lines(for: CalendarPeriod("2026-Q2")!, terms: [Self.terms(.monthly)], billed: [:])
        #expect(first.map(\.billingPeriod) == ["2026-04", "2026-05", "2026-06"])
        #expect(first.allSatisfy { $0.kind == .prepaid && !$0.adjustment && $0.amountMinor == 100_000 })
        // The same run again, after those were stored: nothing.
        let billed = ["con-1": Dictionary(uniqueKeysWithValues: [("2026-04", 30), ("2026-05", 31), ("2026-06", 30)].map {
            ($0.0, PrepaidInvoicing.Billed(amountMinor: 100_000, coveredDays: $0.1))
        })]
        #expect(PrepaidInvoicing.lines(for: CalendarPeriod("2026-Q2")!, terms: [Self.terms(.monthly)], billed: billed).isEmpty)
    }

    @Test func terminationCreditsThePrepaidDaysAfterIt() {
        // 2026 invoiced in full in January; terminated 30 September. Covered 31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 = 273
        // days: 1 200 000 x 273 / 365 = 897 534.25 -> 897 534; credit 897 534 - 1 200 000 = -302 466 for 92 days.
        let billed = ["con-1": ["2026": PrepaidInvoicing.Billed(amountMinor: 1_200_000, coveredDays: 365)]]
        let lines = PrepaidInvoicing.lines(for: CalendarPeriod("2026-10")!, terms: [Self.terms(.yearly, terminated: "2026-09-30")], billed: billed)
        #expect(lines.count == 1)
        #expect((lines.first?.kind, lines.first?.adjustment, lines.first?.amountMinor, lines.first?.coveredDays) == (.prepaid_credit, true, -302_466, -92))
        #expect(Self.field(lines.first, "credited_days") == "92")
        #expect(Self.field(lines.first, "terminated_on") == "\"2026-09-30\"")
    }

    @Test func aLaterRunRevisitsAnEarlierPeriodATerminationCuts() {
        // October invoiced in full (100 000, 31 days); terminated 15 October; the run is for November.
        // November: nothing covered, never invoiced: no line. October: 15 of 31 days: 1 200 000 x 15 / (12 x 31) = 48 387.10
        // -> 48 387; credit 48 387 - 100 000 = -51 613.
        let billed = ["con-1": ["2026-10": PrepaidInvoicing.Billed(amountMinor: 100_000, coveredDays: 31)]]
        let lines = PrepaidInvoicing.lines(for: CalendarPeriod("2026-11")!, terms: [Self.terms(.monthly, terminated: "2026-10-15")], billed: billed)
        #expect(lines.count == 1)
        #expect((lines.first?.billingPeriod, lines.first?.kind, lines.first?.amountMinor) == ("2026-10", .prepaid_credit, -51_613))
    }
}
