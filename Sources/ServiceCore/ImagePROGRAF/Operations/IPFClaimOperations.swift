import ServiceJSON

/// Section C of the seed: claims for service on covered devices, validated
/// when submitted and decided at once; payments recorded by an admin.
public enum IPFClaimOperations {
    public struct New: Sendable {
        public let serial: String
        public let serviceDate: LocalDate
        public let technicianID: String
        public let labourMinutes: Int
        public let parts: [Compensation.Part]
        public let description: String

        public init(serial: String, serviceDate: LocalDate, technicianID: String, labourMinutes: Int, parts: [Compensation.Part],
                    description: String) {
            self.serial = serial
            self.serviceDate = serviceDate
            self.technicianID = technicianID
            self.labourMinutes = labourMinutes
            self.parts = parts
            self.description = description
        }
    }

    /// Stores the claim approved with its amount or rejected with every
    /// reason. An unknown technician is bad input (422, nothing stored); a
    /// serial and service date already claimed and not rejected is 409.
    public static func submit(_ connection: Connection, principal: Principal, dealerID: String, _ new: New, programme: IPFProgramme,
                              today: LocalDate) throws -> IPFClaim {
        try IPFAuthorisationOperations.requireDealer(connection, scope: principal.dealerScope, dealerID)
        guard new.serviceDate <= today else { throw IPFFailure.invalid("service_date", "must not be after today (\(today))") }
        guard try IPFTechnicianStore.find(connection, id: new.technicianID, scope: dealerID) != nil else {
            throw IPFFailure.invalid("technician_id", "unknown technician \(new.technicianID) of dealer \(dealerID)")
        }
        if let earlier = try IPFClaimStore.existing(connection, dealerID: dealerID, serial: new.serial, serviceDate: new.serviceDate) {
            throw IPFFailure.conflict("serial \(new.serial) was already claimed for \(new.serviceDate)", details: [("existing_claim_id", earlier)])
        }
        let registration = try IPFRegistrationStore.find(connection, serial: new.serial, scope: dealerID)
        let reasons = try ClaimValidation.reasons(facts(connection, dealerID: dealerID, new, registration, programme, today), terms: programme.claims)
        let schedule = registration.flatMap { programme.schedule(for: $0.line) }
        let compensation = schedule.map { Compensation(labourMinutes: new.labourMinutes, parts: new.parts, schedule: $0) }
        let approved = reasons.isEmpty && compensation != nil
        let claim = IPFClaim(
            id: Identifier.make("clm"), dealerID: dealerID, serial: new.serial, serviceDate: new.serviceDate, technicianID: new.technicianID,
            labourMinutes: new.labourMinutes, parts: new.parts, description: new.description, state: approved ? .approved : .rejected,
            reasons: reasons.map { IPFClaim.Reason(code: $0.code, message: $0.message) }, line: registration?.line, currency: programme.currency,
            amountMinor: approved ? compensation!.totalMinor : 0,
            explanation: approved ? compensation!.explanation(schedule!) : .object([]), submittedAt: Timestamp.now(), submittedOn: today,
            paidOn: nil, paymentReference: nil, version: 1
        )
        try IPFClaimStore.create(connection, claim)
        try audit(connection, principal, "ipf.claim.submit", claim, [("state", .string(claim.state.rawValue)), ("amount_minor", .int(claim.amountMinor))])
        return claim
    }

    static func facts(_ connection: Connection, dealerID: String, _ new: New, _ registration: IPFRegistration?, _ programme: IPFProgramme,
                      _ today: LocalDate) throws -> ClaimValidation.Facts {
        let certifications = try IPFTechnicianStore.certifications(connection, dealerID: dealerID)
        let line = registration?.line
        let status = try line.map {
            try IPFAuthorisationOperations.status(connection, dealerID: dealerID, line: $0, on: new.serviceDate, programme: programme,
                                                  certifications: certifications).status
        }
        return ClaimValidation.Facts(
            registration: registration.map { (line: $0.line, supportModel: $0.supportModel) },
            coverage: registration.flatMap { Coverage.on(new.serviceDate, $0.coveragePeriods(programme)) },
            dealerStatus: status ?? .pending,
            technicianCertified: certifications.contains { $0.technicianID == new.technicianID && $0.line == line && $0.isCurrent(on: new.serviceDate) },
            serviceDate: new.serviceDate, submittedOn: today
        )
    }

    /// An admin records that an approved claim was paid; any other state is 409.
    public static func recordPayment(_ connection: Connection, principal: Principal, claimID: String, reference: String,
                                     paidOn: LocalDate) throws -> IPFClaim {
        guard var claim = try IPFClaimStore.find(connection, id: claimID, scope: principal.dealerScope) else {
            throw IPFFailure.notFound(kind: "claim", id: claimID)
        }
        guard claim.state == .approved else {
            throw IPFFailure.conflict("claim \(claimID) is \(claim.state.rawValue): only an approved claim can be paid", details: [("state", claim.state.rawValue)])
        }
        guard paidOn >= claim.submittedOn else { throw IPFFailure.invalid("paid_on", "must not be before the claim was submitted (\(claim.submittedOn))") }
        claim.state = .paid
        claim.paidOn = paidOn
        claim.paymentReference = reference
        try IPFClaimStore.recordPayment(connection, claim)
        claim.version += 1
        try audit(connection, principal, "ipf.claim.pay", claim, [("payment_reference", .string(reference)), ("paid_on", .string(paidOn.description))])
        return claim
    }

    /// The claims a dealer submitted in a calendar month.
    public static func statement(_ connection: Connection, scope: String?, dealerID: String, year: Int, month: Int,
                                 programme: IPFProgramme) throws -> IPFClaimStatement {
        try IPFAuthorisationOperations.requireDealer(connection, scope: scope, dealerID)
        let empty = IPFClaimStatement(dealerID: dealerID, year: year, month: month, currency: programme.currency, claims: [])
        return IPFClaimStatement(dealerID: dealerID, year: year, month: month, currency: programme.currency,
                                 claims: try IPFClaimStore.submitted(connection, dealerID: dealerID, from: empty.first, through: empty.last))
    }

    private static func audit(_ connection: Connection, _ principal: Principal, _ action: String, _ claim: IPFClaim,
                              _ detail: [(String, JSONValue)]) throws {
        try AuditStore.record(connection, principal: principal, action: action, resourceType: "ipf_claim", resourceID: claim.id,
                              dealerID: claim.dealerID, detail: .object([("serial", .string(claim.serial))] + detail))
    }
}
