import Foundation

/// Receiving a product for servicing and recording what happens to it.
public enum CPSRepairs {
    public struct Intake: Sendable {
        public let membershipNumber: String
        /// A registration id or the product's serial.
        public let product: String
        public let centreID: String
        public let service: ServiceKind
        public let receivedAt: Date
        public let chargeable: Bool

        public init(membershipNumber: String, product: String, centreID: String, service: ServiceKind, receivedAt: Date, chargeable: Bool) {
            self.membershipNumber = membershipNumber
            self.product = product
            self.centreID = centreID
            self.service = service
            self.receivedAt = receivedAt
            self.chargeable = chargeable
        }
    }

    /// The centre, if the caller may act for it: admins for any, a dealer for the partner centre it runs.
    public static func centre(_ connection: Connection, id: String, rules: CPSRules, dealerScope: String?) throws -> ServiceCentre? {
        guard let centre = try rules.servicing.centres.first(where: { $0.id == id }) ?? CPSRepairStore.partner(connection, id: id) else { return nil }
        return dealerScope == nil || centre.dealerID == dealerScope ? centre : nil
    }

    public static func open(_ connection: Connection, _ intake: Intake, dealerScope: String?, rules: CPSRules) throws -> CPSRepair {
        guard let centre = try centre(connection, id: intake.centreID, rules: rules, dealerScope: dealerScope) else {
            throw CPSFailure.notFound(kind: "service centre", id: intake.centreID)
        }
        guard let days = rules.servicing.workingDays(in: centre.country) else {
            throw CPSFailure.conflict("no working-day calendar for \(centre.country)")
        }
        guard let member = try CPSMemberStore.find(connection, membershipNumber: intake.membershipNumber) else {
            // A reference to a missing resource is 404, as everywhere in this API.
            throw CPSFailure.notFound(kind: "CPS member with membership number", id: intake.membershipNumber)
        }
        let record = try CPSMemberRecord.load(connection, member)
        // Level, points and registration as of the day received, not today.
        let receivedOn = days.localDay(of: intake.receivedAt)
        let serial = SerialNumber.normalised(intake.product)
        guard let registration = record.kitbag(on: receivedOn).first(where: { $0.id == intake.product || (serial != nil && $0.details.serial == serial) }),
              let product = rules.product(id: registration.productID) else {
            throw CPSFailure.invalid("product", "is not in this member's Kitbag on \(receivedOn)")
        }
        // One product cannot be received twice; naming no centre, as the open repair may be another dealer's.
        if try CPSRepairStore.isInService(connection, memberID: member.id, registrationID: registration.id) {
            throw CPSFailure.conflict("this product is already in servicing; complete or cancel that repair first")
        }
        let standing = record.standing(on: receivedOn, rules: rules)
        let decision = rules.servicing.turnaround.decide(.init(
            level: standing.level, product: product, registrationComplete: registration.counts(on: receivedOn), service: intake.service,
            centre: centre.kind, alreadyInService: try CPSRepairStore.inServiceCount(connection, memberID: member.id)
        ))
        let start = days.startDay(receivedAt: intake.receivedAt)
        let repair = CPSRepair(
            id: Identifier.make("rep"), memberID: member.id, registrationID: registration.id, productID: product.id, centreID: centre.id,
            dealerID: centre.dealerID, service: intake.service, chargeable: intake.chargeable, receivedAt: intake.receivedAt,
            level: standing.level, points: standing.points, decision: decision, startOn: start,
            targetOn: days.adding(workingDays: decision.workingDays, to: start),
            benefits: .of(service: intake.service, chargeable: intake.chargeable, centre: centre.kind,
                          discountPercent: rules.servicing.maintenanceDiscountPercent)
        )
        try CPSRepairStore.insert(connection, repair)
        return repair
    }

    public static func record(_ connection: Connection, id: String, event: CPSRepair.Event, at instant: Date, shipping: String?,
                              dealerScope: String?, rules: CPSRules) throws -> CPSRepair {
        guard let repair = try CPSRepairStore.find(connection, id: id, dealerScope: dealerScope) else {
            throw CPSFailure.notFound(kind: "repair", id: id)
        }
        if instant < repair.receivedAt { throw CPSFailure.invalid("at", "must not be before the product was received") }
        let day = try localDay(connection, of: instant, at: repair, rules: rules)
        do {
            return try CPSRepairStore.save(connection, try repair.applying(event, on: day, shipping: shipping))
        } catch let error as CPSRepair.TransitionError {
            throw CPSFailure.conflict(error.description, extensions: ["state": repair.state.rawValue])
        }
    }

    /// Records a backup loan: only for an entitled repair, once. `lentOn`
    /// (by default the centre's day at `now`) is a day at the centre: a
    /// centre ahead of the daemon's time zone (Istanbul after 21:00 UTC) is
    /// already on the next day.
    public static func lend(_ connection: Connection, id: String, product: String, lentOn: LocalDate?, now: Date = Date(), today: LocalDate,
                            dealerScope: String?, rules: CPSRules) throws -> CPSRepair {
        guard var repair = try CPSRepairStore.find(connection, id: id, dealerScope: dealerScope) else {
            throw CPSFailure.notFound(kind: "repair", id: id)
        }
        let centreToday = try calendar(connection, centreID: repair.centreID, rules: rules)?.localDay(of: now) ?? today
        let lentOn = lentOn ?? centreToday
        if lentOn > centreToday { throw CPSFailure.invalid("lent_on", "must not be in the future") }
        if lentOn < (try localDay(connection, of: repair.receivedAt, at: repair, rules: rules)) {
            throw CPSFailure.invalid("lent_on", "must not be before the product was received")
        }
        guard repair.loan == nil else { throw CPSFailure.conflict("a backup loan was already recorded for this repair") }
        guard repair.backupLoanEntitled(rules: rules, today: today) else {
            throw CPSFailure.conflict("this repair does not entitle the member to a backup loan")
        }
        repair.loan = CPSRepair.Loan(product: product, lentOn: lentOn)
        return try CPSRepairStore.save(connection, repair)
    }

    /// The turnaround report over repairs completed from `from` through `to` within the caller's scope,
    /// each repair's working days counted on its centre's calendar.
    public static func turnaroundReport(_ connection: Connection, from: LocalDate, to: LocalDate, dealerScope: String?,
                                        rules: CPSRules) throws -> [TurnaroundReportRow] {
        let repairs = try CPSRepairStore.completed(connection, from: from, to: to, dealerScope: dealerScope)
        var calendars: [String: WorkingDays] = [:]
        for centreID in Set(repairs.map(\.centreID)) {
            calendars[centreID] = try calendar(connection, centreID: centreID, rules: rules)
        }
        return TurnaroundReportRow.rows(repairs, rules: rules) { repair in
            calendars[repair.centreID]?.workingDays(from: repair.startOn, to: repair.completedOn!) ?? 0
        }
    }

    /// The day `instant` falls on at the repair's centre.
    static func localDay(_ connection: Connection, of instant: Date, at repair: CPSRepair, rules: CPSRules) throws -> LocalDate {
        try calendar(connection, centreID: repair.centreID, rules: rules)?.localDay(of: instant) ?? repair.startOn
    }

    /// The working-day calendar of a centre's country.
    static func calendar(_ connection: Connection, centreID: String, rules: CPSRules) throws -> WorkingDays? {
        try centre(connection, id: centreID, rules: rules, dealerScope: nil).flatMap { rules.servicing.workingDays(in: $0.country) }
    }

    public static func returnLoan(_ connection: Connection, id: String, on day: LocalDate, today: LocalDate, dealerScope: String?) throws -> CPSRepair {
        guard var repair = try CPSRepairStore.find(connection, id: id, dealerScope: dealerScope) else {
            throw CPSFailure.notFound(kind: "repair", id: id)
        }
        guard var loan = repair.loan, loan.returnedOn == nil else { throw CPSFailure.conflict("no backup loan out for this repair") }
        if day > today || day < loan.lentOn { throw CPSFailure.invalid("returned_on", "must lie between the loan and today") }
        loan.returnedOn = day
        repair.loan = loan
        return try CPSRepairStore.save(connection, repair)
    }
}
