/// Enrolling a business account (seed 003): choose a level on offer and a
/// payment method; the invoice is issued at once, the membership is usable
/// at once under a new membership number; one-year terms, renewal invoices
/// the next one.
public enum CPSSubscription {
    public struct Enrolment: Sendable {
        public let member: CPSMember
        public let invoice: CPSInvoice
    }

    public static func enrol(_ connection: Connection, _ record: CPSMemberRecord, level: CPSLevel, method: PaymentMethod,
                             today: LocalDate, rules: CPSRules) throws -> Enrolment {
        try requireSubscriptionAccount(record.member)
        if let term = record.invoices.first(where: { $0.termEndsOn >= today }) {
            throw CPSFailure.conflict("already enrolled until \(term.termEndsOn); renew instead", extensions: ["invoice_id": term.id])
        }
        try requireOnOffer(level, record: record, today: today, rules: rules)
        var member = record.member
        member.membershipNumber = try CPSMemberStore.freeMembershipNumber(connection)
        member = try CPSMemberStore.save(connection, member)
        let invoice = try issue(connection, member, level: level, method: method, startsOn: today, today: today, rules: rules)
        return Enrolment(member: member, invoice: invoice)
    }

    /// The next term, starting the day after the latest one ends; level and method default to the latest term's.
    public static func renew(_ connection: Connection, _ record: CPSMemberRecord, level: CPSLevel?, method: PaymentMethod?,
                             today: LocalDate, rules: CPSRules) throws -> CPSInvoice {
        try requireSubscriptionAccount(record.member)
        guard let latest = record.invoices.first else { throw CPSFailure.conflict("not enrolled yet: enrol first") }
        guard latest.termStartsOn <= today else {
            throw CPSFailure.conflict("already renewed: the next term starts on \(latest.termStartsOn)", extensions: ["invoice_id": latest.id])
        }
        let chosen = level ?? latest.level
        try requireOnOffer(chosen, record: record, today: today, rules: rules)
        let start = max(latest.termEndsOn.adding(days: 1), today)
        return try issue(connection, record.member, level: chosen, method: method ?? latest.paymentMethod, startsOn: start, today: today,
                         rules: rules)
    }

    /// Records the payment (or the card charge) of the whole invoice.
    public static func pay(_ connection: Connection, _ invoice: CPSInvoice, amountMinor: Int, currency: String, paidOn: LocalDate,
                           today: LocalDate) throws -> CPSInvoice {
        guard invoice.paidOn == nil else { throw CPSFailure.conflict("the invoice is already paid") }
        var issues: [ValidationIssue] = []
        if currency != invoice.currency { issues.append(ValidationIssue(field: "currency", message: "must be \(invoice.currency)")) }
        if amountMinor != invoice.totalMinor {
            issues.append(ValidationIssue(field: "amount_minor", message: "must be the invoice total \(invoice.totalMinor)"))
        }
        if paidOn > today { issues.append(ValidationIssue(field: "paid_on", message: "must not be in the future")) }
        if paidOn < invoice.issuedOn { issues.append(ValidationIssue(field: "paid_on", message: "must not be before the invoice was issued")) }
        guard issues.isEmpty else { throw CPSFailure.invalid(issues) }
        try CPSInvoiceStore.recordPayment(connection, id: invoice.id, paidOn: paidOn)
        return CPSInvoice(id: invoice.id, memberID: invoice.memberID, level: invoice.level, paymentMethod: invoice.paymentMethod,
                          termStartsOn: invoice.termStartsOn, termEndsOn: invoice.termEndsOn, issuedOn: invoice.issuedOn,
                          dueOn: invoice.dueOn, amountMinor: invoice.amountMinor, feeMinor: invoice.feeMinor, currency: invoice.currency,
                          paidOn: paidOn)
    }

    static func requireSubscriptionAccount(_ member: CPSMember) throws {
        guard member.closedOn == nil else { throw CPSFailure.conflict("the account is closed") }
        guard member.programme == .subscription else {
            // The account's state, not the request, is what refuses: 409.
            throw CPSFailure.conflict("only subscription (business) accounts enrol; this account is in the free programme",
                                      extensions: ["programme": member.programme.rawValue])
        }
    }

    /// 422 listing the levels on offer when `level` is not one of them.
    static func requireOnOffer(_ level: CPSLevel, record: CPSMemberRecord, today: LocalDate, rules: CPSRules) throws {
        let points = record.standing(on: today, rules: rules).points
        let offered = rules.subscription.options(points: points).map(\.level)
        guard offered.contains(level) else {
            let list = offered.isEmpty ? "none (\(rules.subscription.nextStep(points: points) ?? ""))" : offered.map(\.rawValue).joined(separator: ", ")
            throw CPSFailure.invalid("level", "\(level.rawValue) is not on offer at \(points) points; offered: \(list)")
        }
    }

    static func issue(_ connection: Connection, _ member: CPSMember, level: CPSLevel, method: PaymentMethod, startsOn: LocalDate,
                      today: LocalDate, rules: CPSRules) throws -> CPSInvoice {
        guard let invoice = CPSInvoice.issue(id: Identifier.make("inv"), memberID: member.id, level: level, method: method,
                                             termStartsOn: startsOn, issuedOn: today, rules: rules.subscription) else {
            throw CPSFailure.invalid("level", "\(level.rawValue) has no price in the catalogue")
        }
        try CPSInvoiceStore.insert(connection, invoice)
        return invoice
    }
}
