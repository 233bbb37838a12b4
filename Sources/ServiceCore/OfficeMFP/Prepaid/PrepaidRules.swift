/// What a contract owes in advance for one of its billing periods.
///
/// Assumption (the seed gives no period): `prepaid.amount_minor` is the
/// yearly sum. A full period costs that sum ÷ periods per year; a period the
/// contract covers in part (its first or last, or after termination) costs
/// in proportion to the days covered: yearly sum × covered days ÷ (periods
/// per year × days in the period), kept exact and rounded half up once.
public enum PrepaidRules {
    /// The contract terms the rule reads.
    public struct Terms: Sendable, Equatable {
        public let contractID: String
        public let customerID: String
        public let dealerID: String
        public let startsOn: LocalDate
        public let endsOn: LocalDate
        public let terminatedOn: LocalDate?
        public let yearlyAmountMinor: Int
        public let currency: String
        public let frequency: BillingFrequency

        public init(contractID: String, customerID: String, dealerID: String, startsOn: LocalDate, endsOn: LocalDate, terminatedOn: LocalDate?,
                    yearlyAmountMinor: Int, currency: String, frequency: BillingFrequency) {
            self.contractID = contractID
            self.customerID = customerID
            self.dealerID = dealerID
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.terminatedOn = terminatedOn
            self.yearlyAmountMinor = yearlyAmountMinor
            self.currency = currency
            self.frequency = frequency
        }
    }

    public struct Charge: Sendable, Equatable {
        public let period: CalendarPeriod
        /// The contract's days in the period as agreed, ignoring termination.
        public let scheduledDays: Int
        /// Days actually covered: none after `terminated_on`.
        public let coveredDays: Int
        public let amountMinor: Int
        public let coveredFrom: LocalDate
        /// Nil when termination leaves no day of the period covered.
        public let coveredThrough: LocalDate?
    }

    /// Nil when the contract's term does not reach into the period.
    public static func charge(_ terms: Terms, period: CalendarPeriod) -> Charge? {
        let from = max(terms.startsOn, period.first)
        let scheduledThrough = min(terms.endsOn, period.last)
        guard from <= scheduledThrough else { return nil }
        let through = min(terms.terminatedOn ?? scheduledThrough, scheduledThrough)
        let covered = max(0, through.dayNumber - from.dayNumber + 1)
        let denominator = terms.frequency.periodsPerYear * period.days
        return Charge(period: period, scheduledDays: scheduledThrough.dayNumber - from.dayNumber + 1, coveredDays: covered,
                      amountMinor: (terms.yearlyAmountMinor * covered * 2 + denominator) / (2 * denominator), coveredFrom: from,
                      coveredThrough: covered > 0 ? through : nil)
    }
}
