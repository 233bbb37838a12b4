import Testing
@testable import ServiceCore

@Suite struct LocalDateTests {
    @Test func parsesStrictlyAndValidates() {
        #expect(LocalDate("2024-02-29")?.description == "2024-02-29")
        for bad in ["2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-4-1", "26-04-01", "2026/04/01", "2026-04-01T00:00", "",
                    "2026-04-1x", "+026-04-01", "2026-04-01 ", " 2026-04-01", "2026-04-\u{0661}1", "2026-0٤-01", "２026-04-01",
                    // The bytes either side of the digits: '/' and ':'.
                    "2026-04-/1", "2026-04-0:", "/026-04-01", "20:6-04-01"] {
            #expect(LocalDate(bad) == nil, "\(bad)")
        }
        #expect(LocalDate("1900-02-29") == nil)
        #expect(LocalDate("2000-02-29") != nil)
    }

    @Test func dayArithmetic() {
        #expect(LocalDate("1970-01-01")!.dayNumber == 0)
        #expect(LocalDate("2026-03-01")!.adding(days: -1).description == "2026-02-28")
        #expect(LocalDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(LocalDate("2027-01-01")!.dayNumber - LocalDate("2026-01-01")!.dayNumber == 365)
        #expect(LocalDate("1969-12-31")!.dayNumber == -1)
        // From a day number to year, month and day, and back by the civil formula.
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            let date = LocalDate(dayNumber: n)
            #expect(LocalDate.dayNumber(year: date.year, month: date.month, day: date.day) == n)
            #expect((1...12).contains(date.month) && (1...LocalDate.daysIn(month: date.month, year: date.year)).contains(date.day))
        }
    }

    @Test func printsPaddedDates() {
        #expect(LocalDate(year: 1, month: 1, day: 1)!.description == "0001-01-01")
        #expect(LocalDate(year: 999, month: 12, day: 31)!.description == "0999-12-31")
        #expect(LocalDate(year: 9999, month: 9, day: 9)!.description == "9999-09-09")
        #expect(LocalDate(year: 2026, month: 11, day: 25)!.description == "2026-11-25")
        for n in stride(from: 0, through: 40_000, by: 37) {
            let date = LocalDate(dayNumber: n)
            #expect(LocalDate(date.description) == date, "\(date)")
        }
    }
}

@Suite struct ContractRulesTests {
    static func d(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func inclusivePeriodsOverlapOnASharedDay() {
        #expect(ContractRules.overlaps(Self.d("2026-01-01")...Self.d("2026-12-31"), Self.d("2026-12-31")...Self.d("2027-12-31")))
        #expect(!ContractRules.overlaps(Self.d("2026-01-01")...Self.d("2026-12-31"), Self.d("2027-01-01")...Self.d("2027-12-31")))
        #expect(ContractRules.overlaps(Self.d("2026-03-01")...Self.d("2026-03-01"), Self.d("2026-01-01")...Self.d("2026-12-31")))
        #expect(!ContractRules.overlaps(Self.d("2025-01-01")...Self.d("2025-12-31"), Self.d("2026-01-01")...Self.d("2026-01-01")))
    }

    @Test func tierInForceFollowsTheDatedHistory() {
        let contract = Contract(
            id: "c", customerID: "cu", dealerID: "d", deviceSerials: ["S"], startsOn: Self.d("2026-03-15"), endsOn: Self.d("2027-03-14"),
            terminatedOn: Self.d("2026-12-31"), prepaidAmountMinor: 0, prepaidCurrency: "NOK", implementationPackage: "basic", downgrades: [], options: [],
            bannerAgreed: false, bannerClickPriceMinor: nil,
            tierHistory: [
                .init(effectiveOn: Self.d("2026-03-15"), tier: .standard),
                .init(effectiveOn: Self.d("2026-07-01"), tier: .premium),
                .init(effectiveOn: Self.d("2026-10-01"), tier: .standard),
            ],
            version: 1, createdAt: "", updatedAt: ""
        )
        #expect(contract.tier(on: Self.d("2026-03-14")) == nil)
        #expect(contract.tier(on: Self.d("2026-03-15")) == .standard)
        #expect(contract.tier(on: Self.d("2026-06-30")) == .standard)
        #expect(contract.tier(on: Self.d("2026-07-01")) == .premium)
        #expect(contract.tier(on: Self.d("2026-09-30")) == .premium)
        #expect(contract.tier(on: Self.d("2026-10-01")) == .standard)
        #expect(contract.tier(on: Self.d("2026-12-31")) == .standard)
        #expect(contract.tier(on: Self.d("2027-01-01")) == nil)  // terminated
        #expect(contract.lastDay == Self.d("2026-12-31"))
    }
}
