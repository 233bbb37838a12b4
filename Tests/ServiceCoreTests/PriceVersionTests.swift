import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// Dated price lists: the catalogue's `price_versions`, billing each covered
/// day at the version in force, and the billed years' prices kept.
@Suite struct PriceVersionTests {
    typealias B = BillingCalculatorTests

    /// The shipped catalogue with `price_versions` replaced by `json`.
    static func catalogue(_ json: String) throws -> Catalogue {
        try CatalogueLoader.parse(document(json))
    }

    static func document(_ json: String) throws -> JSONValue {
        CatalogueTests.editing(try CatalogueTests.shipped(), ["price_versions"], try JSONParser.parse(Array(json.utf8)))
    }

    static func lines(_ catalogue: Catalogue, _ contracts: [Contract], _ readings: [MeterReading],
                      deliveries: [BillingCalculator.Delivery] = []) -> [BillingLine] {
        BillingCalculator(catalogue: catalogue, calendar: B.calendar).lines(year: 2026, device: .init(
            serial: "DEV", customerID: "cus", dealerID: "dlr", family: B.family, contracts: contracts, readings: readings, deliveries: deliveries))
    }

    /// The ids in a line's `price_versions`, and each part's quantity and amount.
    static func parts(_ line: BillingLine?) -> [String] {
        guard case .array(let parts)? = line?.explanation["price_versions"] else { return [] }
        return parts.map { part in
            "\(part["id"]?.encoded() ?? "?") \(part["quantity"]?.encoded() ?? "-") \(part["amount_minor"]?.encoded() ?? "-")"
        }
    }

    // MARK: The catalogue

    @Test func aCatalogueWithoutVersionsHasTheBaseAlone() throws {
        let document = CatalogueTests.editing(try CatalogueTests.shipped(), ["price_versions"], nil)
        let catalogue = try CatalogueLoader.parse(document)
        #expect(catalogue.prices.versions.map(\.id) == ["base"])
        #expect(catalogue.prices.versions[0].terms.families["iradv-c3xxx"]?.colourClickPriceMinor == 59)
        #expect(catalogue.prices.versions[0].terms.hourlyRateMinor == 95_000)
    }

    @Test func versionsAccumulateAndSplitDays() throws {
        let catalogue = try Self.catalogue("""
            [{"id": "h2", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"colour_click_price_minor": 69}}},
             {"id": "2027", "effective_from": "2027-01-01", "hourly_rate_minor": 99000,
              "model_families": {"iradv-c3xxx": {"cartridges": {"black": {"price_minor": 150000}}}},
              "add_ons": {"external_lift": {"price_per_hour_minor": 160000}}}]
            """)
        let prices = catalogue.prices
        #expect(prices.versions.map(\.id) == ["base", "h2", "2027"])
        // The second version keeps the first's click price and changes the rest.
        let last = prices.versions[2].terms
        #expect(last.families["iradv-c3xxx"]?.colourClickPriceMinor == 69)
        #expect(last.families["iradv-c3xxx"]?.cartridgePriceMinor[.black] == 150_000)
        #expect(last.families["iradv-c3xxx"]?.cartridgePriceMinor[.cyan] == 170_000)
        #expect(last.hourlyRateMinor == 99_000 && last.addOns["external_lift"] == 160_000 && last.addOns["stairs_carry"] == 95_000)
        #expect(prices.index(on: B.d("2026-06-30")) == 0 && prices.index(on: B.d("2026-07-01")) == 1 && prices.index(on: B.d("2027-03-01")) == 2)
        #expect(prices.pieces(from: B.d("2026-05-01"), through: B.d("2027-01-31")) == [
            .init(from: B.d("2026-05-01"), through: B.d("2026-06-30"), version: 0),
            .init(from: B.d("2026-07-01"), through: B.d("2026-12-31"), version: 1),
            .init(from: B.d("2027-01-01"), through: B.d("2027-01-31"), version: 2),
        ])
        #expect(prices.pieces(from: B.d("2026-08-01"), through: B.d("2026-08-31")) == [.init(from: B.d("2026-08-01"), through: B.d("2026-08-31"), version: 1)])
    }

    static let change = #"{"iradv-c3xxx": {"colour_click_price_minor": 69}}"#
    static let breakages: [(versions: String, field: String)] = [
        (#"{"id": "x"}"#, "price_versions"),
        (#"[7]"#, "price_versions[0]"),
        (#"[{"effective_from": "2026-07-01", "model_families": \#(change)}]"#, "price_versions[0].id"),
        (#"[{"id": "base", "effective_from": "2026-07-01", "model_families": \#(change)}]"#, "price_versions[0].id"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": \#(change)}, {"id": "a", "effective_from": "2026-08-01", "hourly_rate_minor": 1}]"#, "price_versions[1].id"),
        (#"[{"id": "a", "model_families": \#(change)}]"#, "price_versions[0].effective_from"),
        (#"[{"id": "a", "effective_from": "2026-13-01", "model_families": \#(change)}]"#, "price_versions[0].effective_from"),
        (#"[{"id": "a", "effective_from": "1999-12-31", "model_families": \#(change)}]"#, "price_versions[0].effective_from"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": \#(change)}, {"id": "b", "effective_from": "2026-07-01", "hourly_rate_minor": 1}]"#, "price_versions[1].effective_from"),
        (#"[{"id": "a", "effective_from": "2026-07-01"}]"#, "price_versions[0].effective_from"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "hourly_rate_minor": "lots"}]"#, "price_versions[0].hourly_rate_minor"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "colour_click_price_minor": 69}]"#, "price_versions[0].colour_click_price_minor"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": {"iradv-c9xxx": {"colour_click_price_minor": 69}}}]"#, "price_versions[0].model_families.iradv-c9xxx"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"colour_click_price_minor": -1}}}]"#, "price_versions[0].model_families.iradv-c3xxx.colour_click_price_minor"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"colour_cap_per_month": 1.5}}}]"#, "price_versions[0].model_families.iradv-c3xxx.colour_cap_per_month"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"rated_monthly_duty": 1}}}]"#, "price_versions[0].model_families.iradv-c3xxx.rated_monthly_duty"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"cartridges": {"black": {"yield_pages": 1}}}}}]"#, "price_versions[0].model_families.iradv-c3xxx.cartridges.black.yield_pages"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"cartridges": {"green": {"price_minor": 1}}}}}]"#, "price_versions[0].model_families.iradv-c3xxx.cartridges.green"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "add_ons": {"teleport": {"price_per_hour_minor": 1}}}]"#, "price_versions[0].add_ons.teleport"),
        (#"[{"id": "a", "effective_from": "2026-07-01", "add_ons": {"external_lift": {"price_per_hour_minor": -5}}}]"#, "price_versions[0].add_ons.external_lift.price_per_hour_minor"),
    ]

    @Test(arguments: 0..<breakages.count)
    func badVersionsNameTheirJSONPath(_ index: Int) throws {
        let breakage = Self.breakages[index]
        let document = try Self.document(breakage.versions)
        do {
            _ = try CatalogueLoader.parse(document)
            Issue.record("accepted \(breakage.versions)")
        } catch {
            #expect(error.issues.map(\.field).contains(breakage.field), "\(error.issues)")
        }
    }

    // MARK: Billing across a price change

    // Colour click 0.59 to 0.69 on 1 July, caps unchanged (5 000 a month).
    // Jan-Jun: allowance 6 x 5 000 = 30 000, used 36 000 (6 000 over).
    // Jul-Dec: allowance 30 000, used 33 000 (3 000 over).
    // Year: allowance 60 000, used 69 000, over 9 000, shared in proportion to
    // each half's excess 6 000 : 3 000 -> 6 000 at 59 + 3 000 at 69
    // = 354 000 + 207 000 = 561 000.
    @Test func aMidYearPriceChangeSplitsTheOverage() throws {
        let catalogue = try Self.catalogue(#"[{"id": "h2", "effective_from": "2026-07-01", "model_families": \#(Self.change)}]"#)
        let lines = Self.lines(catalogue, [B.contract()], [B.reading("2026-01-01"), B.reading("2026-07-01", colour: 36_000), B.reading("2027-01-01", colour: 69_000)])
        let overage = try #require(B.line(lines, .colour_overage))
        #expect(overage.quantity == 9_000)
        #expect(overage.amountMinor == 561_000)
        #expect(overage.unitPriceMinor == 69)  // the price in force at the end
        #expect(B.explanation(overage, "allowance_pages")?.encoded() == "60000")
        #expect(Self.parts(overage) == [#""base" 6000 354000"#, #""h2" 3000 207000"#])
        // Each version's cap, allowance and use, as worked out above.
        guard case .array(let parts)? = overage.explanation["price_versions"] else { Issue.record("no price versions"); return }
        #expect(parts.map { part in
            ["colour_cap_per_month", "allowance_pages", "used_a4_equivalents"].map { part[$0]?.encoded() ?? "-" }.joined(separator: " ")
        } == [#"5000 "30000.0000" 36000"#, #"5000 "30000.0000" 33000"#])
        // Two segments where there was one, each naming its version.
        guard case .array(let segments)? = overage.explanation["segments"] else { Issue.record("no segments"); return }
        #expect(segments.count == 2)
    }

    // Same change; the second half under its allowance offsets the first
    // (the cap is an average over the year): Jan-Jun 36 000 (6 000 over),
    // Jul-Dec 28 000 (2 000 under); over 64 000 - 60 000 = 4 000, all of it
    // from the first half: 4 000 x 59 = 236 000.
    @Test func aHalfUnderItsAllowanceOffsetsTheOther() throws {
        let catalogue = try Self.catalogue(#"[{"id": "h2", "effective_from": "2026-07-01", "model_families": \#(Self.change)}]"#)
        let lines = Self.lines(catalogue, [B.contract()], [B.reading("2026-01-01"), B.reading("2026-07-01", colour: 36_000), B.reading("2027-01-01", colour: 64_000)])
        let overage = try #require(B.line(lines, .colour_overage))
        #expect(overage.quantity == 4_000 && overage.amountMinor == 236_000)
        #expect(Self.parts(overage) == [#""base" 4000 236000"#, #""h2" 0 0"#])
    }

    // Cap 5 000 -> 6 000 and click 0.59 -> 0.69 from 15 July (mid-month).
    // Base, 1 Jan-14 Jul: 6 x 5 000 + 5 000 x 14/31 = 1 000 000/31 = 32 258.06 pages.
    // New, 15 Jul-31 Dec: 6 000 x 17/31 + 5 x 6 000 = 1 032 000/31 = 33 290.32.
    // Allowance 2 032 000/31 = 65 548.39 -> 65 548. Used 40 000 + 36 000 = 76 000;
    // over 10 452. Excess 40 000 - 1 000 000/31 = 240 000/31 and
    // 36 000 - 1 032 000/31 = 84 000/31, so shares 20/27 and 7/27:
    // 10 452 x 20/27 = 7 742.22, 10 452 x 7/27 = 2 709.78; floors 7 742 + 2 709,
    // the page left to the larger remainder (0.78): 7 742 and 2 710.
    // 7 742 x 59 + 2 710 x 69 = 456 778 + 186 990 = 643 768.
    @Test func aMidMonthChangeOfCapAndPriceSharesExactly() throws {
        let catalogue = try Self.catalogue("""
            [{"id": "jul15", "effective_from": "2026-07-15",
              "model_families": {"iradv-c3xxx": {"colour_cap_per_month": 6000, "colour_click_price_minor": 69}}}]
            """)
        let lines = Self.lines(catalogue, [B.contract()], [B.reading("2026-01-01"), B.reading("2026-07-15", colour: 40_000), B.reading("2027-01-01", colour: 76_000)])
        let overage = try #require(B.line(lines, .colour_overage))
        #expect(B.explanation(overage, "allowance_pages")?.encoded() == "65548")
        #expect(overage.quantity == 10_452)
        #expect(overage.amountMinor == 643_768)
        #expect(Self.parts(overage) == [#""base" 7742 456778"#, #""jul15" 2710 186990"#])
    }

    // A tier change and a price change together: standard, premium from 1 April,
    // price 0.69 from 1 July. Capped: Jan-Mar only (15 000 allowance, base
    // prices); 20 000 used then: 5 000 x 59 = 295 000. The premium months are
    // split at 1 July too but bill no colour.
    @Test func aPriceChangeInsidePremiumMonthsChangesNoColourLine() throws {
        let catalogue = try Self.catalogue(#"[{"id": "h2", "effective_from": "2026-07-01", "model_families": \#(Self.change)}]"#)
        let lines = Self.lines(catalogue, [B.contract(tiers: [("2026-01-01", .standard), ("2026-04-01", .premium)])],
                               [B.reading("2026-01-01"), B.reading("2026-04-01", colour: 20_000), B.reading("2027-01-01", colour: 90_000)])
        let overage = try #require(B.line(lines, .colour_overage))
        #expect(overage.amountMinor == 295_000 && overage.unitPriceMinor == 59)
        #expect(Self.parts(overage) == [#""base" 5000 295000"#])
    }

    // Banner list price 2.50 -> 3.00 from 1 July: 100 clicks before, 50 after:
    // 100 x 250 + 50 x 300 = 40 000. An agreed price (1.99) is not the list's: 150 x 199.
    @Test func bannerClicksArePricedOnTheDayOfPrinting() throws {
        let catalogue = try Self.catalogue(#"[{"id": "h2", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"banner_click_price_minor": 300}}}]"#)
        let readings = [B.reading("2026-01-01"), B.reading("2026-07-01", bannerBW: 100), B.reading("2027-01-01", bannerBW: 150)]
        let listed = try #require(B.line(Self.lines(catalogue, [B.contract()], readings), .banner_clicks))
        #expect(listed.quantity == 150 && listed.amountMinor == 40_000)
        #expect(Self.parts(listed) == [#""base" 100 25000"#, #""h2" 50 15000"#])
        let agreed = try #require(B.line(Self.lines(catalogue, [B.contract(banner: 199)], readings), .banner_clicks))
        #expect(agreed.amountMinor == 29_850)
    }

    // Black cartridge 1 400.00 -> 1 500.00 from 1 July. 338 000 pages include
    // 10.24 cartridges; 7 delivered in March and 5 in September: 1.76 over,
    // 1 billed. The included ones are used first, so the billed one is from
    // the last delivery (September): 1 x 150 000.
    @Test func cartridgesArePricedOnTheirDeliveryDay() throws {
        let catalogue = try Self.catalogue(#"[{"id": "h2", "effective_from": "2026-07-01", "model_families": {"iradv-c3xxx": {"cartridges": {"black": {"price_minor": 150000}}}}}]"#)
        let deliveries = [BillingCalculator.Delivery(item: .black, on: B.d("2026-03-01"), quantity: 7),
                          BillingCalculator.Delivery(item: .black, on: B.d("2026-09-01"), quantity: 5)]
        let lines = Self.lines(catalogue, [B.contract()], [B.reading("2026-01-01"), B.reading("2027-01-01", bw: 300_000, colour: 38_000)],
                               deliveries: deliveries)
        let black = try #require(B.line(lines, .toner_excess, "black"))
        #expect(black.quantity == 1 && black.amountMinor == 150_000)
        #expect(Self.parts(black) == [#""h2" 1 150000"#])
    }

    // Hourly rate 950.00 -> 1 000.00 from 1 July: 90 minutes resolved on
    // 30 June (Oslo) at 950.00 = 1 425.00; on 1 July at 1 000.00 = 1 500.00.
    @Test func serviceWorkIsPricedOnTheDayItWasResolved() throws {
        let catalogue = try Self.catalogue(#"[{"id": "h2", "effective_from": "2026-07-01", "hourly_rate_minor": 100000}]"#)
        let calculator = BillingCalculator(catalogue: catalogue, calendar: B.calendar)
        func request(_ resolved: String) -> ServiceRequest {
            ServiceRequest(id: "sr-\(resolved)", deviceSerial: "DEV", customerID: "cus", dealerID: "dlr", contractID: nil, tier: nil,
                           reportedAt: Date(timeIntervalSince1970: 1_780_000_000), category: .fault, description: "", source: .phone, state: .resolved,
                           clockStartsAt: nil, responseDueAt: nil, firstResponseAt: nil, resolvedAt: ISO8601DateFormatter().date(from: resolved),
                           cause: nil, billableMinutes: 90, events: [], version: 1)
        }
        // 23:30 UTC on 30 June is 01:30 on 1 July in Oslo (summer time).
        let lines = calculator.serviceLines([request("2026-06-30T21:30:00Z"), request("2026-06-30T23:30:00Z")])
        #expect(lines.map(\.amountMinor) == [142_500, 150_000])
        #expect(lines.map(\.unitPriceMinor) == [95_000, 100_000])
    }

    // MARK: The prices of billed years

    @Test func aChangeDatedAfterABilledYearLeavesItAlone() throws {
        let base = try Self.catalogue("[]").prices
        let billed = BilledPrices.schedule(base, year: 2025)
        let later = try Self.catalogue(#"[{"id": "2026", "effective_from": "2026-01-01", "model_families": \#(Self.change)}]"#).prices
        #expect(BilledPrices.differences(billed: billed, now: BilledPrices.schedule(later, year: 2025)).isEmpty)
        let undated = CatalogueTests.editing(try Self.document("[]"), ["model_families", 2, "colour_click_price_minor"], .int(69))
        let changed = try CatalogueLoader.parse(undated).prices
        #expect(BilledPrices.differences(billed: billed, now: BilledPrices.schedule(changed, year: 2025))
            == ["model_families.iradv-c3xxx.colour_click_price_minor was 59, is 69 from 2025-01-01"])
        let midYear = try Self.catalogue(#"[{"id": "oops", "effective_from": "2025-10-01", "model_families": \#(Self.change)}]"#).prices
        #expect(BilledPrices.differences(billed: billed, now: BilledPrices.schedule(midYear, year: 2025))
            == ["model_families.iradv-c3xxx.colour_click_price_minor was 59, is 69 from 2025-10-01"])
        // A version that changes only what the year already had, under another name, is no change.
        let recorded = BilledPrices.decode(BilledPrices.json(billed).encoded())
        #expect(recorded == billed)
    }
}
