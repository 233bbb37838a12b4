/// How often a contract's prepaid sum is invoiced (seed: "faktureres via en
/// forskuddsvis sum for en gitt periode"): once a year, a quarter or a month,
/// in advance, over calendar periods.
public enum BillingFrequency: String, Sendable, CaseIterable {
    case yearly, quarterly, monthly

    public var periodsPerYear: Int {
        switch self {
        case .yearly: return 1
        case .quarterly: return 4
        case .monthly: return 12
        }
    }

    var months: Int { 12 / periodsPerYear }
}
