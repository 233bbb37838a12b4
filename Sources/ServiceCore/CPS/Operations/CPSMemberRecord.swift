/// A member with everything its resource shows: Kitbag (ended registrations
/// included, for history), invoices, welcome pack.
public struct CPSMemberRecord: Sendable {
    public let member: CPSMember
    public let registrations: [Registration]
    public let invoices: [CPSInvoice]
    public let welcomePack: WelcomePack?

    public init(member: CPSMember, registrations: [Registration], invoices: [CPSInvoice], welcomePack: WelcomePack?) {
        self.member = member
        self.registrations = registrations
        self.invoices = invoices
        self.welcomePack = welcomePack
    }

    public static func load(_ connection: Connection, id: String) throws -> CPSMemberRecord? {
        guard let member = try CPSMemberStore.find(connection, id: id) else { return nil }
        return try load(connection, member)
    }

    public static func load(_ connection: Connection, _ member: CPSMember) throws -> CPSMemberRecord {
        CPSMemberRecord(
            member: member, registrations: try CPSRegistrationStore.all(connection, memberID: member.id),
            invoices: try CPSInvoiceStore.all(connection, memberID: member.id),
            welcomePack: try CPSWelcomePackStore.find(connection, memberID: member.id)
        )
    }

    /// The records of a page of members, their registrations, invoices and
    /// welcome packs read in three queries whatever the page's size.
    public static func load(_ connection: Connection, page: Page<CPSMember>) throws -> Page<CPSMemberRecord> {
        let ids = page.items.map(\.id)
        let registrations = try CPSRegistrationStore.all(connection, memberIDs: ids)
        let invoices = try CPSInvoiceStore.all(connection, memberIDs: ids)
        let packs = try CPSWelcomePackStore.find(connection, memberIDs: ids)
        return page.map { member in
            CPSMemberRecord(member: member, registrations: registrations[member.id] ?? [], invoices: invoices[member.id] ?? [],
                            welcomePack: packs[member.id])
        }
    }

    public static func require(_ connection: Connection, id: String) throws -> CPSMemberRecord {
        guard let record = try load(connection, id: id) else { throw CPSFailure.notFound(kind: "CPS member", id: id) }
        return record
    }

    /// The member without its Kitbag: what the admin and billing views show.
    public var summary: CPSMemberSummary {
        CPSMemberSummary(member: member, spans: registrations.filter { $0.completedOn != nil }.map(\.pointsSpan),
                         invoices: invoices, welcomePack: welcomePack)
    }

    public func standing(on date: LocalDate, rules: CPSRules) -> MemberStanding {
        MemberStanding(member: member, registrations: registrations, invoices: invoices, on: date, rules: rules)
    }

    /// The registrations in the Kitbag on a date.
    public func kitbag(on date: LocalDate) -> [Registration] { registrations.filter { $0.isInKitbag(on: date) } }

}
