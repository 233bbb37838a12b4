/// "The Welcome Pack is available to Silver, Gold and Platinum members [of
/// the free programme] ... only one pack and card even if the membership
/// level changes."
public struct WelcomePack: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case requested, sent
    }

    public struct Address: Sendable, Equatable {
        public let recipient: String
        public let line1: String
        public let line2: String?
        public let postalCode: String
        public let city: String
        public let country: String

        public init(recipient: String, line1: String, line2: String?, postalCode: String, city: String, country: String) {
            self.recipient = recipient
            self.line1 = line1
            self.line2 = line2
            self.postalCode = postalCode
            self.city = city
            self.country = country
        }
    }

    public let id: String
    public let memberID: String
    public let levelAtRequest: CPSLevel
    public let address: Address
    public let requestedOn: LocalDate
    public var sentOn: LocalDate?
    public var version: Int

    public init(id: String, memberID: String, levelAtRequest: CPSLevel, address: Address, requestedOn: LocalDate,
                sentOn: LocalDate? = nil, version: Int = 1) {
        self.id = id
        self.memberID = memberID
        self.levelAtRequest = levelAtRequest
        self.address = address
        self.requestedOn = requestedOn
        self.sentOn = sentOn
        self.version = version
    }

    public var state: State { sentOn == nil ? .requested : .sent }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// 409: one pack per member ever.
        case alreadyRequested(packID: String)
        /// 422: the level (or programme) does not qualify.
        case notEligible(String)

        public var description: String {
            switch self {
            case .alreadyRequested(let id): return "a welcome pack was already requested for this member (\(id)); one per member ever"
            case .notEligible(let why): return why
            }
        }
    }

    /// Whether a member may request its pack now.
    public static func check(member: CPSMember, standing: MemberStanding, existing: WelcomePack?) throws(Refusal) {
        if let existing { throw .alreadyRequested(packID: existing.id) }
        guard member.programme == .free else { throw .notEligible("welcome packs are for members of the free programme") }
        guard let level = standing.level, level >= .silver else {
            throw .notEligible("a Red member (\(standing.points) points) gets the welcome pack from Silver")
        }
    }
}
