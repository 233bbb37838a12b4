/// Section C of the seed: the dealer is compensated for service on a device
/// in warranty or under an eCarePak. A claim is checked against every rule
/// and, when any fails, rejected with all the reasons at once.
public enum ClaimValidation {
    public enum Reason: Sendable, Equatable {
        /// The serial is not registered in ASCR to the claiming dealer.
        case notRegisteredToDealer
        /// The registration says the manufacturer services the device.
        case manufacturerSupportModel
        case notCovered(serviceDate: LocalDate)
        case dealerNotAuthorised(line: ProductLineID, status: Authorisation.Status)
        case technicianNotCertified(line: ProductLineID)
        case submittedLate(deadline: LocalDate)

        public var code: String {
            switch self {
            case .notRegisteredToDealer: "not_registered_to_dealer"
            case .manufacturerSupportModel: "manufacturer_support_model"
            case .notCovered: "not_covered"
            case .dealerNotAuthorised: "dealer_not_authorised"
            case .technicianNotCertified: "technician_not_certified"
            case .submittedLate: "submitted_late"
            }
        }

        public var message: String {
            switch self {
            case .notRegisteredToDealer: "the serial is not registered to this dealer in ASCR"
            case .manufacturerSupportModel: "the device is registered with support model manufacturer: the manufacturer services it"
            case .notCovered(let date): "the device is neither in warranty nor under an eCarePak on \(date)"
            case .dealerNotAuthorised(let line, let status): "the dealer is not authorised for \(line.rawValue) on the service date (\(status.rawValue))"
            case .technicianNotCertified(let line): "the technician holds no current \(line.rawValue) certification on the service date"
            case .submittedLate(let deadline): "submitted after the deadline \(deadline)"
            }
        }
    }

    /// What the rules need to know about a claim, gathered at its edges.
    public struct Facts: Sendable {
        /// Nil when the serial is not registered to the claiming dealer.
        public var registration: (line: ProductLineID, supportModel: SupportModel)?
        public var coverage: Coverage.Period?
        public var dealerStatus: Authorisation.Status
        public var technicianCertified: Bool
        public var serviceDate: LocalDate
        public var submittedOn: LocalDate

        public init(registration: (line: ProductLineID, supportModel: SupportModel)?, coverage: Coverage.Period?,
                    dealerStatus: Authorisation.Status, technicianCertified: Bool, serviceDate: LocalDate, submittedOn: LocalDate) {
            self.registration = registration
            self.coverage = coverage
            self.dealerStatus = dealerStatus
            self.technicianCertified = technicianCertified
            self.serviceDate = serviceDate
            self.submittedOn = submittedOn
        }
    }

    /// Every rule the claim breaks; empty when it is to be approved. Rules
    /// about the device's line need a registration, so an unregistered
    /// serial is rejected for that and for lateness only.
    public static func reasons(_ facts: Facts, terms: ClaimTerms) -> [Reason] {
        var reasons: [Reason] = []
        if let registration = facts.registration {
            if registration.supportModel == .manufacturer { reasons.append(.manufacturerSupportModel) }
            if facts.coverage == nil { reasons.append(.notCovered(serviceDate: facts.serviceDate)) }
            if facts.dealerStatus != .authorised { reasons.append(.dealerNotAuthorised(line: registration.line, status: facts.dealerStatus)) }
            if !facts.technicianCertified { reasons.append(.technicianNotCertified(line: registration.line)) }
        } else {
            reasons.append(.notRegisteredToDealer)
        }
        let deadline = facts.serviceDate.adding(days: terms.submissionDeadlineDays)
        if facts.submittedOn > deadline { reasons.append(.submittedLate(deadline: deadline)) }
        return reasons
    }
}

/// Who services a registered device (assumption for the seed's "support model").
public enum SupportModel: String, Sendable, CaseIterable {
    case dealer, manufacturer
}
