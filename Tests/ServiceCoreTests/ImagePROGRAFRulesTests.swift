import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// The imagePROGRAF programme's rules against figures worked by hand.
@Suite struct ImagePROGRAFRulesTests {
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }
    static let terms = ECarePakTerms(termsMonths: [12, 24, 36], purchaseGraceDays: 0)
    static let tmSchedule = CompensationSchedule(id: "tm-series", name: "TM", labourUnitMinutes: 30, labourRateMinorPerUnit: 4750,
                                                 labourCapUnitsPerCall: 4, partsMarkupBasisPoints: 1000)
    static let requirements = AuthorisationRequirements(certificationValidMonths: 24, minimumCertifiedTechniciansPerLine: 1)

    // MARK: Coverage

    @Test func warrantyCoversItsLastDayAndNotTheDayAfter() {
        // Installed 2025-03-15, 12 months: the same date a year later is the
        // first day outside, so the last day is 2026-03-14.
        let periods = Coverage.periods(installedOn: Self.date("2025-03-15"), warrantyMonths: 12, eCarePaks: [])
        #expect(Coverage.on(Self.date("2025-03-15"), periods)?.kind == .warranty)
        #expect(Coverage.on(Self.date("2026-03-14"), periods) == Coverage.Period(kind: .warranty, from: Self.date("2025-03-15"), through: Self.date("2026-03-14")))
        #expect(Coverage.on(Self.date("2026-03-15"), periods) == nil)
        #expect(Coverage.on(Self.date("2025-03-14"), periods) == nil)
    }

    @Test func eCarePakBoughtOnTheLastWarrantyDayExtendsCoverageAndOneADayLateIsRefused() {
        let installed = Self.date("2025-03-15")
        // Bought on 2026-03-14, the warranty's last day: 12 months from 2026-03-15, through 2027-03-14.
        let inTime = Coverage.purchase(termMonths: 12, purchasedOn: Self.date("2026-03-14"), installedOn: installed, warrantyMonths: 12,
                                       eCarePaks: [], terms: Self.terms, id: "ecp_1")
        #expect(inTime == .success(Coverage.Period(kind: .ecarepak, from: Self.date("2026-03-15"), through: Self.date("2027-03-14"), eCarePakID: "ecp_1")))
        let periods = Coverage.periods(installedOn: installed, warrantyMonths: 12,
                                       eCarePaks: [Coverage.ECarePak(id: "ecp_1", termMonths: 12, purchasedOn: Self.date("2026-03-14"))])
        #expect(Coverage.on(Self.date("2026-03-15"), periods)?.kind == .ecarepak)
        #expect(Coverage.on(Self.date("2027-03-14"), periods)?.eCarePakID == "ecp_1")
        #expect(Coverage.on(Self.date("2027-03-15"), periods) == nil)
        // A day late: 2026-03-15, with no grace days the deadline was 2026-03-14.
        let late = Coverage.purchase(termMonths: 12, purchasedOn: Self.date("2026-03-15"), installedOn: installed, warrantyMonths: 12,
                                     eCarePaks: [], terms: Self.terms, id: "ecp_2")
        #expect(late == .failure(.tooLate(deadline: Self.date("2026-03-14"))))
        // With 30 grace days the deadline moves to 2026-04-13 (14 + 30 days into April: 17 left in March, 13 in April).
        let grace = ECarePakTerms(termsMonths: [12], purchaseGraceDays: 30)
        #expect(Coverage.purchase(termMonths: 12, purchasedOn: Self.date("2026-04-14"), installedOn: installed, warrantyMonths: 12,
                                  eCarePaks: [], terms: grace, id: "x") == .failure(.tooLate(deadline: Self.date("2026-04-13"))))
    }

    @Test func twoECarePaksRunBackToBack() {
        // Warranty 2025-03-15..2026-03-14; first pak 12 months 2026-03-15..2027-03-14;
        // second pak 24 months from 2027-03-15 through 2029-03-14.
        let installed = Self.date("2025-03-15")
        let first = Coverage.ECarePak(id: "ecp_a", termMonths: 12, purchasedOn: Self.date("2026-01-10"))
        let second = Coverage.purchase(termMonths: 24, purchasedOn: Self.date("2027-02-01"), installedOn: installed, warrantyMonths: 12,
                                       eCarePaks: [first], terms: Self.terms, id: "ecp_b")
        #expect(second == .success(Coverage.Period(kind: .ecarepak, from: Self.date("2027-03-15"), through: Self.date("2029-03-14"), eCarePakID: "ecp_b")))
        let periods = Coverage.periods(installedOn: installed, warrantyMonths: 12, eCarePaks: [
            first, Coverage.ECarePak(id: "ecp_b", termMonths: 24, purchasedOn: Self.date("2027-02-01")),
        ])
        #expect(Coverage.on(Self.date("2027-03-14"), periods)?.eCarePakID == "ecp_a")
        #expect(Coverage.on(Self.date("2027-03-15"), periods)?.eCarePakID == "ecp_b")
        #expect(Coverage.on(Self.date("2029-03-14"), periods)?.eCarePakID == "ecp_b")
        #expect(Coverage.on(Self.date("2029-03-15"), periods) == nil)
        // The second pak, bought under the first, could be bought up to the first's last day.
        #expect(Coverage.purchaseDeadline(Array(periods.prefix(2)), graceDays: 0) == Self.date("2027-03-14"))
    }

    @Test func eCarePakTermsAndDatesOutsideTheRulesAreRefused() {
        let installed = Self.date("2025-03-15")
        #expect(Coverage.purchase(termMonths: 18, purchasedOn: installed, installedOn: installed, warrantyMonths: 12, eCarePaks: [],
                                  terms: Self.terms, id: "x") == .failure(.unknownTerm(offered: [12, 24, 36])))
        #expect(Coverage.purchase(termMonths: 12, purchasedOn: Self.date("2025-03-14"), installedOn: installed, warrantyMonths: 12,
                                  eCarePaks: [], terms: Self.terms, id: "x") == .failure(.beforeInstallation(installedOn: installed)))
    }

    @Test func monthsAddedClampToTheEndOfShorterMonths() {
        #expect(Self.date("2024-01-31").adding(months: 1) == Self.date("2024-02-29"))
        #expect(Self.date("2025-01-31").adding(months: 1) == Self.date("2025-02-28"))
        #expect(Self.date("2025-11-15").adding(months: 2) == Self.date("2026-01-15"))
        #expect(Self.date("2024-02-29").adding(months: 12) == Self.date("2025-02-28"))
        #expect(Self.date("2026-03-31").adding(months: -1) == Self.date("2026-02-28"))
    }

    // MARK: Compensation schedules

    @Test(arguments: [
        (ProductLineID.imageprografTM, ProductLineID.imageprografTM), (.imageprograf, .imageprograf),
        (.colortracZ36, .imageprografTM), (.colortracL36ei, .imageprograf), (.colortracL24ei, .imageprograf),
    ])
    func eachLineFollowsTheCompensationProcessTheSeedNames(_ line: ProductLineID, _ process: ProductLineID) throws {
        #expect(line.compensationProcess == process)
        let catalogue = try CatalogueLoader.load(path: CatalogueTests.path)
        let expected = process == .imageprografTM ? "tm-series" : "imageprograf"
        #expect(catalogue.imageprograf.schedule(for: line)?.id == expected)
        #expect(catalogue.imageprograf.line(line)?.scheduleID == expected)
    }

    @Test func aCatalogueThatPutsAScannerOnTheWrongScheduleIsRefused() throws {
        // product_lines[2] is the Colortrac Z36; the seed puts it on the TM-series process.
        let document = CatalogueTests.editing(try CatalogueTests.shipped(), ["imageprograf", "product_lines", 2, "compensation_schedule"],
                                              .string("imageprograf"))
        do {
            _ = try CatalogueLoader.parse(document)
            Issue.record("accepted the Colortrac Z36 on the imagePROGRAF schedule")
        } catch {
            let issue = error.issues.first { $0.field == "imageprograf.product_lines[2].compensation_schedule" }
            #expect(issue?.message.contains("imageprograf-tm") == true, "\(error.issues)")
        }
    }

    @Test func labourIsCappedPerCallAndPartsCarryTheMarkUpRoundedHalfUpOnce() {
        // 135 minutes = 4.5 units of 30 -> 5 started units, capped at 4: 4 x 47.50 = 190.00.
        // Parts at cost: 2 x 12.34 + 1 x 33.37 = 24.68 + 33.37 = 58.05;
        // + 10 %: 63.855 -> 63.86 half up (58.05 x 1.1 = 63.855, one rounding of the total, not per line);
        // mark-up 5.81; total 190.00 + 63.86 = 253.86.
        let amount = Compensation(labourMinutes: 135, parts: [
            Compensation.Part(partNumber: "QM7-1234", quantity: 2, unitCostMinor: 1234),
            Compensation.Part(partNumber: "QY6-0099", quantity: 1, unitCostMinor: 3337),
        ], schedule: Self.tmSchedule)
        #expect(amount.labourUnitsStarted == 5)
        #expect(amount.labourUnitsPaid == 4)
        #expect(amount.labourMinor == 19_000)
        #expect(amount.partsCostMinor == 5_805)
        #expect(amount.partsMarkupMinor == 581)
        #expect(amount.totalMinor == 25_386)
    }

    @Test func labourUnderTheCapIsPaidPerStartedUnit() {
        // 61 minutes -> 3 started units of 30 (the third only just begun): 3 x 55.00 = 165.00;
        // parts 3 x 10.01 = 30.03, + 15 % = 34.5345 -> 34.53 (below the half); total 199.53.
        let schedule = CompensationSchedule(id: "imageprograf", name: "iPF", labourUnitMinutes: 30, labourRateMinorPerUnit: 5500,
                                            labourCapUnitsPerCall: 6, partsMarkupBasisPoints: 1500)
        let amount = Compensation(labourMinutes: 61, parts: [Compensation.Part(partNumber: "P", quantity: 3, unitCostMinor: 1001)], schedule: schedule)
        #expect(amount.labourMinor == 16_500)
        #expect(amount.partsMarkupMinor == 450)
        #expect(amount.totalMinor == 19_953)
        #expect(Compensation(labourMinutes: 0, parts: [], schedule: schedule).totalMinor == 0)
        #expect(Compensation(labourMinutes: 30, parts: [], schedule: schedule).labourUnitsStarted == 1)
    }

    // MARK: Claims

    @Test func aClaimBreakingFourRulesIsRejectedForAllFourAtOnce() {
        // Manufacturer-serviced, not covered, dealer lapsed, and submitted on day 31 after the service (deadline day 30).
        let facts = ClaimValidation.Facts(
            registration: (line: .imageprografTM, supportModel: .manufacturer), coverage: nil, dealerStatus: .lapsed,
            technicianCertified: true, serviceDate: Self.date("2026-10-01"), submittedOn: Self.date("2026-11-01")
        )
        let reasons = ClaimValidation.reasons(facts, terms: ClaimTerms(submissionDeadlineDays: 30, maxLabourMinutes: 1440))
        #expect(reasons == [
            .manufacturerSupportModel, .notCovered(serviceDate: Self.date("2026-10-01")),
            .dealerNotAuthorised(line: .imageprografTM, status: .lapsed), .submittedLate(deadline: Self.date("2026-10-31")),
        ])
    }

    @Test func aClaimMeetingEveryRuleHasNoReasonAndAnUnregisteredSerialIsRejectedForThat() {
        let covered = Coverage.Period(kind: .warranty, from: Self.date("2026-01-01"), through: Self.date("2026-12-31"))
        var facts = ClaimValidation.Facts(
            registration: (line: .colortracZ36, supportModel: .dealer), coverage: covered, dealerStatus: .authorised,
            technicianCertified: true, serviceDate: Self.date("2026-10-01"), submittedOn: Self.date("2026-10-31")
        )
        let terms = ClaimTerms(submissionDeadlineDays: 30, maxLabourMinutes: 1440)
        #expect(ClaimValidation.reasons(facts, terms: terms).isEmpty)
        facts.technicianCertified = false
        #expect(ClaimValidation.reasons(facts, terms: terms) == [.technicianNotCertified(line: .colortracZ36)])
        facts.registration = nil
        #expect(ClaimValidation.reasons(facts, terms: terms) == [.notRegisteredToDealer])
    }

    // MARK: Authorisation

    @Test func authorisationLapsesTheDayACertificationExpires() {
        // Certified 2024-06-01, valid 24 months: expires 2026-06-01, valid through 2026-05-31.
        let certification = Authorisation.Certification(technicianID: "tec_1", line: .imageprografTM, certifiedOn: Self.date("2024-06-01"),
                                                        requirements: Self.requirements)
        #expect(certification.expiresOn == Self.date("2026-06-01"))
        func status(_ day: String) -> Authorisation.Status {
            Authorisation.status(of: .imageprografTM, on: Self.date(day), certifications: [certification], actions: [],
                                 requirements: Self.requirements).status
        }
        #expect(status("2024-05-31") == .pending)
        #expect(status("2024-06-01") == .authorised)
        #expect(status("2026-05-31") == .authorised)
        #expect(status("2026-06-01") == .lapsed)
        let lapsed = Authorisation.status(of: .imageprografTM, on: Self.date("2026-06-01"), certifications: [certification], actions: [],
                                          requirements: Self.requirements)
        #expect(lapsed.unmet.count == 1 && lapsed.certifiedTechnicians == 0)
        // Another line is untouched by this certification.
        #expect(Authorisation.status(of: .imageprograf, on: Self.date("2025-01-01"), certifications: [certification], actions: [],
                                     requirements: Self.requirements).status == .pending)
    }

    @Test func twoTechniciansNeededCountDistinctTechnicians() {
        let two = AuthorisationRequirements(certificationValidMonths: 24, minimumCertifiedTechniciansPerLine: 2)
        let a = Authorisation.Certification(technicianID: "tec_a", line: .imageprograf, certifiedOn: Self.date("2025-01-01"), requirements: two)
        let aAgain = Authorisation.Certification(technicianID: "tec_a", line: .imageprograf, certifiedOn: Self.date("2025-06-01"), requirements: two)
        let b = Authorisation.Certification(technicianID: "tec_b", line: .imageprograf, certifiedOn: Self.date("2025-09-01"), requirements: two)
        func status(_ day: String, _ certifications: [Authorisation.Certification]) -> Authorisation.Status {
            Authorisation.status(of: .imageprograf, on: Self.date(day), certifications: certifications, actions: [], requirements: two).status
        }
        #expect(status("2025-07-01", [a, aAgain]) == .pending)
        #expect(status("2025-09-01", [a, aAgain, b]) == .authorised)
        // a's first certification expires 2027-01-01; the renewal keeps a counted until 2027-06-01.
        #expect(status("2027-05-31", [a, aAgain, b]) == .authorised)
        #expect(status("2027-06-01", [a, aAgain, b]) == .lapsed)
    }

    @Test func suspensionOverridesRequirementsUntilReinstatedAndHistoryListsEachChange() {
        let certification = Authorisation.Certification(technicianID: "tec_1", line: .imageprografTM, certifiedOn: Self.date("2024-06-01"),
                                                        requirements: Self.requirements)
        let actions = [
            Authorisation.Action(kind: .suspend, line: nil, effectiveOn: Self.date("2025-01-10"), reason: "audit findings"),
            Authorisation.Action(kind: .reinstate, line: .imageprografTM, effectiveOn: Self.date("2025-02-01"), reason: "resolved"),
        ]
        func status(_ line: ProductLineID, _ day: String) -> Authorisation.LineStatus {
            Authorisation.status(of: line, on: Self.date(day), certifications: [certification], actions: actions, requirements: Self.requirements)
        }
        #expect(status(.imageprografTM, "2025-01-09").status == .authorised)
        #expect(status(.imageprografTM, "2025-01-10").status == .suspended)
        #expect(status(.imageprografTM, "2025-01-10").suspensionReason == "audit findings")
        #expect(status(.imageprografTM, "2025-02-01").status == .authorised)
        // The reinstatement named the TM line only; the dealer-wide suspension still holds for the others.
        #expect(status(.imageprograf, "2025-02-01").status == .suspended)
        let history = Authorisation.history(lines: [.imageprografTM], through: Self.date("2026-12-31"), certifications: [certification],
                                            actions: actions, requirements: Self.requirements)
        #expect(history == [
            Authorisation.Change(on: Self.date("2024-06-01"), line: .imageprografTM, status: .authorised),
            Authorisation.Change(on: Self.date("2025-01-10"), line: .imageprografTM, status: .suspended),
            Authorisation.Change(on: Self.date("2025-02-01"), line: .imageprografTM, status: .authorised),
            Authorisation.Change(on: Self.date("2026-06-01"), line: .imageprografTM, status: .lapsed),
        ])
    }

    // MARK: Escalation, serials, catalogue

    @Test func escalationNeedsTheMinimumNumberOfSteps() {
        let terms = SupportTerms(minimumTroubleshootingSteps: 3, escalatedResponse: .businessHours(4))
        #expect(Escalation.missingSteps(recorded: 0, terms: terms) == 3)
        #expect(Escalation.missingSteps(recorded: 2, terms: terms) == 1)
        #expect(Escalation.missingSteps(recorded: 3, terms: terms) == 0)
        #expect(Escalation.missingSteps(recorded: 5, terms: terms) == 0)
    }

    @Test func serialsFollowTheOneSerialRule() {
        #expect(IPFSerial.normalised(" aa012345 ") == "AA012345")
        #expect(IPFSerial.normalised("AA-0123 45") == "AA012345")
        #expect(IPFSerial.normalised("TM.300") == nil)
        #expect(IPFSerial.normalised("ÅÄ1234") == nil)
        #expect(IPFSerial.normalised("AB1") == nil)
        #expect(IPFSerial.normalised(String(repeating: "A", count: 33)) == nil)
    }

    @Test func shippedProgrammeHasTheSeedsLinesAndMarkedAssumptions() throws {
        let programme = try CatalogueLoader.load(path: CatalogueTests.path).imageprograf
        #expect(Set(programme.productLines.map(\.id)) == Set(ProductLineID.allCases))
        #expect(programme.line(forModel: "imageprograf tm-300")?.id == .imageprografTM)
        #expect(programme.line(forModel: "Colortrac L24ei")?.id == .colortracL24ei)
        #expect(programme.line(forModel: "imagePROGRAF TM-999") == nil)
        #expect(programme.eCarePak.termsMonths == [12, 24, 36])
        #expect(programme.support.escalatedResponse == .businessHours(4))
    }

    static let breakages: [(path: [any Sendable], replacement: JSONValue?, field: String)] = [
        (["imageprograf", "currency"], .string("dollars"), "imageprograf.currency"),
        (["imageprograf", "product_lines", 0, "id"], .string("imageprograf-xl"), "imageprograf.product_lines[0].id"),
        (["imageprograf", "product_lines", 1, "warranty_months"], .int(0), "imageprograf.product_lines[1].warranty_months"),
        (["imageprograf", "product_lines", 1, "compensation_schedule"], .string("gold"), "imageprograf.product_lines[1].compensation_schedule"),
        (["imageprograf", "product_lines", 3, "models"], .array([.string("imagePROGRAF TM-300")]), "imageprograf.product_lines[3].models[0]"),
        (["imageprograf", "compensation_schedules", 0, "labour_unit_minutes"], .int(0), "imageprograf.compensation_schedules[0].labour_unit_minutes"),
        (["imageprograf", "compensation_schedules", 1, "parts_handling_markup_basis_points"], .int(-5),
         "imageprograf.compensation_schedules[1].parts_handling_markup_basis_points"),
        (["imageprograf", "compensation_schedules", 1, "id"], .string("tm-series"), "imageprograf.compensation_schedules[1].id"),
        (["imageprograf", "authorisation", "certification_valid_months"], .string("24"), "imageprograf.authorisation.certification_valid_months"),
        (["imageprograf", "ecarepak", "terms_months"], .array([.int(12), .int(12)]), "imageprograf.ecarepak.terms_months[1]"),
        (["imageprograf", "ecarepak", "purchase_grace_days_after_coverage"], nil, "imageprograf.ecarepak.purchase_grace_days_after_coverage"),
        (["imageprograf", "claims", "submission_deadline_days"], .int(-1), "imageprograf.claims.submission_deadline_days"),
        (["imageprograf", "support", "escalated_response", "kind"], .string("soon"), "imageprograf.support.escalated_response.kind"),
        (["imageprograf"], nil, "imageprograf"),
    ]

    @Test(arguments: 0..<breakages.count)
    func invalidProgrammeValuesNameTheirJSONPath(_ index: Int) throws {
        let breakage = Self.breakages[index]
        try CatalogueTests.expectRefused(breakage.path, breakage.replacement, naming: breakage.field)
    }

    @Test func aMisspeltAssumptionIsAnErrorNotIgnored() throws {
        let document = CatalogueTests.editing(try CatalogueTests.shipped(), ["imageprograf", "claims"], .object([
            ("submission_deadline_days", .int(30)), ("max_labour_minutes", .int(600)), ("submision_deadline", .int(10)),
        ]))
        do {
            _ = try CatalogueLoader.parse(document)
            Issue.record("accepted")
        } catch {
            #expect(error.issues.map(\.field) == ["imageprograf.claims.submision_deadline"])
        }
    }
}
