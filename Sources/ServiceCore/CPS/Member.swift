/// A CPS account. Free-programme members get their membership number when
/// they join; a subscription (business) account gets a new one when it
/// enrols, "different even if you had one before". Closing (after its
/// products migrated to a business account) keeps the row for the history.
public struct CPSMember: Sendable, Equatable {
    public enum Programme: String, Sendable, CaseIterable {
        case free, subscription
    }

    public let id: String
    public var membershipNumber: String?
    public var name: String
    public var email: String
    public var country: String
    public let programme: Programme
    public var closedOn: LocalDate?
    /// The account this one's products moved to.
    public var migratedTo: String?
    public var version: Int
    public let createdAt: String
    public var updatedAt: String

    public init(id: String, membershipNumber: String?, name: String, email: String, country: String, programme: Programme,
                closedOn: LocalDate? = nil, migratedTo: String? = nil, version: Int = 1, createdAt: String, updatedAt: String) {
        self.id = id
        self.membershipNumber = membershipNumber
        self.name = name
        self.email = email
        self.country = country
        self.programme = programme
        self.closedOn = closedOn
        self.migratedTo = migratedTo
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// E-mail addresses are unique case-insensitively.
    public static func emailKey(_ email: String) -> String { email.lowercased() }
}

/// A member's standing on a date: points, level and how far to the next.
public struct MemberStanding: Sendable, Equatable {
    public let on: LocalDate
    public let points: Int
    /// Free programme: from points. Subscription: the level of the term covering the date, nil outside any term.
    public let level: CPSLevel?
    public let pointsToNextLevel: Int?

    public init(member: CPSMember, registrations: [Registration], invoices: [CPSInvoice], on date: LocalDate, rules: CPSRules) {
        self.init(member: member, spans: registrations.lazy.map(\.pointsSpan), invoices: invoices, on: date, rules: rules)
    }

    public init(member: CPSMember, spans: some Sequence<PointsSpan>, invoices: [CPSInvoice], on date: LocalDate, rules: CPSRules) {
        on = date
        points = PointsLedger(rules: rules).total(spans, on: date)
        switch member.programme {
        case .free:
            level = rules.levels.level(for: points)
            pointsToNextLevel = rules.levels.pointsToNextLevel(from: points)
        case .subscription:
            level = invoices.first { $0.covers(date) }?.level
            pointsToNextLevel = nil
        }
    }
}
