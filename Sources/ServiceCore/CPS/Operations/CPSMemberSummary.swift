/// A member as its own resource shows it: the account, its standing worked
/// out from what each registration adds to the points, the invoices and the
/// welcome pack, but not the Kitbag. `GET /cps/members/{id}` is the
/// programme's hot read, and a registration's serial, store, country,
/// purchase date and ids were most of what it read.
public struct CPSMemberSummary: Sendable {
    public let member: CPSMember
    public let spans: [PointsSpan]
    public let invoices: [CPSInvoice]
    public let welcomePack: WelcomePack?

    public static func require(_ connection: Connection, id: String) throws -> CPSMemberSummary {
        guard let member = try CPSMemberStore.find(connection, id: id) else { throw CPSFailure.notFound(kind: "CPS member", id: id) }
        return CPSMemberSummary(
            member: member, spans: try CPSRegistrationStore.pointsSpans(connection, memberID: member.id),
            invoices: try CPSInvoiceStore.all(connection, memberID: member.id),
            welcomePack: try CPSWelcomePackStore.find(connection, memberID: member.id)
        )
    }

    public func standing(on date: LocalDate, rules: CPSRules) -> MemberStanding {
        MemberStanding(member: member, spans: spans, invoices: invoices, on: date, rules: rules)
    }

    /// The subscription term covering a date, if any.
    public func currentTerm(on date: LocalDate) -> CPSInvoice? { invoices.first { $0.covers(date) } }
}
