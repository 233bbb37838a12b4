import Foundation

/// A product in servicing: the turnaround decided when it was received (level
/// and points as of that day), its target, and what happened since.
public struct CPSRepair: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case received, diagnosed
        case waitingForParts = "waiting_for_parts"
        case completed, returned, cancelled

        /// Counts toward the member's products in servicing.
        public var isInService: Bool { self == .received || self == .diagnosed || self == .waitingForParts }
    }

    public enum Event: String, Sendable, CaseIterable {
        case diagnosed
        case waitingForParts = "waiting_for_parts"
        case completed, returned, cancelled
    }

    public let id: String
    public let memberID: String
    public let registrationID: String
    public let productID: String
    public let centreID: String
    /// The dealer running the centre, for a partner; nil at a PSC or CEC.
    public let dealerID: String?
    public let service: ServiceKind
    public let chargeable: Bool
    public let receivedAt: Date
    public let level: CPSLevel?
    public let points: Int
    public let decision: TurnaroundRules.Decision
    public let startOn: LocalDate
    public let targetOn: LocalDate
    public let benefits: ChargeableBenefits
    public var state: State
    public var completedOn: LocalDate?
    public var returnedShipping: String?
    public var loan: Loan?
    /// When the daemon raised that the target was missed (`cps_repair.target_missed`); nil until then.
    public var targetMissedAt: Date?
    public var version: Int

    /// A courtesy backup loan: what was lent, when, and when it came back.
    public struct Loan: Sendable, Equatable {
        public let product: String
        public let lentOn: LocalDate
        public var returnedOn: LocalDate?

        public init(product: String, lentOn: LocalDate, returnedOn: LocalDate? = nil) {
            self.product = product
            self.lentOn = lentOn
            self.returnedOn = returnedOn
        }
    }

    public init(id: String, memberID: String, registrationID: String, productID: String, centreID: String, dealerID: String?,
                service: ServiceKind, chargeable: Bool, receivedAt: Date, level: CPSLevel?, points: Int,
                decision: TurnaroundRules.Decision, startOn: LocalDate, targetOn: LocalDate, benefits: ChargeableBenefits,
                state: State = .received, completedOn: LocalDate? = nil, returnedShipping: String? = nil, loan: Loan? = nil,
                targetMissedAt: Date? = nil, version: Int = 1) {
        self.id = id
        self.memberID = memberID
        self.registrationID = registrationID
        self.productID = productID
        self.centreID = centreID
        self.dealerID = dealerID
        self.service = service
        self.chargeable = chargeable
        self.receivedAt = receivedAt
        self.level = level
        self.points = points
        self.decision = decision
        self.startOn = startOn
        self.targetOn = targetOn
        self.benefits = benefits
        self.state = state
        self.completedOn = completedOn
        self.returnedShipping = returnedShipping
        self.loan = loan
        self.targetMissedAt = targetMissedAt
        self.version = version
    }

    /// The target is missed once the centre's target day is over with the product still in servicing;
    /// a repair completed on its target day met it, a cancelled one has no target left.
    public func missesTarget(onCentreDay day: LocalDate) -> Bool {
        state.isInService && day > targetOn
    }

    /// Whether the member may have a courtesy backup loan on `today`: the catalogue's levels when the
    /// target is missed (completed after it, or still open past it: it can no longer be met) or a
    /// video target is over the catalogue's days. A cancelled repair entitles to nothing.
    public func backupLoanEntitled(rules: CPSRules, today: LocalDate) -> Bool {
        guard state != .cancelled else { return false }
        return rules.servicing.turnaround.backupLoanEntitled(
            level: level, video: rules.product(id: productID)?.video ?? false, targetWorkingDays: decision.workingDays,
            targetOn: targetOn, completedOn: completedOn ?? (today > targetOn ? today : nil))
    }

    public struct TransitionError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The repair after `event`; events that do not fit the state are refused.
    public func applying(_ event: Event, on day: LocalDate, shipping: String?) throws(TransitionError) -> CPSRepair {
        var next = self
        switch (state, event) {
        case (.received, .diagnosed), (.waitingForParts, .diagnosed):
            next.state = .diagnosed
        case (.received, .waitingForParts), (.diagnosed, .waitingForParts):
            next.state = .waitingForParts
        case (.received, .completed), (.diagnosed, .completed), (.waitingForParts, .completed):
            next.state = .completed
            next.completedOn = day
        case (.completed, .returned):
            next.state = .returned
            next.returnedShipping = shipping
        case (.received, .cancelled), (.diagnosed, .cancelled), (.waitingForParts, .cancelled):
            next.state = .cancelled
        default:
            throw TransitionError(description: "a \(state.rawValue) repair cannot be \(event.rawValue)")
        }
        return next
    }
}
