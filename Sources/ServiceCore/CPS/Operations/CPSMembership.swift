/// Joining and changing contact details.
public enum CPSMembership {
    public struct ContactChange: Sendable {
        public var name: String?
        public var email: String?
        public var country: String?

        public init(name: String? = nil, email: String? = nil, country: String? = nil) {
            self.name = name
            self.email = email
            self.country = country
        }

        /// The fields given, for the audit trail (not their values: personal data).
        public var fields: [String] {
            [("name", name), ("email", email), ("country", country)].compactMap { $0.1 == nil ? nil : $0.0 }
        }
    }

    public static func join(_ connection: Connection, _ new: CPSMemberStore.New) throws -> CPSMember {
        try requireFreeEmail(connection, new.email, except: nil)
        return try CPSMemberStore.create(connection, new)
    }

    public static func update(_ connection: Connection, _ member: CPSMember, _ change: ContactChange) throws -> CPSMember {
        guard member.closedOn == nil else { throw CPSFailure.conflict("the account is closed (its products were migrated)") }
        if let email = change.email { try requireFreeEmail(connection, email, except: member.id) }
        var changed = member
        changed.name = change.name ?? member.name
        changed.email = change.email ?? member.email
        changed.country = change.country ?? member.country
        return try CPSMemberStore.save(connection, changed)
    }

    /// 409 when another open account has the e-mail (compared case-insensitively).
    static func requireFreeEmail(_ connection: Connection, _ email: String, except id: String?) throws {
        if let holder = try CPSMemberStore.find(connection, email: email), holder.closedOn == nil, holder.id != id {
            throw CPSFailure.conflict("a CPS account with this e-mail already exists")
        }
    }
}
