import ServiceJSON

/// Welcome packs: one row per member ever (a unique member_id).
public enum CPSWelcomePackStore {
    private static let columns = "id, member_id, level_at_request, address, requested_on, sent_on, version"

    public static func insert(_ connection: Connection, _ pack: WelcomePack) throws {
        try connection.execute(
            "INSERT INTO cps_welcome_packs (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [pack.id, pack.memberID, pack.levelAtRequest.rawValue, addressJSON(pack.address).encoded(), pack.requestedOn.description,
             pack.sentOn?.description, pack.version]
        )
    }

    public static func find(_ connection: Connection, id: String) throws -> WelcomePack? {
        try connection.fetchOne("SELECT \(columns) FROM cps_welcome_packs WHERE id = ?", [id]).map(pack)
    }

    public static func find(_ connection: Connection, memberID: String) throws -> WelcomePack? {
        try connection.fetchCursor(findOfMember, [memberID]).nextDecoded(pack)
    }

    private static let findOfMember = "SELECT \(columns) FROM cps_welcome_packs WHERE member_id = ?"

    /// The welcome pack of each member in `memberIDs` that has one, in one query.
    public static func find(_ connection: Connection, memberIDs: [String]) throws -> [String: WelcomePack] {
        try ChildRows.grouped(connection, "SELECT \(columns) FROM cps_welcome_packs WHERE member_id IN \(ChildRows.keys)",
                              keys: memberIDs, keyColumn: 1, pack).compactMapValues(\.first)
    }

    public static func markSent(_ connection: Connection, _ pack: WelcomePack, on day: LocalDate) throws -> WelcomePack {
        var sent = pack
        sent.sentOn = day
        sent.version += 1
        try connection.execute("UPDATE cps_welcome_packs SET sent_on = ?, version = ? WHERE id = ?", [day.description, sent.version, pack.id])
        return sent
    }

    public static func list(_ connection: Connection, state: WelcomePack.State?, page: PageRequest) throws -> Page<WelcomePack> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM cps_welcome_packs
            WHERE id > ?1 AND CASE ?2 WHEN 'requested' THEN sent_on IS NULL WHEN 'sent' THEN sent_on IS NOT NULL ELSE 1 END
            ORDER BY id LIMIT ?3
            """,
            [page.after ?? "", state?.rawValue, page.limit + 1]
        ).map(pack)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    public static func addressJSON(_ address: WelcomePack.Address) -> JSONValue {
        .object([
            ("recipient", .string(address.recipient)), ("line1", .string(address.line1)), ("line2", address.line2.map(JSONValue.string) ?? .null),
            ("postal_code", .string(address.postalCode)), ("city", .string(address.city)), ("country", .string(address.country)),
        ])
    }

    private static func pack(_ row: some ColumnValues) throws -> WelcomePack {
        let text: String = try row.get(3)
        guard case .object(let members)? = try? JSONParser.parse(text) else {
            throw RowDecodingError(column: "address", index: 3, expected: "an address object", found: .text(text))
        }
        func field(_ name: String) -> String? {
            members.first { $0.0 == name }.flatMap { if case .string(let value) = $0.1 { value } else { nil } }
        }
        guard let recipient = field("recipient"), let line1 = field("line1"), let postal = field("postal_code"), let city = field("city"),
              let country = field("country") else {
            throw RowDecodingError(column: "address", index: 3, expected: "an address object", found: .text(text))
        }
        let address = WelcomePack.Address(recipient: recipient, line1: line1, line2: field("line2"), postalCode: postal, city: city,
                                          country: country)
        return WelcomePack(id: try row.get(0), memberID: try row.get(1), levelAtRequest: try row.choice(2, CPSLevel.self),
                           address: address, requestedOn: try row.requiredDate(4), sentOn: try row.date(5),
                           version: try row.get(6))
    }
}
