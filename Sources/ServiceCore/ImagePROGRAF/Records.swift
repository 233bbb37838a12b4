/// What the programme stores: technicians with their certifications, and
/// ASCR registrations with their eCarePaks and transfers.
public struct IPFTechnician: Sendable, Equatable {
    public let id: String
    public let dealerID: String
    public let name: String
    public var certifications: [Authorisation.Certification]
    public let version: Int
    public let createdAt: String
}

public struct IPFRegistration: Sendable, Equatable {
    public struct EndCustomer: Sendable, Equatable {
        public let name: String
        public let address: String
        /// ISO 3166-1 alpha-2.
        public let country: String

        public init(name: String, address: String, country: String) {
            self.name = name
            self.address = address
            self.country = country
        }
    }

    public struct Transfer: Sendable, Equatable {
        public let fromDealerID: String
        public let toDealerID: String
        public let reason: String
        public let at: String
    }

    public let serial: String
    public let dealerID: String
    public let model: String
    public let line: ProductLineID
    public let endCustomer: EndCustomer
    public let installedOn: LocalDate
    public let supportModel: SupportModel
    public var eCarePaks: [Coverage.ECarePak]
    public var transfers: [Transfer]
    public let version: Int
    public let createdAt: String

    /// Warranty and eCarePaks, back to back.
    public func coveragePeriods(_ programme: IPFProgramme) -> [Coverage.Period] {
        Coverage.periods(installedOn: installedOn, warrantyMonths: programme.line(line)?.warrantyMonths ?? 0, eCarePaks: eCarePaks)
    }
}

/// Why a programme operation did not happen; the API turns each into its
/// problem document. Nothing was changed.
public enum IPFFailure: Error, Sendable {
    /// Absent, or another dealer's: the same answer for both.
    case notFound(kind: String, id: String)
    case conflict(String, details: [(String, String)] = [])
    case invalid(ValidationFailure)

    static func invalid(_ field: String, _ message: String) -> IPFFailure {
        .invalid(ValidationFailure(field: field, message: message))
    }
}
