/// The imagePROGRAF dealer programme's part of the catalogue (seed 000):
/// product lines, compensation schedules and the numbers the seed leaves
/// open (every one an assumption, see docs/imageprograf.md).
public struct IPFProgramme: Sendable {
    public let currency: String
    public let productLines: [ProductLine]
    public let schedules: [CompensationSchedule]
    public let authorisation: AuthorisationRequirements
    public let eCarePak: ECarePakTerms
    public let claims: ClaimTerms
    public let support: SupportTerms

    public init(currency: String, productLines: [ProductLine], schedules: [CompensationSchedule], authorisation: AuthorisationRequirements,
                eCarePak: ECarePakTerms, claims: ClaimTerms, support: SupportTerms) {
        self.currency = currency
        self.productLines = productLines
        self.schedules = schedules
        self.authorisation = authorisation
        self.eCarePak = eCarePak
        self.claims = claims
        self.support = support
    }

    public func line(_ id: ProductLineID) -> ProductLine? { productLines.first { $0.id == id } }

    /// The product line of a model; names match case-insensitively on the full name.
    public func line(forModel model: String) -> ProductLine? {
        let wanted = model.lowercased()
        return productLines.first { line in line.models.contains { $0.lowercased() == wanted } }
    }

    public func schedule(_ id: String) -> CompensationSchedule? { schedules.first { $0.id == id } }

    /// The schedule a line's claims are paid by: the one named for the line
    /// whose compensation process it follows (the loader checks they agree).
    public func schedule(for line: ProductLineID) -> CompensationSchedule? {
        self.line(line.compensationProcess).flatMap { schedule($0.scheduleID) }
    }
}

public struct ProductLine: Sendable {
    public let id: ProductLineID
    public let name: String
    public let models: [String]
    public let warrantyMonths: Int
    public let scheduleID: String

    public init(id: ProductLineID, name: String, models: [String], warrantyMonths: Int, scheduleID: String) {
        self.id = id
        self.name = name
        self.models = models
        self.warrantyMonths = warrantyMonths
        self.scheduleID = scheduleID
    }
}

/// How a claim's labour and parts are paid: labour per started unit of
/// time, capped per call; parts at cost plus a handling mark-up.
public struct CompensationSchedule: Sendable, Equatable {
    public let id: String
    public let name: String
    public let labourUnitMinutes: Int
    public let labourRateMinorPerUnit: Int
    public let labourCapUnitsPerCall: Int
    /// 1 000 = 10 %.
    public let partsMarkupBasisPoints: Int

    public init(id: String, name: String, labourUnitMinutes: Int, labourRateMinorPerUnit: Int, labourCapUnitsPerCall: Int,
                partsMarkupBasisPoints: Int) {
        self.id = id
        self.name = name
        self.labourUnitMinutes = labourUnitMinutes
        self.labourRateMinorPerUnit = labourRateMinorPerUnit
        self.labourCapUnitsPerCall = labourCapUnitsPerCall
        self.partsMarkupBasisPoints = partsMarkupBasisPoints
    }
}

public struct AuthorisationRequirements: Sendable {
    /// A certification is valid from its date for this many months; it
    /// expires (is no longer valid) on the same day of the month that many months later.
    public let certificationValidMonths: Int
    public let minimumCertifiedTechniciansPerLine: Int

    public init(certificationValidMonths: Int, minimumCertifiedTechniciansPerLine: Int) {
        self.certificationValidMonths = certificationValidMonths
        self.minimumCertifiedTechniciansPerLine = minimumCertifiedTechniciansPerLine
    }
}

public struct ECarePakTerms: Sendable {
    public let termsMonths: [Int]
    /// Days after the last covered day within which an eCarePak may still be bought (0: only while covered).
    public let purchaseGraceDays: Int

    public init(termsMonths: [Int], purchaseGraceDays: Int) {
        self.termsMonths = termsMonths
        self.purchaseGraceDays = purchaseGraceDays
    }
}

public struct ClaimTerms: Sendable {
    /// A claim must be submitted at most this many days after the service date.
    public let submissionDeadlineDays: Int
    public let maxLabourMinutes: Int

    public init(submissionDeadlineDays: Int, maxLabourMinutes: Int) {
        self.submissionDeadlineDays = submissionDeadlineDays
        self.maxLabourMinutes = maxLabourMinutes
    }
}

public struct SupportTerms: Sendable {
    public let minimumTroubleshootingSteps: Int
    public let escalatedResponse: ResponseTime

    public init(minimumTroubleshootingSteps: Int, escalatedResponse: ResponseTime) {
        self.minimumTroubleshootingSteps = minimumTroubleshootingSteps
        self.escalatedResponse = escalatedResponse
    }
}
