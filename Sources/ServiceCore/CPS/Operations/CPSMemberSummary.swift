/// A member as its own resource shows it: the account, its standing worked
/// out from what each registration adds to the points, the invoices and the
/// welcome pack, but not the Kitbag. `GET /cps/members/{id}` is the
/// programme's hot read, and a registration's serial, store, country,
/// purchase date and ids were most of what it read. Its spans are those of
/// the complete registrations: an incomplete one counts on no date.
public struct CPSMemberSummary: Sendable {
    public let member: CPSMember
    public let spans: [PointsSpan]
    public let invoices: [CPSInvoice]
    public let welcomePack: WelcomePack?

    /// `productIDs`: the catalogue's (`CPSRules.productIDs`), so that the
    /// spans share its strings.
    public static func require(_ connection: Connection, id: String, productIDs: InternedStrings = .none) throws -> CPSMemberSummary {
        guard let found = try CPSMemberStore.findSpanned(connection, id: id, productIDs: productIDs) else { throw CPSFailure.notFound(kind: "CPS member", id: id) }
        return CPSMemberSummary(
            member: found.member, spans: found.spans,
            invoices: found.hasInvoices ? try CPSInvoiceStore.all(connection, memberID: id) : [],
            welcomePack: found.hasWelcomePack ? try CPSWelcomePackStore.find(connection, memberID: id) : nil
        )
    }

    public func standing(on date: LocalDate, rules: CPSRules) -> MemberStanding {
        MemberStanding(member: member, spans: spans, invoices: invoices, on: date, rules: rules)
    }

    /// The subscription term covering a date, if any.
    public func currentTerm(on date: LocalDate) -> CPSInvoice? { invoices.first { $0.covers(date) } }
}
