/// CPS accounts. Membership numbers are random (`CPS` and ten digits), so a
/// partner holding one cannot guess its neighbours.
public enum CPSMemberStore {
    private static let columns = """
        id, membership_number, name, email, country, programme, closed_on, migrated_to, version, created_at, updated_at
        """

    public struct New: Sendable {
        public let name: String
        public let email: String
        public let country: String
        public let programme: CPSMember.Programme

        public init(name: String, email: String, country: String, programme: CPSMember.Programme) {
            self.name = name
            self.email = email
            self.country = country
            self.programme = programme
        }
    }

    /// Free-programme members get their number now; a business account when it enrols.
    /// Throws the unique-constraint error when an open account has the e-mail.
    public static func create(_ connection: Connection, _ new: New) throws -> CPSMember {
        let now = Timestamp.now()
        let number = new.programme == .free ? try freeMembershipNumber(connection) : nil
        let member = CPSMember(id: Identifier.make("cpm"), membershipNumber: number, name: new.name, email: new.email,
                               country: new.country, programme: new.programme, createdAt: now, updatedAt: now)
        try connection.execute(
            "INSERT INTO cps_members (\(columns), email_key) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 1, ?, ?, ?)",
            [member.id, number, new.name, new.email, new.country, new.programme.rawValue, now, now, CPSMember.emailKey(new.email)]
        )
        return member
    }

    /// A membership number no member holds.
    public static func freeMembershipNumber(_ connection: Connection) throws -> String {
        while true {
            let digits = try SecureRandom.bytes(count: 10).map { String($0 % 10) }.joined()
            let number = "CPS\(digits)"
            if try connection.fetchOne("SELECT 1 FROM cps_members WHERE membership_number = ?", [number]) == nil { return number }
        }
    }

    /// Read in place, with its SQL written once: every CPS member read starts here.
    public static func find(_ connection: Connection, id: String) throws -> CPSMember? {
        try connection.fetchCursor(findByID, [id]).nextDecoded(member)
    }

    private static let findByID = "SELECT \(columns) FROM cps_members WHERE id = ?"

    /// A member as its hot read needs it: the account, what its registrations
    /// add to the points (kept on its row, migration 32), and whether it has
    /// invoices or a welcome pack to look up.
    public struct Spanned {
        public let member: CPSMember
        public let spans: [PointsSpan]
        public let hasInvoices: Bool
        public let hasWelcomePack: Bool
    }

    /// The member and the spans of its complete registrations, product ids
    /// taken from `productIDs` where it holds them.
    public static func findSpanned(_ connection: Connection, id: String, productIDs: InternedStrings = .none) throws -> Spanned? {
        try connection.fetchCursor(findSpannedByID, [id]).nextDecoded { statement in
            // NOT NULL in the schema; were it NULL, no spans would be a wrong total.
            guard let spans = try statement.parsed(11, expected: "points spans", { StoredPointsSpans.parse($0, productIDs: productIDs) }) else {
                throw RowDecodingError(column: "points_spans", index: 11, expected: "points spans", found: .null)
            }
            return Spanned(member: try member(statement), spans: spans,
                           hasInvoices: try statement.get(12), hasWelcomePack: try statement.get(13))
        }
    }

    private static let findSpannedByID = "SELECT \(columns), points_spans, has_invoices, has_welcome_pack FROM cps_members WHERE id = ?"

    public static func find(_ connection: Connection, membershipNumber: String) throws -> CPSMember? {
        try connection.fetchOne("SELECT \(columns) FROM cps_members WHERE membership_number = ?", [membershipNumber]).map(member)
    }

    /// The open account with this e-mail, else the most recent closed one.
    public static func find(_ connection: Connection, email: String) throws -> CPSMember? {
        try connection.fetchOne(
            "SELECT \(columns) FROM cps_members WHERE email_key = ? ORDER BY closed_on IS NOT NULL, id DESC LIMIT 1",
            [CPSMember.emailKey(email)]
        ).map(member)
    }

    public static func list(_ connection: Connection, email: String?, membershipNumber: String?, page: PageRequest) throws -> Page<CPSMember> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM cps_members
            WHERE id > ?1 AND (?2 IS NULL OR email_key = ?2) AND (?3 IS NULL OR membership_number = ?3)
            ORDER BY id LIMIT ?4
            """,
            [page.after ?? "", email.map(CPSMember.emailKey), membershipNumber, page.limit + 1]
        ).map(member)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    /// Saves contact details, membership number and closure; the version goes up by one.
    public static func save(_ connection: Connection, _ changed: CPSMember) throws -> CPSMember {
        var saved = changed
        saved.version += 1
        saved.updatedAt = Timestamp.now()
        try connection.execute(
            """
            UPDATE cps_members SET membership_number = ?, name = ?, email = ?, email_key = ?, country = ?, closed_on = ?,
                   migrated_to = ?, version = ?, updated_at = ? WHERE id = ?
            """,
            [saved.membershipNumber, saved.name, saved.email, CPSMember.emailKey(saved.email), saved.country,
             saved.closedOn?.description, saved.migratedTo, saved.version, saved.updatedAt, saved.id]
        )
        return saved
    }

    private static func member(_ row: some ColumnValues) throws -> CPSMember {
        CPSMember(id: try row.get(0), membershipNumber: try row.get(1), name: try row.get(2), email: try row.get(3), country: try row.get(4),
                  programme: try row.choice(5, CPSMember.Programme.self), closedOn: try row.date(6),
                  migratedTo: try row.get(7), version: try row.get(8), createdAt: try row.get(9), updatedAt: try row.get(10))
    }
}
