/// A subscription invoice: one term of one level. Card invoices are charged
/// on the due date (`charge_scheduled` until the charge is recorded); bank
/// transfers wait for a payment (`awaiting_payment`); either is `overdue`
/// once the due date has passed without payment.
public struct CPSInvoice: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case chargeScheduled = "charge_scheduled"
        case awaitingPayment = "awaiting_payment"
        case overdue
        case paid
    }

    public let id: String
    public let memberID: String
    public let level: CPSLevel
    public let paymentMethod: PaymentMethod
    public let termStartsOn: LocalDate
    public let termEndsOn: LocalDate
    public let issuedOn: LocalDate
    public let dueOn: LocalDate
    public let amountMinor: Int
    public let feeMinor: Int
    public let currency: String
    public let paidOn: LocalDate?

    public init(id: String, memberID: String, level: CPSLevel, paymentMethod: PaymentMethod, termStartsOn: LocalDate,
                termEndsOn: LocalDate, issuedOn: LocalDate, dueOn: LocalDate, amountMinor: Int, feeMinor: Int, currency: String,
                paidOn: LocalDate?) {
        self.id = id
        self.memberID = memberID
        self.level = level
        self.paymentMethod = paymentMethod
        self.termStartsOn = termStartsOn
        self.termEndsOn = termEndsOn
        self.issuedOn = issuedOn
        self.dueOn = dueOn
        self.amountMinor = amountMinor
        self.feeMinor = feeMinor
        self.currency = currency
        self.paidOn = paidOn
    }

    public var totalMinor: Int { amountMinor + feeMinor }

    public func state(on date: LocalDate) -> State {
        if paidOn != nil { return .paid }
        if date > dueOn { return .overdue }
        return paymentMethod == .card ? .chargeScheduled : .awaitingPayment
    }

    public func covers(_ date: LocalDate) -> Bool { termStartsOn <= date && date <= termEndsOn }

    /// Enrolment or renewal: the invoice issued at once for the term starting on `start`.
    public static func issue(id: String, memberID: String, level: CPSLevel, method: PaymentMethod, termStartsOn start: LocalDate,
                             issuedOn: LocalDate, rules: SubscriptionRules) -> CPSInvoice? {
        guard let (amount, fee) = rules.invoiceAmounts(level: level, method: method) else { return nil }
        return CPSInvoice(id: id, memberID: memberID, level: level, paymentMethod: method, termStartsOn: start,
                          termEndsOn: rules.termEnd(startingOn: start), issuedOn: issuedOn, dueOn: rules.dueDate(issuedOn: issuedOn),
                          amountMinor: amount, feeMinor: fee, currency: rules.currency, paidOn: nil)
    }
}
