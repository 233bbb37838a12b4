import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// Hand-worked billing scenarios on the shipped catalogue's IR ADV C3xxx
/// family: colour cap 5 000 pages a month, colour click 59 øre, banner list
/// price 250 øre, black cartridge 33 000 pages for 1 400.00 kr, colour
/// cartridges 19 000 pages for 1 700.00 kr; hourly rate 950.00 kr.
@Suite struct BillingCalculatorTests {
    static let catalogue = try! CatalogueLoader.load(path: CatalogueTests.path)
    static let calendar = SupportCalendarTests.calendar
    static let calculator = BillingCalculator(catalogue: catalogue, calendar: calendar)
    static let family = catalogue.family(id: "iradv-c3xxx")!

    static func d(_ text: String) -> LocalDate { LocalDate(text)! }

    static func contract(_ id: String = "con-1", _ from: String = "2026-01-01", _ to: String = "2026-12-31", tiers: [(String, TierID)] = [],
                         terminated: String? = nil, banner: Int? = nil, serial: String = "DEV") -> Contract {
        Contract(id: id, customerID: "cus", dealerID: "dlr", deviceSerials: [serial], startsOn: d(from), endsOn: d(to),
                 terminatedOn: terminated.map(d), prepaidAmountMinor: 0, prepaidCurrency: "NOK", implementationPackage: "basic", downgrades: [], options: [],
                 bannerAgreed: banner != nil, bannerClickPriceMinor: banner,
                 tierHistory: (tiers.isEmpty ? [(from, TierID.standard)] : tiers).map { Contract.TierChange(effectiveOn: d($0.0), tier: $0.1) },
                 version: 1, createdAt: "", updatedAt: "")
    }

    /// A reading at local midnight starting `date`.
    static func reading(_ date: String, bw: Int = 0, colour: Int = 0, colourA3: Int = 0, bannerBW: Int = 0, bannerColour: Int = 0,
                        reset: Bool = false, serial: String = "DEV") -> MeterReading {
        MeterReading(deviceSerial: serial, readAt: Int64(calendar.startOfDay(d(date)).timeIntervalSince1970 * 1000),
                     counters: MeterCounters(bwA4: bw, bwA3: 0, colourA4: colour, colourA3: colourA3, bannerBW: bannerBW, bannerColour: bannerColour),
                     source: .dms, counterReset: reset)
    }

    static func lines(_ contracts: [Contract], _ readings: [MeterReading], deliveries: [BillingCalculator.Delivery] = [], serial: String = "DEV") -> [BillingLine] {
        calculator.lines(year: 2026, device: .init(serial: serial, customerID: "cus", dealerID: "dlr", family: family,
                                                  contracts: contracts, readings: readings, deliveries: deliveries))
    }

    static func line(_ lines: [BillingLine], _ kind: BillingLine.Kind, _ channel: String? = nil) -> BillingLine? {
        lines.first { $0.kind == kind && $0.channel == channel }
    }

    static func explanation(_ line: BillingLine?, _ key: String) -> JSONValue? { line?.explanation[key] }

    // 1. Allowance 12 x 5 000 = 60 000; used 50 000: nothing to bill.
    @Test func fullYearUnderTheCap() throws {
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2027-01-01", colour: 50_000)])
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(overage.quantity == 0 && overage.amountMinor == 0)
        #expect(Self.explanation(overage, "allowance_pages")?.encoded() == "60000")
        #expect(Self.explanation(overage, "used_a4_equivalents")?.encoded() == "50000")
        #expect(Self.explanation(overage, "estimated")?.encoded() == "false")
    }

    // 2. Used 61 000 A4 + 2 x 1 000 A3 = 63 000; over by 3 000 x 59 = 177 000 øre.
    @Test func fullYearOverTheCap() throws {
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2027-01-01", colour: 61_000, colourA3: 1_000)])
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(overage.quantity == 3_000)
        #expect(overage.unitPriceMinor == 59)
        #expect(overage.amountMinor == 177_000)
        #expect(overage.currency == "NOK")
    }

    // 3. From 15 March: 5 000 x 17/31 = 2 741.935... + 9 x 5 000 = 47 741.935 -> 47 742.
    //    Used 60 000 - 10 000 = 50 000; over 2 258 x 59 = 133 222.
    @Test func contractStartingFifteenthOfMarch() throws {
        let lines = Self.lines([Self.contract("con-1", "2026-03-15", "2027-03-14")],
                               [Self.reading("2026-03-15", colour: 10_000), Self.reading("2027-01-01", colour: 60_000)])
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(Self.explanation(overage, "allowance_pages")?.encoded() == "47742")
        #expect(overage.quantity == 2_258)
        #expect(overage.amountMinor == 133_222)
    }

    // 4. Standard, premium from 1 July, standard again from 1 October: capped
    //    months Jan-Jun and Oct-Dec, allowance 45 000; 6 000 colour a month,
    //    so capped use 9 x 6 000 = 54 000; over 9 000 x 59 = 531 000.
    @Test func tierChangeToPremiumAndBack() throws {
        let contract = Self.contract(tiers: [("2026-01-01", .standard), ("2026-07-01", .premium), ("2026-10-01", .standard)])
        let readings = (0...12).map { month -> MeterReading in
            let date = month == 12 ? "2027-01-01" : String(format: "2026-%02d-01", month + 1)
            return Self.reading(date, colour: month * 6_000)
        }
        let lines = Self.lines([contract], readings)
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(Self.explanation(overage, "allowance_pages")?.encoded() == "45000")
        #expect(Self.explanation(overage, "used_a4_equivalents")?.encoded() == "54000")
        #expect(overage.amountMinor == 531_000)
        #expect(Self.line(lines, .toner_excess, "black") != nil)
    }

    // 5. A3-heavy: 20 000 A4 + 2 x 25 000 A3 = 70 000; over 10 000 x 59 = 590 000.
    @Test func a3HeavyDevice() throws {
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2027-01-01", colour: 20_000, colourA3: 25_000)])
        #expect(Self.line(lines, .colour_overage)?.amountMinor == 590_000)
    }

    // 6. Agreed banner price 1.99: (100 + 50) x 199 = 29 850; banner colour
    //    also counts 2 x 50 = 100 colour A4-equivalents.
    @Test func bannersWithAnAgreement() throws {
        let lines = Self.lines([Self.contract(banner: 199)],
                               [Self.reading("2026-01-01"), Self.reading("2027-01-01", colour: 1_000, bannerBW: 100, bannerColour: 50)])
        let banner = try #require(Self.line(lines, .banner_clicks))
        #expect(banner.quantity == 150)
        #expect(banner.unitPriceMinor == 199)
        #expect(banner.amountMinor == 29_850)
        #expect(Self.explanation(banner, "banner_agreed")?.encoded() == "true")
        #expect(Self.explanation(banner, "banner_not_agreed")?.encoded() == "false")
        #expect(Self.explanation(Self.line(lines, .colour_overage), "used_a4_equivalents")?.encoded() == "1100")
    }

    // 7. No agreement: still billed, at the family list price 2.50, 150 x 250 = 37 500, flagged banner_not_agreed.
    @Test func bannersWithoutAnAgreement() throws {
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2027-01-01", bannerBW: 100, bannerColour: 50)])
        let banner = try #require(Self.line(lines, .banner_clicks))
        #expect(banner.amountMinor == 37_500)
        #expect(Self.explanation(banner, "banner_agreed")?.encoded() == "false")
        #expect(Self.explanation(banner, "banner_not_agreed")?.encoded() == "true")
        #expect(Self.explanation(banner, "price_source")?.encoded() == "\"family list price\"")
    }

    // 7b. Flagged by the day the clicks were printed, as in the usage report:
    //     agreed contract Jan-Jun (no banners), a second one without agreement
    //     Jul-Dec with 40 banner clicks in August: flagged although the device
    //     had an agreement that year. Reversed (the agreed contract is the
    //     one printing), not flagged. No banner clicks at all: nothing to flag.
    @Test func bannerFlagFollowsTheDaysPrinted() throws {
        let readings = [Self.reading("2026-01-01"), Self.reading("2026-08-01"), Self.reading("2026-09-01", bannerBW: 40),
                        Self.reading("2027-01-01", bannerBW: 40)]
        let agreedFirst = Self.lines([Self.contract("con-1", "2026-01-01", "2026-06-30", banner: 199), Self.contract("con-2", "2026-07-01", "2026-12-31")], readings)
        #expect(Self.explanation(Self.line(agreedFirst, .banner_clicks), "banner_not_agreed")?.encoded() == "true")
        let agreedLast = Self.lines([Self.contract("con-1", "2026-01-01", "2026-06-30"), Self.contract("con-2", "2026-07-01", "2026-12-31", banner: 199)], readings)
        #expect(Self.explanation(Self.line(agreedLast, .banner_clicks), "banner_not_agreed")?.encoded() == "false")
        let none = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2027-01-01", colour: 1_000)])
        #expect(Self.explanation(Self.line(none, .banner_clicks), "banner_not_agreed")?.encoded() == "false")
    }

    // 8. Black: 300 000 + 38 000 = 338 000 pages, included 338 000 / 33 000 =
    //    10.24; delivered 12: excess 1.76, floor 1 x 1 400.00 = 140 000.
    //    Cyan: 38 000 / 19 000 = 2 included, 2 delivered: 0. Magenta 1: 0.
    @Test func tonerExcessOnOneChannel() throws {
        let deliveries = [BillingCalculator.Delivery(item: .black, on: Self.d("2026-03-01"), quantity: 7),
                          BillingCalculator.Delivery(item: .black, on: Self.d("2026-09-01"), quantity: 5),
                          BillingCalculator.Delivery(item: .cyan, on: Self.d("2026-06-01"), quantity: 2),
                          BillingCalculator.Delivery(item: .magenta, on: Self.d("2026-06-01"), quantity: 1),
                          BillingCalculator.Delivery(item: .black, on: Self.d("2027-01-05"), quantity: 9)]  // next year
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2027-01-01", bw: 300_000, colour: 38_000)], deliveries: deliveries)
        let black = try #require(Self.line(lines, .toner_excess, "black"))
        #expect(black.quantity == 1)
        #expect(black.amountMinor == 140_000)
        #expect(Self.explanation(black, "delivered_cartridges")?.encoded() == "12")
        #expect(Self.explanation(black, "pages_a4_equivalents")?.encoded() == "338000")
        #expect(Self.line(lines, .toner_excess, "cyan")?.quantity == 0)
        #expect(Self.line(lines, .toner_excess, "magenta")?.quantity == 0)
        #expect(Self.line(lines, .toner_excess, "yellow")?.amountMinor == 0)
    }

    // 9. Premium all year: no allowance, no colour or toner lines; banners still.
    @Test func premiumBillsNoColourOrToner() {
        let lines = Self.lines([Self.contract(tiers: [("2026-01-01", .premium)])], [Self.reading("2026-01-01"), Self.reading("2027-01-01", colour: 500_000)])
        #expect(lines.map(\.kind) == [.banner_clicks])
    }

    // 10. Reset on 15 June (board replaced): 30 000 before 1 June, the gap to
    //     the reset unknown, 40 000 on the new meter: 70 000, estimated;
    //     over 10 000 x 59 = 590 000.
    @Test func counterResetMidYear() throws {
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2026-06-01", colour: 30_000),
                                                  Self.reading("2026-06-15", colour: 0, reset: true), Self.reading("2027-01-01", colour: 40_000)])
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(overage.amountMinor == 590_000)
        #expect(Self.explanation(overage, "estimated")?.encoded() == "true")
    }

    // 11. Terminated effective 30 June: allowance 6 x 5 000 = 30 000; use up
    //     to 1 July 36 000 (what follows is not covered); over 6 000 x 59 = 354 000.
    @Test func contractTerminatedEarly() throws {
        let lines = Self.lines([Self.contract(terminated: "2026-06-30")],
                               [Self.reading("2026-01-01"), Self.reading("2026-07-01", colour: 36_000), Self.reading("2027-01-01", colour: 70_000)])
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(Self.explanation(overage, "allowance_pages")?.encoded() == "30000")
        #expect(overage.amountMinor == 354_000)
    }

    // 12. Swap: device A under contract 1 to 30 June, device B under
    //     contract 2 from 1 July; each has 30 000 of allowance. A used 25 000:
    //     0. B used 35 000: 5 000 x 59 = 295 000.
    @Test func deviceSwappedForAnother() throws {
        let first = Self.contract("con-1", "2026-01-01", "2026-06-30", serial: "A")
        let second = Self.contract("con-2", "2026-07-01", "2027-06-30", serial: "B")
        let a = Self.lines([first], [Self.reading("2026-01-01", serial: "A"), Self.reading("2026-07-01", colour: 25_000, serial: "A")], serial: "A")
        let b = Self.lines([second], [Self.reading("2026-07-01", serial: "B"), Self.reading("2027-01-01", colour: 35_000, serial: "B")], serial: "B")
        #expect(Self.line(a, .colour_overage)?.amountMinor == 0)
        #expect(Self.line(b, .colour_overage)?.amountMinor == 295_000)
        #expect(Self.explanation(Self.line(b, .colour_overage), "allowance_pages")?.encoded() == "30000")
    }

    // 13. No reading after the year ends: figures from what was read, estimated.
    @Test func missingYearEndReadingIsEstimated() throws {
        let lines = Self.lines([Self.contract()], [Self.reading("2026-01-01"), Self.reading("2026-12-01", colour: 64_000)])
        let overage = try #require(Self.line(lines, .colour_overage))
        #expect(overage.quantity == 4_000)
        #expect(Self.explanation(overage, "estimated")?.encoded() == "true")
    }

    // 14. Leap year 2028 from 15 February: 5 000 x 15/29 = 2 586.2 + 10 x 5 000 -> 52 586.
    //     Half up: cap 3 for 15 days of a 30-day month is 1.5 -> 2.
    @Test func allowanceRounding() {
        let leap = BillingCalculator.segments(year: 2028, contracts: [Self.contract("c", "2028-02-15", "2029-02-14")])
        #expect(BillingCalculator.allowance(cap: 5_000, segments: leap) == 52_586)
        let half = [BillingCalculator.Segment(contractID: "c", from: Self.d("2026-06-01"), through: Self.d("2026-06-15"), tier: .standard)]
        #expect(BillingCalculator.allowance(cap: 3, segments: half) == 2)
        let below = [BillingCalculator.Segment(contractID: "c", from: Self.d("2026-06-01"), through: Self.d("2026-06-14"), tier: .standard)]
        #expect(BillingCalculator.allowance(cap: 3, segments: below) == 1)  // 1.4
    }

    // 15. Service hours: 90 min x 950.00 kr / 60 = 1 425.00 kr; 7 min = 110.83 kr.
    //     With a rate of 0.90 kr, 1 minute is 1.5 øre -> 2 (half up).
    @Test func serviceHoursForUncoveredAndOutOfScopeWork() {
        func request(_ id: String, covered: Bool, cause: ServiceRequest.Cause?, minutes: Int?) -> ServiceRequest {
            ServiceRequest(id: id, deviceSerial: "DEV", customerID: "cus", dealerID: "dlr", contractID: covered ? "con" : nil, tier: covered ? .standard : nil,
                           reportedAt: Date(timeIntervalSince1970: 1_780_000_000), category: .fault, description: "", source: .phone, state: .resolved,
                           clockStartsAt: nil, responseDueAt: nil, firstResponseAt: nil, resolvedAt: Date(timeIntervalSince1970: 1_780_003_600),
                           cause: cause, billableMinutes: minutes, events: [], version: 1)
        }
        let lines = Self.calculator.serviceLines([
            request("srq-1", covered: false, cause: nil, minutes: 90),
            request("srq-2", covered: true, cause: .outside_responsibility, minutes: 7),
            request("srq-3", covered: true, cause: nil, minutes: 30),  // covered work: not billed
        ])
        #expect(lines.map(\.amountMinor) == [142_500, 11_083])
        #expect(lines.map { $0.channel } == ["srq-1", "srq-2"])
        #expect(lines[0].explanation["reason"]?.encoded() == "\"uncovered\"")
        let cheap = try! CatalogueLoader.parse(CatalogueTests.editing(try! CatalogueTests.shipped(), ["hourly_rate_minor"], .int(90)))
        let one = BillingCalculator(catalogue: cheap, calendar: Self.calendar).serviceLines([request("srq-4", covered: false, cause: nil, minutes: 1)])
        #expect(one.first?.amountMinor == 2)
    }

    @Test func segmentsSplitAtTierChangesAndContractEnds() {
        let contract = Self.contract("c", "2025-10-01", "2026-09-30", tiers: [("2025-10-01", .plus), ("2026-03-01", .standard)], terminated: "2026-08-15")
        let segments = BillingCalculator.segments(year: 2026, contracts: [contract])
        #expect(segments == [
            .init(contractID: "c", from: Self.d("2026-01-01"), through: Self.d("2026-02-28"), tier: .plus),
            .init(contractID: "c", from: Self.d("2026-03-01"), through: Self.d("2026-08-15"), tier: .standard),
        ])
    }
}
