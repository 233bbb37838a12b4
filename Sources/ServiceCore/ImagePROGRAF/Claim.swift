import ServiceJSON

/// A compensation claim as decided when submitted: approved with its
/// amount, or rejected with every reason; an admin later records payment.
public struct IPFClaim: Sendable {
    public enum State: String, Sendable, CaseIterable {
        case approved, rejected, paid
    }

    public struct Reason: Sendable, Equatable {
        public let code: String
        public let message: String
    }

    public let id: String
    public let dealerID: String
    public let serial: String
    public let serviceDate: LocalDate
    public let technicianID: String
    public let labourMinutes: Int
    public let parts: [Compensation.Part]
    public let description: String
    public var state: State
    public let reasons: [Reason]
    public let line: ProductLineID?
    public let currency: String
    public let amountMinor: Int
    /// The amount's inputs and steps, like a billing line's.
    public let explanation: JSONValue
    public let submittedAt: String
    public let submittedOn: LocalDate
    public var paidOn: LocalDate?
    public var paymentReference: String?
    public var version: Int
}

extension Compensation {
    /// The inputs and each step of the amount.
    public func explanation(_ schedule: CompensationSchedule) -> JSONValue {
        .object([
            ("schedule", .string(schedule.id)), ("labour_minutes", .int(labourMinutes)), ("labour_unit_minutes", .int(schedule.labourUnitMinutes)),
            ("labour_units_started", .int(labourUnitsStarted)), ("labour_cap_units_per_call", .int(schedule.labourCapUnitsPerCall)),
            ("labour_units_paid", .int(labourUnitsPaid)), ("labour_rate_minor_per_unit", .int(schedule.labourRateMinorPerUnit)),
            ("labour_minor", .int(labourMinor)), ("parts_cost_minor", .int(partsCostMinor)),
            ("parts_handling_markup_basis_points", .int(schedule.partsMarkupBasisPoints)), ("parts_markup_minor", .int(partsMarkupMinor)),
            ("parts_minor", .int(partsCostMinor + partsMarkupMinor)), ("total_minor", .int(totalMinor)),
            ("rounding", .string("parts total rounded half up once")),
        ])
    }
}
