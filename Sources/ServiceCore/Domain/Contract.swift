/// A service contract: devices of one customer covered from `startsOn` to
/// `endsOn` inclusive (or to `terminatedOn`, the last covered day, when
/// terminated early), with a dated history of tiers.
public struct Contract: Sendable, Equatable {
    public let id: String
    public let customerID: String
    public let dealerID: String
    public let deviceSerials: SerialList
    public let startsOn: LocalDate
    public let endsOn: LocalDate
    public let terminatedOn: LocalDate?
    public let prepaidAmountMinor: Int
    public let prepaidCurrency: String
    public let implementationPackage: String
    /// Included services of the package this contract removes ("kan nedgraderes").
    public let downgrades: [String]
    public let options: [String]
    public let bannerAgreed: Bool
    public let bannerClickPriceMinor: Int?
    /// Ordered by date; the first entry is effective on `startsOn`.
    public let tierHistory: [TierChange]
    public let version: Int
    public let createdAt: String
    public let updatedAt: String
    /// How often the prepaid sum is invoiced in advance. Defaulted so that
    /// contracts built in code before prepaid invoicing need not name it.
    public var billingFrequency: BillingFrequency = .yearly

    public struct TierChange: Sendable, Equatable {
        public let effectiveOn: LocalDate
        public let tier: TierID

        public init(effectiveOn: LocalDate, tier: TierID) {
            self.effectiveOn = effectiveOn
            self.tier = tier
        }
    }

    /// The last day covered.
    public var lastDay: LocalDate { terminatedOn ?? endsOn }

    public func covers(_ date: LocalDate) -> Bool { startsOn <= date && date <= lastDay }

    /// The tier in force on `date`; nil when the contract does not cover it.
    public func tier(on date: LocalDate) -> TierID? {
        guard covers(date) else { return nil }
        return ContractRules.tier(on: date, history: tierHistory)
    }
}

/// The pure rules contracts are checked against.
public enum ContractRules {
    /// Inclusive periods overlap when each starts no later than the other ends.
    public static func overlaps(_ a: ClosedRange<LocalDate>, _ b: ClosedRange<LocalDate>) -> Bool {
        a.lowerBound <= b.upperBound && b.lowerBound <= a.upperBound
    }

    public static func tier(on date: LocalDate, history: [Contract.TierChange]) -> TierID? {
        history.last { $0.effectiveOn <= date }?.tier
    }
}
