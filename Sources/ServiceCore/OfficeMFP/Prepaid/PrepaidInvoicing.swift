import ServiceJSON

/// The lines an invoicing run for a period gives, from the contracts and
/// what earlier runs invoiced: a pure function, so a run never invoices a
/// contract's period twice, and all runs add up to a fresh computation.
///
/// A run for a period invoices, per contract, every billing period of the
/// contract's frequency that overlaps it, and revisits every period invoiced
/// before: a termination since then gives a credit line in the next run,
/// whatever period that run is for.
public enum PrepaidInvoicing {
    /// What earlier runs invoiced for one contract and billing period.
    public struct Billed: Sendable, Equatable {
        public let amountMinor: Int
        public let coveredDays: Int

        public init(amountMinor: Int, coveredDays: Int) {
            self.amountMinor = amountMinor
            self.coveredDays = coveredDays
        }
    }

    /// `billed`: by contract id, then billing period (`2026-Q2`).
    public static func lines(for period: CalendarPeriod, terms: [PrepaidRules.Terms], billed: [String: [String: Billed]]) -> [PrepaidLine] {
        terms.flatMap { terms -> [PrepaidLine] in
            let earlier = billed[terms.contractID] ?? [:]
            var periods = period.periods(terms.frequency)
            let seen = Set(periods.map(\.description))
            periods += earlier.keys.compactMap { CalendarPeriod($0) }.filter { !seen.contains($0.description) }
            return periods.sorted { $0.first < $1.first }.compactMap { line(terms, $0, previous: earlier[$0.description]) }
        }
    }

    static func line(_ terms: PrepaidRules.Terms, _ period: CalendarPeriod, previous: Billed?) -> PrepaidLine? {
        let charge = PrepaidRules.charge(terms, period: period)
        let amount = charge?.amountMinor ?? 0
        let days = charge?.coveredDays ?? 0
        var explanation: [(String, JSONValue)] = [
            ("yearly_amount_minor", .int(terms.yearlyAmountMinor)), ("billing_frequency", .string(terms.frequency.rawValue)),
            ("period_from", .string(period.first.description)), ("period_through", .string(period.last.description)),
            ("period_days", .int(period.days)), ("covered_from", charge.map { .string($0.coveredFrom.description) } ?? .null),
            ("covered_through", charge?.coveredThrough.map { .string($0.description) } ?? .null), ("covered_days", .int(days)),
            ("terminated_on", terms.terminatedOn.map { .string($0.description) } ?? .null),
            ("credited_days", .int((charge?.scheduledDays ?? 0) - days)),
        ]
        guard let previous else {
            guard amount != 0 else { return nil }
            return PrepaidLine(kind: .prepaid, contractID: terms.contractID, customerID: terms.customerID, dealerID: terms.dealerID,
                               billingPeriod: period.description, adjustment: false, coveredDays: days, amountMinor: amount,
                               currency: terms.currency, explanation: .object(explanation))
        }
        guard amount != previous.amountMinor || days != previous.coveredDays else { return nil }
        explanation.append(("previously_billed", .object([("amount_minor", .int(previous.amountMinor)), ("covered_days", .int(previous.coveredDays))])))
        explanation.append(("now_computed", .object([("amount_minor", .int(amount)), ("covered_days", .int(days))])))
        let difference = amount - previous.amountMinor
        return PrepaidLine(kind: difference < 0 ? .prepaid_credit : .prepaid, contractID: terms.contractID, customerID: terms.customerID,
                           dealerID: terms.dealerID, billingPeriod: period.description, adjustment: true, coveredDays: days - previous.coveredDays,
                           amountMinor: difference, currency: terms.currency, explanation: .object(explanation))
    }
}
