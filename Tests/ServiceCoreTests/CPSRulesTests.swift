import Testing
@testable import ServiceCore

/// The CPS rules against figures worked out by hand (DOMAIN.md section 3 with
/// the catalogue's assumptions: superseded 50 %, floor 10 %, both rounded up;
/// Silver 100, Gold 500, Platinum 1 500).
@Suite struct CPSRulesTests {
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    /// Base 85, superseded on 2025-03-01, out of service from 2026-09-01.
    static let lens = CPSProduct(id: "lens", name: "Test lens", category: .rfLens, video: false, basePoints: 85, fastTrackEligible: true,
                                 releasedOn: date("2019-01-01"), supersededOn: date("2025-03-01"), serviceEndsOn: date("2026-09-01"))
    static let body = CPSProduct(id: "body", name: "Test body", category: .cameraBody, video: false, basePoints: 60, fastTrackEligible: true)
    static let flash = CPSProduct(id: "flash", name: "Test flash", category: .speedlite, video: false, basePoints: 15, fastTrackEligible: false,
                                  supersededOn: date("2024-01-01"))
    static let printer = CPSProduct(id: "printer", name: "Test printer", category: .imagePROGRAFPro, video: false, basePoints: 40,
                                    fastTrackEligible: false)

    static func rules(points: PointsRules = PointsRules(supersededPercent: 50, floorPercent: 10)) -> CPSRules {
        CPSRules(
            points: points, levels: LevelThresholds(silver: 100, gold: 500, platinum: 1500),
            subscription: SubscriptionRules(invitedFrom: 500, silverFrom: 500, goldFrom: 1000, anyLevelFrom: 2000, corporateAbove: 2500,
                                            currency: "EUR", annualPriceMinor: [.silver: 9900, .gold: 19900, .platinum: 39900, .corporate: 99900],
                                            bankTransferFeeMinor: 500, dueAfterDays: 30, termMonths: 12),
            participatingCountries: ["NO", "IT", "ZA"], products: [lens, body, flash, printer],
            servicing: CPSServicingTests.servicing
        )
    }

    static let complete = Registration.Details(serial: "1234567", countryOfPurchase: "NO", purchasedOn: date("2024-05-01"), store: "Foto AS")

    static func registration(_ id: String, _ product: CPSProduct, member: String = "m1", on day: String = "2025-01-10",
                             details: Registration.Details = complete) -> Registration {
        Registration(id: id, memberID: member, productID: product.id, details: details, addedOn: date(day), startReason: .registered,
                     completedOn: details.isComplete ? date(day) : nil)
    }

    @Test func pointsOfAProductOnADate() {
        let points = Self.rules().points
        // base 85 until the day before supersession
        #expect(points.points(of: Self.lens, on: Self.date("2025-02-28")) == 85)
        // superseded: max(floor, ceil(85 x 0.5 = 42.5)) = max(9, 43) = 43
        #expect(points.points(of: Self.lens, on: Self.date("2025-03-01")) == 43)
        #expect(points.points(of: Self.lens, on: Self.date("2026-08-31")) == 43)
        // end of service: the floor ceil(85 x 0.1 = 8.5) = 9
        #expect(points.points(of: Self.lens, on: Self.date("2026-09-01")) == 9)
        // 15 superseded: ceil(7.5) = 8 against the floor ceil(1.5) = 2
        #expect(points.points(of: Self.flash, on: Self.date("2024-01-01")) == 8)
        // a superseded share under the floor gives the floor: max(ceil(100 x 0.1) = 10, ceil(100 x 0.05) = 5) = 10
        let low = PointsRules(supersededPercent: 5, floorPercent: 10)
        let hundred = CPSProduct(id: "h", name: "h", category: .rfLens, video: false, basePoints: 100, fastTrackEligible: false,
                                 supersededOn: Self.date("2025-01-01"))
        #expect(low.points(of: hundred, on: Self.date("2025-01-01")) == 10)
    }

    /// Products found by id through the one table of ids, and what one is
    /// worth on a date; an id the catalogue lacks is no product and no points.
    @Test func catalogueLooksProductsUpByID() {
        let rules = Self.rules()
        #expect(rules.product(id: "lens") == Self.lens && rules.product(id: "printer") == Self.printer)
        #expect(rules.product(id: "flash")?.name == "Test flash")
        for unknown in ["", "Lens", "len", "lenses", "printer "] { #expect(rules.product(id: unknown) == nil, "\(unknown)") }
        // base 60; the lens superseded: ceil(85 x 0.5) = 43
        #expect(rules.points(ofProduct: "body", on: Self.date("2025-03-01")) == 60)
        #expect(rules.points(ofProduct: "lens", on: Self.date("2025-03-01")) == 43)
        #expect(rules.points(ofProduct: "tripod", on: Self.date("2025-03-01")) == nil)
    }

    @Test func memberTotalAndLevelAroundSupersessionAndEndOfService() {
        let rules = Self.rules()
        let kitbag = [Self.registration("r1", Self.lens), Self.registration("r2", Self.body)]
        let member = CPSMember(id: "m1", membershipNumber: "CPS1", name: "A", email: "a@example.com", country: "NO", programme: .free,
                               createdAt: "", updatedAt: "")
        func standing(_ day: String) -> MemberStanding {
            MemberStanding(member: member, registrations: kitbag, invoices: [], on: Self.date(day), rules: rules)
        }
        // 85 + 60 = 145: Silver, 500 - 145 = 355 to Gold
        #expect(standing("2025-02-28") == MemberStanding.expected("2025-02-28", 145, .silver, 355))
        // 43 + 60 = 103: still Silver, 397 to Gold
        #expect(standing("2025-03-01") == MemberStanding.expected("2025-03-01", 103, .silver, 397))
        #expect(standing("2026-08-31") == MemberStanding.expected("2026-08-31", 103, .silver, 397))
        // 9 + 60 = 69: Red, 31 to Silver
        #expect(standing("2026-09-01") == MemberStanding.expected("2026-09-01", 69, .red, 31))
        // before the registrations: nothing
        #expect(standing("2025-01-09") == MemberStanding.expected("2025-01-09", 0, .red, 100))

        let history = PointsLedger(rules: rules).history(kitbag, through: Self.date("2026-12-31"))
        #expect(history.map { "\($0.date) \($0.productID) \($0.reason.rawValue) \($0.change) \($0.totalBefore)->\($0.totalAfter)" } == [
            "2025-01-10 lens registered 85 0->85",
            "2025-01-10 body registered 60 85->145",
            "2025-03-01 lens superseded -42 145->103",
            "2026-09-01 lens service_ended -34 103->69",
        ])
        // the history up to a date stops there
        #expect(PointsLedger(rules: rules).history(kitbag, through: Self.date("2025-02-28")).count == 2)
    }

    @Test(arguments: [
        (99, CPSLevel.red, 1), (100, .silver, 400), (499, .silver, 1), (500, .gold, 1000), (1499, .gold, 1), (1500, .platinum, nil),
        (0, .red, 100),
    ] as [(Int, CPSLevel, Int?)])
    func levelThresholds(_ points: Int, _ level: CPSLevel, _ toNext: Int?) {
        let levels = Self.rules().levels
        #expect(levels.level(for: points) == level)
        #expect(levels.pointsToNextLevel(from: points) == toNext)
    }

    @Test(arguments: [
        (499, [CPSLevel]()), (500, [.silver]), (999, [.silver]), (1000, [.silver, .gold]), (1999, [.silver, .gold]),
        (2000, [.silver, .gold, .platinum]), (2500, [.silver, .gold, .platinum]), (2501, [.silver, .gold, .platinum, .corporate]),
    ] as [(Int, [CPSLevel])])
    func subscriptionOptions(_ points: Int, _ levels: [CPSLevel]) {
        let rules = Self.rules().subscription
        #expect(rules.options(points: points).map(\.level) == levels)
        #expect(rules.isInvited(points: points) == (points >= 500))
    }

    @Test func incompleteRegistrationCompletedLater() {
        let rules = Self.rules()
        let partial = Registration.Details(serial: "99887766", countryOfPurchase: "IT")
        let added = Self.registration("r1", Self.body, on: "2025-05-01", details: partial)
        #expect(added.details.missing == ["purchased_on", "store"])
        #expect(added.completedOn == nil)
        #expect(PointsLedger(rules: rules).total([added], on: Self.date("2025-05-10")) == 0)
        let halfway = added.updating({ $0.store = "Milano Foto" }, today: Self.date("2025-05-12"))
        #expect(halfway.completedOn == nil && halfway.details.missing == ["purchased_on"])
        let done = halfway.updating({ $0.purchasedOn = Self.date("2025-04-30") }, today: Self.date("2025-05-20"))
        #expect(done.completedOn == Self.date("2025-05-20"))
        // counted from the day it was completed: 0 the day before, 60 that day
        #expect(PointsLedger(rules: rules).total([done], on: Self.date("2025-05-19")) == 0)
        #expect(PointsLedger(rules: rules).total([done], on: Self.date("2025-05-20")) == 60)
        let history = PointsLedger(rules: rules).history([done], through: Self.date("2025-12-31"))
        #expect(history.map(\.reason) == [.completed])
        #expect(history.first?.date == Self.date("2025-05-20"))
        // a later change does not move the day it counted from
        #expect(done.updating({ $0.store = "Other" }, today: Self.date("2025-06-01")).completedOn == Self.date("2025-05-20"))
    }

    @Test func greyImportHasNoLocalWarrantyButCounts() {
        let rules = Self.rules()
        var details = Self.complete
        details.countryOfPurchase = "US"
        let grey = Self.registration("r1", Self.printer, details: details)
        #expect(grey.localWarranty(participating: rules.participatingCountries) == false)
        #expect(Self.registration("r2", Self.printer).localWarranty(participating: rules.participatingCountries) == true)
        // 40 points all the same
        #expect(PointsLedger(rules: rules).total([grey], on: Self.date("2025-01-10")) == 40)
    }

    @Test func removalEndsCountingOnTheDayAndTheHistorySaysSo() {
        let rules = Self.rules()
        var removed = Self.registration("r1", Self.body)
        removed.endedOn = Self.date("2025-02-01")
        removed.endReason = .removed
        #expect(PointsLedger(rules: rules).total([removed], on: Self.date("2025-01-31")) == 60)
        #expect(PointsLedger(rules: rules).total([removed], on: Self.date("2025-02-01")) == 0)
        let history = PointsLedger(rules: rules).history([removed], through: Self.date("2025-12-31"))
        #expect(history.map { "\($0.reason.rawValue) \($0.change) \($0.totalAfter)" } == ["registered 60 60", "removed -60 0"])
    }

    @Test func migrationMovesThreeProducts() throws {
        let rules = Self.rules()
        let old = CPSMember(id: "old", membershipNumber: "CPS1", name: "A", email: "old@example.com", country: "NO", programme: .free,
                            createdAt: "", updatedAt: "")
        let new = CPSMember(id: "new", membershipNumber: nil, name: "A AS", email: "a@business.example", country: "NO",
                            programme: .subscription, createdAt: "", updatedAt: "")
        var gone = Self.registration("r0", Self.flash, member: "old")
        gone.endedOn = Self.date("2025-01-20")
        gone.endReason = .removed
        let kitbag = [
            Self.registration("r1", Self.lens, member: "old"), Self.registration("r2", Self.body, member: "old"),
            Self.registration("r3", Self.printer, member: "old", details: Registration.Details(serial: "P1")), gone,
        ]
        var next = 0
        let plan = try MigrationPlan.plan(target: new, source: old, kitbag: kitbag, today: Self.date("2025-02-15")) {
            next += 1
            return "n\(next)"
        }
        guard case .move(let source, let ended, let added) = plan else { Issue.record("expected a move"); return }
        #expect(source.id == "old")
        #expect(ended.map(\.id) == ["r1", "r2", "r3"])
        #expect(ended.allSatisfy { $0.endedOn == Self.date("2025-02-15") && $0.endReason == .migratedOut })
        #expect(added.map(\.id) == ["n1", "n2", "n3"] && added.allSatisfy { $0.memberID == "new" && $0.startReason == .migratedIn })
        // the incomplete printer moves incomplete
        #expect(added.map { $0.completedOn != nil } == [true, true, false])
        let ledger = PointsLedger(rules: rules)
        let oldAfter = ended + [gone]
        // old: lens 85 + body 60 = 145 until the day before; 0 on the day
        #expect(ledger.total(oldAfter, on: Self.date("2025-02-14")) == 145)
        #expect(ledger.total(oldAfter, on: Self.date("2025-02-15")) == 0)
        #expect(ledger.total(added, on: Self.date("2025-02-15")) == 145)
        #expect(ledger.history(oldAfter, through: Self.date("2025-02-15")).suffix(2).map(\.reason) == [.migratedOut, .migratedOut])
        #expect(ledger.history(added, through: Self.date("2025-02-15")).map { "\($0.reason.rawValue) \($0.change)" }
                == ["migrated_in 85", "migrated_in 60"])

        var closed = old
        closed.migratedTo = "new"
        #expect(try MigrationPlan.plan(target: new, source: closed, kitbag: oldAfter, today: Self.date("2025-02-16")) { "x" }
                == .alreadyDone(source: closed))
        let elsewhere = CPSMember(id: "third", membershipNumber: nil, name: "B", email: "b@example.com", country: "NO", programme: .subscription,
                              createdAt: "", updatedAt: "")
        #expect(throws: MigrationPlan.Refusal.alreadyMigrated) {
            try MigrationPlan.plan(target: elsewhere, source: closed, kitbag: [], today: Self.date("2025-02-16")) { "x" }
        }
        #expect(throws: MigrationPlan.Refusal.unknownEmail) {
            try MigrationPlan.plan(target: new, source: nil, kitbag: [], today: Self.date("2025-02-16")) { "x" }
        }
    }

    @Test func oneWelcomePackPerMemberEver() throws {
        let rules = Self.rules()
        let member = CPSMember(id: "m1", membershipNumber: "CPS1", name: "A", email: "a@example.com", country: "NO", programme: .free,
                               createdAt: "", updatedAt: "")
        let silver = MemberStanding(member: member, registrations: [Self.registration("r1", Self.lens), Self.registration("r2", Self.body)],
                                    invoices: [], on: Self.date("2025-02-01"), rules: rules)
        let red = MemberStanding(member: member, registrations: [], invoices: [], on: Self.date("2025-02-01"), rules: rules)
        try WelcomePack.check(member: member, standing: silver, existing: nil)
        #expect(throws: WelcomePack.Refusal.self) { try WelcomePack.check(member: member, standing: red, existing: nil) }
        let pack = WelcomePack(id: "wp1", memberID: "m1", levelAtRequest: .silver,
                               address: .init(recipient: "A", line1: "Gate 1", line2: nil, postalCode: "0150", city: "Oslo", country: "NO"),
                               requestedOn: Self.date("2025-02-01"))
        // a second request, even after the level dropped to Red
        #expect(throws: WelcomePack.Refusal.alreadyRequested(packID: "wp1")) {
            try WelcomePack.check(member: member, standing: red, existing: pack)
        }
        #expect(throws: WelcomePack.Refusal.alreadyRequested(packID: "wp1")) {
            try WelcomePack.check(member: member, standing: silver, existing: pack)
        }
    }

    @Test func invoiceDueDateTermAndStates() throws {
        let rules = Self.rules().subscription
        // issued 2026-01-31: + 30 days = 2026-03-02 (28 days to 28 February, 2 more)
        let card = try #require(CPSInvoice.issue(id: "i1", memberID: "m1", level: .gold, method: .card, termStartsOn: Self.date("2026-01-31"),
                                                 issuedOn: Self.date("2026-01-31"), rules: rules))
        #expect(card.dueOn == Self.date("2026-03-02"))
        #expect(card.termEndsOn == Self.date("2027-01-30"))
        #expect(card.totalMinor == 19900 && card.feeMinor == 0 && card.currency == "EUR")
        #expect(card.state(on: Self.date("2026-03-02")) == .chargeScheduled)
        #expect(card.state(on: Self.date("2026-03-03")) == .overdue)
        let bank = try #require(CPSInvoice.issue(id: "i2", memberID: "m1", level: .silver, method: .bankTransfer,
                                                 termStartsOn: Self.date("2024-02-29"), issuedOn: Self.date("2024-02-29"), rules: rules))
        // 9 900 + the 500 transfer fee
        #expect(bank.totalMinor == 10400)
        #expect(bank.state(on: Self.date("2024-03-01")) == .awaitingPayment)
        // a year from 29 February 2024 ends on 28 February 2025
        #expect(bank.termEndsOn == Self.date("2025-02-28"))
        var paid = bank
        paid = CPSInvoice(id: paid.id, memberID: paid.memberID, level: paid.level, paymentMethod: paid.paymentMethod,
                          termStartsOn: paid.termStartsOn, termEndsOn: paid.termEndsOn, issuedOn: paid.issuedOn, dueOn: paid.dueOn,
                          amountMinor: paid.amountMinor, feeMinor: paid.feeMinor, currency: paid.currency, paidOn: Self.date("2024-04-30"))
        #expect(paid.state(on: Self.date("2024-05-01")) == .paid)
    }
}

extension MemberStanding {
    static func expected(_ day: String, _ points: Int, _ level: CPSLevel, _ toNext: Int?) -> ExpectedStanding {
        ExpectedStanding(on: LocalDate(day)!, points: points, level: level, toNext: toNext)
    }

    static func == (lhs: MemberStanding, rhs: ExpectedStanding) -> Bool {
        lhs.on == rhs.on && lhs.points == rhs.points && lhs.level == rhs.level && lhs.pointsToNextLevel == rhs.toNext
    }
}

struct ExpectedStanding {
    let on: LocalDate
    let points: Int
    let level: CPSLevel
    let toNext: Int?
}
