import ServiceJSON

/// "Normal use": a monthly average up to the device's rated duty. Judged
/// over the contract period (from its start to the day asked about), never
/// month by month, and not at all under a tier without a page-volume limit
/// (Premium: unlimited colour and toner).
public struct NormalUse: Sendable, Equatable {
    public let contractID: String
    public let from: LocalDate
    public let through: LocalDate
    public let tier: TierID
    /// The period in months: Σ covered days / days in the month, exact over `BillingCalculator.monthDenominator`.
    public let monthsNumerator: Int
    public let a4Equivalents: Int
    public let ratedMonthlyDuty: Int
    /// "model" when the catalogue rates the device's model, else "family".
    public let ratedDutySource: String
    /// False under a tier without a page-volume limit.
    public let isLimit: Bool
    public let estimated: Bool

    /// The average rounded half up to a page.
    public var averageMonthlyA4: Int {
        guard monthsNumerator > 0 else { return 0 }
        let scaled = a4Equivalents * BillingCalculator.monthDenominator
        return (scaled * 2 + monthsNumerator) / (2 * monthsNumerator)
    }

    /// Compared exactly, not after rounding; nil where there is no limit.
    public var aboveRatedDuty: Bool? {
        guard isLimit else { return nil }
        return a4Equivalents * BillingCalculator.monthDenominator > ratedMonthlyDuty * monthsNumerator
    }

    /// The contract covering the device on the last day of `from...through`
    /// that covers it at all, from its start to that day (clipped to `through`).
    public static func assess(contracts: [Contract], through: LocalDate, ratedDuty: (duty: Int, source: String),
                              unlimited: (TierID) -> Bool, usage: (LocalDate, LocalDate) throws -> Usage) rethrows -> NormalUse? {
        guard let contract = contracts.filter({ $0.startsOn <= through }).max(by: { $0.startsOn < $1.startsOn }) else { return nil }
        let end = min(contract.lastDay, through)
        guard let tier = contract.tier(on: end) else { return nil }
        let segment = BillingCalculator.Segment(contractID: contract.id, from: contract.startsOn, through: end, tier: tier)
        let used = try usage(contract.startsOn, end)
        return NormalUse(
            contractID: contract.id, from: contract.startsOn, through: end, tier: tier,
            monthsNumerator: BillingCalculator.allowanceNumerator(cap: 1, segments: [segment]),
            a4Equivalents: used.counters.a4Equivalents, ratedMonthlyDuty: ratedDuty.duty, ratedDutySource: ratedDuty.source,
            isLimit: !unlimited(tier), estimated: used.estimated
        )
    }

    public var json: JSONValue {
        .object([
            ("contract_id", .string(contractID)), ("from", .string(from.description)), ("through", .string(through.description)),
            ("tier", .string(tier.rawValue)),
            ("months", .string(BillingCalculator.fraction(monthsNumerator, BillingCalculator.monthDenominator))),
            ("a4_equivalents", .int(a4Equivalents)), ("average_monthly_a4", .int(averageMonthlyA4)),
            ("rated_monthly_duty", .int(ratedMonthlyDuty)), ("rated_duty_source", .string(ratedDutySource)),
            ("limit", .bool(isLimit)), ("above_rated_duty", aboveRatedDuty.map(JSONValue.bool) ?? .null),
            ("estimated", .bool(estimated)),
        ])
    }
}
