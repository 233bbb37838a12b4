import ServiceJSON

/// One prepaid amount invoiced for a contract's billing period, or the
/// correction of what earlier runs invoiced for it.
public struct PrepaidLine: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The sum in advance for the period (pro rata for a part).
        case prepaid
        /// Prepaid days given back: the period was invoiced for more days than the contract now covers (terminated).
        case prepaid_credit
    }

    public let kind: Kind
    public let contractID: String
    public let customerID: String
    public let dealerID: String
    /// `2026`, `2026-Q2` or `2026-04`, by the contract's billing frequency.
    public let billingPeriod: String
    public let adjustment: Bool
    /// Days invoiced by this line (negative for a credit).
    public let coveredDays: Int
    public let amountMinor: Int
    public let currency: String
    public let explanation: JSONValue

    public init(kind: Kind, contractID: String, customerID: String, dealerID: String, billingPeriod: String, adjustment: Bool, coveredDays: Int,
                amountMinor: Int, currency: String, explanation: JSONValue) {
        self.kind = kind
        self.contractID = contractID
        self.customerID = customerID
        self.dealerID = dealerID
        self.billingPeriod = billingPeriod
        self.adjustment = adjustment
        self.coveredDays = coveredDays
        self.amountMinor = amountMinor
        self.currency = currency
        self.explanation = explanation
    }

    public static func == (lhs: PrepaidLine, rhs: PrepaidLine) -> Bool {
        lhs.kind == rhs.kind && lhs.contractID == rhs.contractID && lhs.customerID == rhs.customerID && lhs.dealerID == rhs.dealerID
            && lhs.billingPeriod == rhs.billingPeriod && lhs.adjustment == rhs.adjustment && lhs.coveredDays == rhs.coveredDays
            && lhs.amountMinor == rhs.amountMinor && lhs.currency == rhs.currency && lhs.explanation.encoded() == rhs.explanation.encoded()
    }

    public func json(id: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let id { members.append(("id", .int(id))) }
        members += [
            ("kind", .string(kind.rawValue)), ("contract_id", .string(contractID)), ("customer_id", .string(customerID)),
            ("dealer_id", .string(dealerID)), ("billing_period", .string(billingPeriod)), ("adjustment", .bool(adjustment)),
            ("covered_days", .int(coveredDays)), ("amount_minor", .int(amountMinor)), ("currency", .string(currency)), ("explanation", explanation),
        ]
        return .object(members)
    }

    public static let csvHeader = "kind,contract_id,customer_id,dealer_id,billing_period,adjustment,covered_days,amount_minor,currency,explanation\r\n"

    public func csvRow() -> String {
        [kind.rawValue, CSV.field(contractID), CSV.field(customerID), CSV.field(dealerID), billingPeriod, String(adjustment), String(coveredDays),
         String(amountMinor), currency, CSV.field(explanation.encoded())].joined(separator: ",") + "\r\n"
    }
}
