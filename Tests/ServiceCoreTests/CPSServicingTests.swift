import Foundation
import Testing
@testable import ServiceCore

/// Fast Track turnaround and target dates, worked out by hand on the
/// calendars (Fast Track: Platinum 2, Gold 3, Silver 5 working days; standard
/// 10; video never under 5; at most 3 in servicing; closing time 17:00).
@Suite struct CPSServicingTests {
    static let rules = TurnaroundRules(fastTrackDays: [.silver: 5, .gold: 3, .platinum: 2, .corporate: 2], standardDays: 10,
                                       videoMinimumDays: 5, maxInService: 3, loanWhenVideoTargetOver: 5, loanLevels: [.gold, .platinum, .corporate])
    static let servicing = CPSServicing(
        turnaround: rules, closingMinutes: 17 * 60, maintenanceDiscountPercent: 15,
        countries: ["NO": (TimeZone(identifier: "Europe/Oslo")!, []),
                    "ZA": (TimeZone(identifier: "Africa/Johannesburg")!, [LocalDate("2026-04-03")!, LocalDate("2026-04-06")!])],
        centres: [ServiceCentre(id: "psc-za", name: "PSC Johannesburg", country: "ZA", kind: .psc)]
    )
    static let camera = CPSProduct(id: "eos-r1", name: "EOS R1", category: .cameraBody, video: false, basePoints: 100, fastTrackEligible: true)
    static let cinema = CPSProduct(id: "eos-c70", name: "EOS C70", category: .cinemaEOS, video: true, basePoints: 120, fastTrackEligible: true)

    static func instant(_ text: String) -> Date { RFC3339.parse(text)! }

    static func target(_ level: CPSLevel?, _ product: CPSProduct = camera, complete: Bool = true, service: ServiceKind = .repair,
                       centre: ServiceCentre.Kind, country: String, received: String, inService: Int = 0) -> (TurnaroundRules.Decision, LocalDate) {
        let decision = rules.decide(.init(level: level, product: product, registrationComplete: complete, service: service, centre: centre,
                                          alreadyInService: inService))
        let days = servicing.workingDays(in: country)!
        return (decision, days.adding(workingDays: decision.workingDays, to: days.startDay(receivedAt: instant(received))))
    }

    @Test func platinumReceivedFridayAfterClosing() {
        // Friday 2026-03-06 18:00 in Johannesburg (16:00Z), after 17:00: starts Monday 9th; 2 working days: Wednesday 11th
        let (decision, day) = Self.target(.platinum, centre: .psc, country: "ZA", received: "2026-03-06T16:00:00Z")
        #expect(decision.workingDays == 2 && decision.fastTrack)
        #expect(day == LocalDate("2026-03-11"))
        // the same Friday at 16:59 local starts that day: Tuesday 10th
        #expect(Self.target(.platinum, centre: .psc, country: "ZA", received: "2026-03-06T14:59:00Z").1 == LocalDate("2026-03-10"))
    }

    @Test func goldOverTheNorwegianEasterHolidays() {
        // Tuesday 2026-03-31 10:00 Oslo; Maundy Thursday 2 April, Good Friday 3, Easter Monday 6 closed:
        // Wed 1 (1), Tue 7 (2), Wed 8 (3)
        let (decision, day) = Self.target(.gold, centre: .partner, country: "NO", received: "2026-03-31T08:00:00Z")
        #expect(decision.workingDays == 3)
        #expect(day == LocalDate("2026-04-08"))
    }

    @Test func videoProductForPlatinumTakesFiveDays() {
        // Monday 2026-03-02 09:00 Johannesburg: 5 working days, Monday 9th
        let (decision, day) = Self.target(.platinum, Self.cinema, centre: .psc, country: "ZA", received: "2026-03-02T07:00:00Z")
        #expect(decision.workingDays == 5 && decision.fastTrack && decision.reasons.contains { $0.contains("video") })
        #expect(day == LocalDate("2026-03-09"))
    }

    @Test func silverAtAPartner() {
        // Monday 2026-05-11 09:00 Oslo; Ascension Day Thursday 14 May closed: Tue 12, Wed 13, Fri 15, Mon 18, Tue 19
        let (decision, day) = Self.target(.silver, centre: .partner, country: "NO", received: "2026-05-11T07:00:00Z")
        #expect(decision.workingDays == 5 && decision.fastTrack)
        #expect(day == LocalDate("2026-05-19"))
    }

    @Test func maintenanceAtAPartnerIsStandard() {
        // Monday 2026-06-01 09:00 Oslo, 10 working days: 2-5 June (4), 8-12 (9), Monday 15th (10)
        let (decision, day) = Self.target(.gold, service: .maintenance, centre: .partner, country: "NO", received: "2026-06-01T07:00:00Z")
        #expect(decision.workingDays == 10 && !decision.fastTrack)
        #expect(decision.reasons.contains { $0.contains("only at a PSC or CEC") })
        #expect(day == LocalDate("2026-06-15"))
        // the same maintenance at a PSC is on Fast Track
        #expect(Self.target(.gold, service: .maintenance, centre: .psc, country: "ZA", received: "2026-06-01T07:00:00Z").0.workingDays == 3)
    }

    @Test func aFourthProductInServicingGetsTheStandardTurnaroundAndTheNextOneAfterACompletionDoesNot() {
        let fourth = Self.target(.platinum, centre: .psc, country: "ZA", received: "2026-03-02T07:00:00Z", inService: 3).0
        #expect(fourth.workingDays == 10 && !fourth.fastTrack && fourth.reasons.contains { $0.contains("3 of the member's products") })
        let afterOneCompleted = Self.target(.platinum, centre: .psc, country: "ZA", received: "2026-03-03T07:00:00Z", inService: 2).0
        #expect(afterOneCompleted.workingDays == 2 && afterOneCompleted.fastTrack)
    }

    @Test func anIncompleteRegistrationRedAndNonMembersGetTheStandard() {
        #expect(Self.target(.platinum, complete: false, centre: .psc, country: "ZA", received: "2026-03-02T07:00:00Z").0.workingDays == 10)
        #expect(Self.target(.red, centre: .psc, country: "ZA", received: "2026-03-02T07:00:00Z").0.workingDays == 10)
        #expect(Self.target(nil, centre: .psc, country: "ZA", received: "2026-03-02T07:00:00Z").0.reasons.contains("not a CPS member"))
        let lens = CPSProduct(id: "x", name: "RF 50mm F1.8 STM", category: .rfLens, video: false, basePoints: 5, fastTrackEligible: false)
        #expect(Self.target(.gold, lens, centre: .psc, country: "ZA", received: "2026-03-02T07:00:00Z").0.workingDays == 10)
    }

    @Test func backupLoans() {
        let target = LocalDate("2026-03-11")!
        // late Gold: entitled; late Silver: not; on time Gold: not
        #expect(Self.rules.backupLoanEntitled(level: .gold, video: false, targetWorkingDays: 3, targetOn: target, completedOn: LocalDate("2026-03-12")))
        #expect(!Self.rules.backupLoanEntitled(level: .silver, video: false, targetWorkingDays: 5, targetOn: target, completedOn: LocalDate("2026-03-12")))
        #expect(!Self.rules.backupLoanEntitled(level: .gold, video: false, targetWorkingDays: 3, targetOn: target, completedOn: target))
        // a video target over 5 days (the standard 10 for a fourth product): Gold entitled before completion
        #expect(Self.rules.backupLoanEntitled(level: .gold, video: true, targetWorkingDays: 10, targetOn: target, completedOn: nil))
        #expect(!Self.rules.backupLoanEntitled(level: .platinum, video: true, targetWorkingDays: 5, targetOn: target, completedOn: nil))
    }

    @Test func discountAndShippingByCentreKind() {
        let maintenance = ChargeableBenefits.of(service: .maintenance, chargeable: true, centre: .psc, discountPercent: 15)
        #expect(maintenance.maintenanceDiscountPercent == 15 && !maintenance.freeReturnShipping)
        let repair = ChargeableBenefits.of(service: .repair, chargeable: true, centre: .cec, discountPercent: 15)
        #expect(repair.maintenanceDiscountPercent == 0 && repair.freeReturnShipping)
        let partner = ChargeableBenefits.of(service: .maintenance, chargeable: true, centre: .partner, discountPercent: 15)
        #expect(partner.maintenanceDiscountPercent == 0 && !partner.freeReturnShipping && partner.reason.contains("partners"))
        #expect(!ChargeableBenefits.of(service: .repair, chargeable: false, centre: .psc, discountPercent: 15).freeReturnShipping)
    }

    @Test func shippedCatalogueServicing() throws {
        let servicing = try CatalogueLoader.load(path: CatalogueTests.path).cps.servicing
        #expect(servicing.turnaround.fastTrackDays[.platinum] == 2 && servicing.turnaround.fastTrackDays[.gold] == 3)
        #expect(servicing.turnaround.standardDays == 10 && servicing.turnaround.maxInService == 3)
        #expect(Set(servicing.centres.map(\.country)) == ["RU", "ZA", "TR", "FR", "DE", "IT", "ES", "SE", "NL", "GB"])
        #expect(servicing.workingDays(in: "ZA")?.isWorkingDay(LocalDate("2026-04-06")!) == false)
        #expect(servicing.workingDays(in: "NO")?.isWorkingDay(LocalDate("2026-05-14")!) == false)
        #expect(servicing.workingDays(in: "NO")?.isWorkingDay(LocalDate("2026-05-13")!) == true)
    }

    /// The shipped catalogue has a calendar for every PSC and CEC country the
    /// seed names (Norway computed; Russia, South Africa, Turkey; the European
    /// PSCs in France, Germany, Italy, Spain, Sweden, the Netherlands and the
    /// United Kingdom), and each has a centre.
    @Test func everySeedPSCAndCECCountryHasACalendarAndACentre() throws {
        let servicing = try CatalogueLoader.load(path: CatalogueTests.path).cps.servicing
        for country in ["NO", "RU", "ZA", "TR", "FR", "DE", "IT", "ES", "SE", "NL", "GB"] {
            #expect(servicing.workingDays(in: country) != nil, "\(country)")
            if country != "NO" { #expect(servicing.centres.contains { $0.country == country && $0.kind != .partner }, "\(country)") }
        }
    }

    /// Platinum (2 working days) at the London PSC, received Thursday 24
    /// December 2026 at 10:00 GMT, before closing: Friday 25 is Christmas,
    /// Saturday and Sunday are weekend, Monday 28 is the Boxing Day
    /// substitute; Tuesday 29 is day 1, Wednesday 30 day 2.
    /// Gold (3) at the Paris PSC, received Wednesday 13 May 2026 09:00
    /// CEST: Thursday 14 is Ascension; Friday 15 day 1, Monday 18 day 2,
    /// Tuesday 19 day 3.
    @Test func europeanPSCsCountTheirOwnHolidays() throws {
        let servicing = try CatalogueLoader.load(path: CatalogueTests.path).cps.servicing
        let london = try #require(servicing.workingDays(in: "GB"))
        #expect(london.adding(workingDays: 2, to: london.startDay(receivedAt: Self.instant("2026-12-24T10:00:00Z"))) == LocalDate("2026-12-30"))
        let paris = try #require(servicing.workingDays(in: "FR"))
        #expect(paris.adding(workingDays: 3, to: paris.startDay(receivedAt: Self.instant("2026-05-13T07:00:00Z"))) == LocalDate("2026-05-19"))
    }
}
