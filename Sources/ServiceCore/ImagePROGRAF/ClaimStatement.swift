/// A dealer's monthly statement: the claims submitted in a calendar month
/// with their decisions, and the totals approved, paid and rejected.
public struct IPFClaimStatement: Sendable {
    public let dealerID: String
    public let year: Int
    public let month: Int
    public let currency: String
    public let claims: [IPFClaim]

    public init(dealerID: String, year: Int, month: Int, currency: String, claims: [IPFClaim]) {
        self.dealerID = dealerID
        self.year = year
        self.month = month
        self.currency = currency
        self.claims = claims
    }

    public var first: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var last: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))! }

    /// Approved and not yet paid.
    public var approvedUnpaidMinor: Int { claims.filter { $0.state == .approved }.reduce(0) { $0 + $1.amountMinor } }
    public var paidMinor: Int { claims.filter { $0.state == .paid }.reduce(0) { $0 + $1.amountMinor } }
    public var totalMinor: Int { approvedUnpaidMinor + paidMinor }
    public var rejectedCount: Int { claims.filter { $0.state == .rejected }.count }

    public static let csvHeader = "claim_id,serial,product_line,service_date,submitted_on,state,amount_minor,currency,paid_on,payment_reference,reasons"

    /// One CSV row per claim; fields quoted by the project's CSV rule.
    public func csvRows() -> [String] {
        claims.map { claim in
            [claim.id, claim.serial, claim.line?.rawValue ?? "", claim.serviceDate.description, claim.submittedOn.description, claim.state.rawValue,
             String(claim.amountMinor), claim.currency, claim.paidOn?.description ?? "", claim.paymentReference ?? "",
             claim.reasons.map(\.code).joined(separator: ";")].map(CSV.field).joined(separator: ",")
        }
    }
}
