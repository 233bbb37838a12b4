import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// Implementation services by hand, on the shipped catalogue: support hours
/// 08:00-16:00 Monday-Friday Europe/Oslo without Norwegian holidays; hourly
/// rate 950.00 kr; installation includes 60 minutes, billed in started
/// hours; training and connectivity include 60 minutes, billed by the
/// minute, training for groups up to 6; stairs carry 950.00 kr and external
/// lift 1 500.00 kr an hour.
@Suite struct WorkOrderRulesTests {
    static let catalogue = try! CatalogueLoader.load(path: CatalogueTests.path)
    static let calendar = SupportCalendarTests.calendar
    static let billing = WorkOrderBilling(catalogue: catalogue, calendar: calendar)

    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    struct DeadlineCase: CustomTestStringConvertible, Sendable {
        let name: String
        let deliveredAt: String
        let dueAt: String
        var testDescription: String { name }
    }

    static let deadlines: [DeadlineCase] = [
        // Wednesday 13 May 2026 10:00 CEST; Thursday 14 May is Ascension Day (Easter 5 April + 39),
        // so the next working day is Friday 15 May, due 16:00 CEST = 14:00Z.
        DeadlineCase(name: "over Ascension Day", deliveredAt: "2026-05-13T08:00:00Z", dueAt: "2026-05-15T14:00:00Z"),
        // Friday 15 May 14:00 CEST -> Monday 18 May 16:00 CEST.
        DeadlineCase(name: "Friday to Monday", deliveredAt: "2026-05-15T12:00:00Z", dueAt: "2026-05-18T14:00:00Z"),
        // Saturday 16 May: the clock starts Monday 18 May 08:00, due Tuesday 19 May 16:00 CEST.
        DeadlineCase(name: "delivered on a Saturday", deliveredAt: "2026-05-16T09:00:00Z", dueAt: "2026-05-19T14:00:00Z"),
        // Friday 23 October 15:00 CEST; summer time ends Sunday 25 October, so Monday 26 October 16:00 is CET = 15:00Z.
        DeadlineCase(name: "across the end of summer time", deliveredAt: "2026-10-23T13:00:00Z", dueAt: "2026-10-26T15:00:00Z"),
        // Wednesday 23 December 17:00 CET, after hours: the clock starts Thursday 24 December 08:00; 25 and 26 December
        // are holidays, 27 a Sunday, so due Monday 28 December 16:00 CET = 15:00Z.
        DeadlineCase(name: "after hours before Christmas", deliveredAt: "2026-12-23T16:00:00Z", dueAt: "2026-12-28T15:00:00Z"),
    ]

    @Test(arguments: deadlines)
    func installationIsDueWithinOneWorkingDayOfDelivery(_ c: DeadlineCase) {
        #expect(ImplementationRules.due(deliveredAt: Self.at(c.deliveredAt), workingDays: 1, calendar: Self.calendar) == Self.at(c.dueAt))
    }

    @Test func deadlineStatusCountsLikeTheSLA() {
        let due = Self.at("2026-05-15T14:00:00Z")
        #expect(ImplementationRules.status(dueAt: due, completedAt: due, now: due) == .in_time)
        #expect(ImplementationRules.status(dueAt: due, completedAt: due.addingTimeInterval(60), now: due) == .breached)
        #expect(ImplementationRules.status(dueAt: due, completedAt: nil, now: due) == .open)
        #expect(ImplementationRules.status(dueAt: due, completedAt: nil, now: due.addingTimeInterval(1)) == .overdue)
    }

    @Test func workOrderCarriesTheIncludedServicesAndTheOptionsBought() {
        let advanced = Self.catalogue.package(id: "advanced")!
        #expect(ImplementationRules.services(package: advanced, downgrades: [], options: ["user_training", "connectivity"],
                                             catalogue: Self.catalogue.services)
            == ["pre_install", "freight_delivery", "installation_network", "connectivity", "user_training", "security_activation"])
        let basic = Self.catalogue.package(id: "basic")!
        #expect(ImplementationRules.services(package: basic, downgrades: [], options: [], catalogue: Self.catalogue.services)
            == ["pre_install", "freight_delivery", "security_activation"])
        // An option of another package is never carried (Connectivity is Advanced only).
        #expect(!ImplementationRules.services(package: basic, downgrades: [], options: ["connectivity"], catalogue: Self.catalogue.services)
            .contains("connectivity"))
    }

    @Test func aDowngradedServiceIsNotOnTheWorkOrder() {
        // Seed: "Sikkerhetsaktivering: Kan nedgraderes" in every package; a contract that downgraded it does not get it.
        let standard = Self.catalogue.package(id: "standard")!
        #expect(ImplementationRules.services(package: standard, downgrades: ["security_activation"], options: ["user_training"],
                                             catalogue: Self.catalogue.services)
            == ["pre_install", "freight_delivery", "plug_and_play", "user_training"])
        // Only what the package lets be downgraded is removed: freight is not downgradable.
        #expect(ImplementationRules.services(package: standard, downgrades: ["freight_delivery"], options: [], catalogue: Self.catalogue.services)
            == ["pre_install", "freight_delivery", "plug_and_play", "security_activation"])
    }

    static func entry(_ service: String, _ minutes: Int, people: Int? = nil, at: String = "2026-03-02T09:00:00Z") -> WorkOrder.TimeEntry {
        WorkOrder.TimeEntry(id: "wte-\(minutes)-\(at)", service: service, minutes: minutes, people: people, performedAt: Self.at(at))
    }

    @Test func trainingCoversOneHourForGroupsUpToSix() {
        let rule = Self.catalogue.service(id: "user_training")!.time!
        // 45 min with 4 people + 30 min with 5 people = 75 within the group size; 60 included, 15 beyond.
        // 20 min with 8 people is over the group size: billed in full. Billed 15 + 20 = 35 minutes.
        let charge = ImplementationRules.charge([Self.entry("user_training", 45, people: 4), Self.entry("user_training", 30, people: 5),
                                                 Self.entry("user_training", 20, people: 8)], rule: rule)
        #expect(charge == .init(recordedMinutes: 95, overGroupMinutes: 20, includedMinutes: 60, billableMinutes: 35))
        // 35 min x 950.00 kr / 60 = 554.1666 kr -> 55 417 øre, half up.
        #expect(ImplementationRules.amount(minutes: 35, pricePerHourMinor: 95_000) == 55_417)
        // Exactly six people for exactly an hour: nothing billed.
        #expect(ImplementationRules.charge([Self.entry("user_training", 60, people: 6)], rule: rule).billableMinutes == 0)
    }

    @Test func theChargeOfEachPrefixIsARunningTotal() {
        let rule = Self.catalogue.service(id: "user_training")!.time!
        var tally = ImplementationRules.TimeTally(rule: rule)
        var billable: [Int] = []
        for entry in [Self.entry("user_training", 45, people: 4), Self.entry("user_training", 30, people: 5),
                      Self.entry("user_training", 20, people: 8), Self.entry("user_training", 10, people: 3)] {
            tally.add(entry)
            billable.append(tally.charge.billableMinutes)
        }
        // 45 within the group: all included -> 0. +30 within: 75, 15 beyond -> 15. +20 with 8 people: billed in full -> 35.
        // +10 within: 85, 25 beyond, + 20 over the group size -> 45.
        #expect(billable == [0, 15, 35, 45])
        #expect(tally.charge == .init(recordedMinutes: 105, overGroupMinutes: 20, includedMinutes: 60, billableMinutes: 45))
    }

    @Test func trainingAcrossYearsBillsEachYearWhatItsEntriesAdded() {
        let order = WorkOrder(
            id: "wko-2", contractID: "con-1", deviceSerial: "DEV", customerID: "cus", dealerID: "dlr", implementationPackage: "advanced",
            services: [.init(service: "user_training", state: .pending, completedAt: nil, dueAt: nil)], deliveredAt: Self.at("2025-12-01T09:00:00Z"),
            timeEntries: [
                // Recorded out of order: taken in the order performed.
                Self.entry("user_training", 30, people: 5, at: "2026-02-02T09:00:00Z"),
                Self.entry("user_training", 45, people: 4, at: "2025-12-10T09:00:00Z"),
                Self.entry("user_training", 20, people: 8, at: "2025-12-11T09:00:00Z"),
                Self.entry("user_training", 10, people: 7, at: "2026-02-03T09:00:00Z"),
            ],
            extras: [], version: 1, createdAt: "")
        // 2025: 45 with 4 people (included), 20 with 8 (billed in full) -> 20 minutes, 20 x 950.00 / 60 = 316.67 kr.
        let y2025 = Self.billing.lines(year: 2025, order: order)
        #expect(y2025.map { ($0.quantity, $0.amountMinor) }.first.map { $0 == (20, 31_667) } == true)
        // 2026: +30 with 5 people -> 75 within, 15 beyond -> 35 to date; +10 with 7 people -> 45 to date. Less 20 billed for 2025: 25 minutes.
        // 45 min -> 71 250 øre to date (712.50 kr), less 31 667 for 2025 = 39 583 øre.
        let y2026 = Self.billing.lines(year: 2026, order: order)
        #expect(y2026.map { ($0.quantity, $0.amountMinor) }.first.map { $0 == (25, 39_583) } == true)
        #expect(y2026.first?.explanation["billable_minutes_to_date"]?.encoded() == "45")
        #expect(y2026.first?.explanation["billable_minutes_earlier_years"]?.encoded() == "20")
        #expect(y2026.first?.explanation["minutes_over_group_size"]?.encoded() == "30")
    }

    @Test func installationBeyondItsHourIsBilledInStartedHours() {
        let rule = Self.catalogue.service(id: "installation_network")!.time!
        // 60 min: all included. 90 min: 30 beyond -> one started hour = 60. 121 min: 61 beyond -> two hours = 120.
        #expect(ImplementationRules.charge([Self.entry("installation_network", 60)], rule: rule).billableMinutes == 0)
        #expect(ImplementationRules.charge([Self.entry("installation_network", 90)], rule: rule).billableMinutes == 60)
        #expect(ImplementationRules.charge([Self.entry("installation_network", 100), Self.entry("installation_network", 21)], rule: rule)
            .billableMinutes == 120)
    }

    static func order(entries: [WorkOrder.TimeEntry], extras: [WorkOrder.Extra] = []) -> WorkOrder {
        WorkOrder(id: "wko-1", contractID: "con-1", deviceSerial: "DEV", customerID: "cus", dealerID: "dlr", implementationPackage: "advanced",
                  services: ["pre_install", "freight_delivery", "installation_network", "connectivity"].map {
                      .init(service: $0, state: .pending, completedAt: nil, dueAt: nil)
                  },
                  deliveredAt: at("2025-12-29T09:00:00Z"), timeEntries: entries, extras: extras, version: 1, createdAt: "")
    }

    @Test func timeIsBilledOnceAcrossYearsAndIncludedTimeNever() {
        // Installation: 90 min on 30 December 2025, 45 more on 5 January 2026. Connectivity: 50 min in 2026 (included).
        let order = Self.order(entries: [Self.entry("installation_network", 90, at: "2025-12-30T09:00:00Z"),
                                         Self.entry("installation_network", 45, at: "2026-01-05T09:00:00Z"),
                                         Self.entry("connectivity", 50, at: "2026-01-05T11:00:00Z")])
        // 2025: 90 recorded, 30 beyond -> one hour, 950.00 kr.
        let y2025 = Self.billing.lines(year: 2025, order: order)
        #expect(y2025.map(\.kind) == [.implementation_time])
        #expect(y2025[0].channel == "wko-1/installation_network")
        #expect((y2025[0].quantity, y2025[0].amountMinor, y2025[0].unitPriceMinor) == (60, 95_000, 95_000))
        // 2026: 135 recorded to date, 75 beyond -> two hours to date, less the hour billed for 2025 = one hour.
        // Connectivity's 50 minutes are within its included hour: a zero line, which a run does not bill.
        let y2026 = Self.billing.lines(year: 2026, order: order)
        let installation = y2026.first { $0.channel == "wko-1/installation_network" }!
        #expect((installation.quantity, installation.amountMinor) == (60, 95_000))
        let connectivity = y2026.first { $0.channel == "wko-1/connectivity" }!
        #expect((connectivity.quantity, connectivity.amountMinor) == (0, 0))
        #expect(!BillingRunner.bills(connectivity, previous: nil))
        guard case .object(let explanation) = installation.explanation else { Issue.record("explanation"); return }
        #expect(explanation.first { $0.0 == "billable_minutes_earlier_years" }?.1.encoded() == "60")
        #expect(explanation.first { $0.0 == "recorded_minutes" }?.1.encoded() == "135")
    }

    @Test func extrasAreBilledInTheirYearAtTheAddOnsHourlyPrice() {
        let extras = [
            WorkOrder.Extra(id: "wkx-1", addOn: "stairs_carry", minutes: 30, performedAt: Self.at("2025-12-29T10:00:00Z"), note: "3rd floor"),
            WorkOrder.Extra(id: "wkx-2", addOn: "external_lift", minutes: 45, performedAt: Self.at("2026-01-10T10:00:00Z"), note: nil),
        ]
        let order = Self.order(entries: [], extras: extras)
        // 30 min x 950.00 kr / 60 = 475.00 kr.
        let y2025 = Self.billing.lines(year: 2025, order: order)
        #expect(y2025.count == 1)
        #expect((y2025[0].kind, y2025[0].channel, y2025[0].quantity, y2025[0].amountMinor) == (.implementation_extra, "wkx-1", 30, 47_500))
        // 45 min x 1 500.00 kr / 60 = 1 125.00 kr.
        let y2026 = Self.billing.lines(year: 2026, order: order)
        #expect(y2026.count == 1)
        #expect((y2026[0].channel, y2026[0].quantity, y2026[0].unitPriceMinor, y2026[0].amountMinor) == ("wkx-2", 45, 150_000, 112_500))
        #expect(y2026[0].kind.unit == "minute" && y2026[0].kind.priceUnit == "hour")
    }

    /// The shipped catalogue with a price version from 1 July 2026: hourly rate 1 200.00 kr, stairs carry 1 100.00 kr an hour.
    static let july = try! CatalogueLoader.parse(CatalogueTests.editing(try! CatalogueTests.shipped(), ["price_versions"], try! JSONParser.parse(Array("""
        [{"id": "2026-07", "effective_from": "2026-07-01", "hourly_rate_minor": 120000,
          "add_ons": {"stairs_carry": {"price_per_hour_minor": 110000}}}]
        """.utf8))))

    @Test func timeAndExtrasArePricedAtTheVersionInForceOnTheDayOfTheWork() {
        let billing = WorkOrderBilling(catalogue: Self.july, calendar: Self.calendar)
        let order = Self.order(
            entries: [
                // Installation: 90 min on 30 June -> 30 beyond the hour -> one started hour at the base 950.00 kr.
                // 45 min on 2 July -> 135 to date, 75 beyond -> two hours; the second at July's 1 200.00 kr.
                // 950.00 + 1 200.00 = 2 150.00 kr for 120 minutes.
                Self.entry("installation_network", 90, at: "2026-06-30T09:00:00Z"),
                Self.entry("installation_network", 45, at: "2026-07-02T09:00:00Z"),
                // Connectivity: 50 min on 30 June use 50 of the included 60; 25 min on 2 July -> 15 beyond,
                // all made billable by the July entry: 15 x 1 200.00 / 60 = 300.00 kr.
                Self.entry("connectivity", 50, at: "2026-06-30T11:00:00Z"),
                Self.entry("connectivity", 25, at: "2026-07-02T11:00:00Z"),
            ],
            extras: [
                // 23:30 CEST on 30 June: base price, 30 min x 950.00 / 60 = 475.00 kr.
                WorkOrder.Extra(id: "wkx-1", addOn: "stairs_carry", minutes: 30, performedAt: Self.at("2026-06-30T21:30:00Z"), note: nil),
                // 00:30 CEST on 1 July (still 30 June in UTC): July's price, 30 min x 1 100.00 / 60 = 550.00 kr.
                WorkOrder.Extra(id: "wkx-2", addOn: "stairs_carry", minutes: 30, performedAt: Self.at("2026-06-30T22:30:00Z"), note: nil),
            ])
        let lines = billing.lines(year: 2026, order: order)
        let installation = lines.first { $0.channel == "wko-1/installation_network" }
        #expect((installation?.quantity, installation?.amountMinor, installation?.unitPriceMinor) == (120, 215_000, 120_000))
        #expect(Self.versions(installation) == ["\"base\" 60 95000", "\"2026-07\" 60 120000"])
        let connectivity = lines.first { $0.channel == "wko-1/connectivity" }
        #expect((connectivity?.quantity, connectivity?.amountMinor, connectivity?.unitPriceMinor) == (15, 30_000, 120_000))
        #expect(Self.versions(connectivity) == ["\"2026-07\" 15 30000"])
        let extras = lines.filter { $0.kind == .implementation_extra }.map { ($0.channel ?? "", $0.unitPriceMinor, $0.amountMinor) }
        #expect(extras.count == 2)
        #expect(extras.first.map { $0 == ("wkx-1", 95_000, 47_500) } == true)
        #expect(extras.last.map { $0 == ("wkx-2", 110_000, 55_000) } == true)
        #expect(Self.versions(lines.last) == ["\"2026-07\" - -"])
    }

    @Test func timeBilledInAnEarlierYearKeepsItsVersionsPrice() {
        // A version from 1 January 2026 at 1 200.00 kr an hour; 90 installation minutes on 30 December 2025 (one hour
        // at the base 950.00 kr, billed for 2025), 45 more on 5 January 2026: the second hour at 1 200.00 kr.
        let catalogue = try! CatalogueLoader.parse(CatalogueTests.editing(try! CatalogueTests.shipped(), ["price_versions"], try! JSONParser.parse(
            Array(#"[{"id": "2026", "effective_from": "2026-01-01", "hourly_rate_minor": 120000}]"#.utf8))))
        let billing = WorkOrderBilling(catalogue: catalogue, calendar: Self.calendar)
        let order = Self.order(entries: [Self.entry("installation_network", 90, at: "2025-12-30T09:00:00Z"),
                                         Self.entry("installation_network", 45, at: "2026-01-05T09:00:00Z")])
        let y2025 = billing.lines(year: 2025, order: order).first
        #expect((y2025?.quantity, y2025?.amountMinor) == (60, 95_000))
        let y2026 = billing.lines(year: 2026, order: order).first
        #expect((y2026?.quantity, y2026?.amountMinor, y2026?.unitPriceMinor) == (60, 120_000, 120_000))
        #expect(Self.versions(y2026) == ["\"2026\" 60 120000"])
    }

    /// Each of a line's `price_versions`: id, minutes and amount.
    static func versions(_ line: BillingLine?) -> [String] {
        guard case .array(let parts)? = line?.explanation["price_versions"] else { return [] }
        return parts.map { "\($0["id"]?.encoded() ?? "?") \($0["minutes"]?.encoded() ?? "-") \($0["amount_minor"]?.encoded() ?? "-")" }
    }
}
