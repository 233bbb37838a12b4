/// Kitbag registrations, ended rather than deleted.
public enum CPSRegistrationStore {
    private static let columns = """
        id, member_id, product_id, serial, country_of_purchase, purchased_on, store, second_hand, added_on, start_reason,
        completed_on, ended_on, end_reason, version, complete_when_added
        """

    /// Throws the unique-constraint error when another open registration holds the product serial.
    public static func insert(_ connection: Connection, _ registration: Registration) throws {
        let details = registration.details
        try connection.execute(
            "INSERT INTO cps_registrations (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [registration.id, registration.memberID, registration.productID, details.serial, details.countryOfPurchase,
             details.purchasedOn?.description, details.store, details.secondHand, registration.addedOn.description,
             registration.startReason.rawValue, registration.completedOn?.description, registration.endedOn?.description,
             registration.endReason?.rawValue, registration.version, registration.completeWhenAdded]
        )
    }

    /// Saves details, completion and end; the version goes up by one.
    public static func save(_ connection: Connection, _ changed: Registration) throws -> Registration {
        var saved = changed
        saved.version += 1
        let details = saved.details
        try connection.execute(
            """
            UPDATE cps_registrations SET serial = ?, country_of_purchase = ?, purchased_on = ?, store = ?, second_hand = ?,
                   completed_on = ?, ended_on = ?, end_reason = ?, version = ? WHERE id = ?
            """,
            [details.serial, details.countryOfPurchase, details.purchasedOn?.description, details.store, details.secondHand,
             saved.completedOn?.description, saved.endedOn?.description, saved.endReason?.rawValue, saved.version, saved.id]
        )
        return saved
    }

    /// Every registration of a member, ended ones included, oldest first.
    public static func all(_ connection: Connection, memberID: String) throws -> [Registration] {
        // Decoded from the statement's columns, not copied into `Row`s first.
        try connection.fetchCursor(allOfMember, [memberID]).all(registration)
    }

    private static let allOfMember = "SELECT \(columns) FROM cps_registrations WHERE member_id = ? ORDER BY id"

    /// Every registration of each member in `memberIDs`, in one query.
    public static func all(_ connection: Connection, memberIDs: [String]) throws -> [String: [Registration]] {
        try ChildRows.groupedColumns(
            connection, "SELECT \(columns) FROM cps_registrations WHERE member_id IN \(ChildRows.keys) ORDER BY member_id, id",
            keys: memberIDs, keyColumn: 1, registration
        )
    }

    public static func find(_ connection: Connection, memberID: String, id: String) throws -> Registration? {
        try connection.fetchOne("SELECT \(columns) FROM cps_registrations WHERE member_id = ? AND id = ?", [memberID, id]).map(registration)
    }

    /// Whether a registration in some Kitbag (other than `except`) holds the product serial.
    public static func isHeld(_ connection: Connection, productID: String, serial: String, except: String?) throws -> Bool {
        try connection.fetchOne(
            "SELECT 1 FROM cps_registrations WHERE product_id = ? AND serial = ? AND ended_on IS NULL AND id IS NOT ?",
            [productID, serial, except]
        ) != nil
    }

    private static func registration(_ row: some ColumnValues) throws -> Registration {
        let details = Registration.Details(
            serial: try row.get(3), countryOfPurchase: try row.get(4), purchasedOn: try row.date(5), store: try row.get(6),
            secondHand: try row.get(7)
        )
        return Registration(
            id: try row.get(0), memberID: try row.get(1), productID: try row.get(2), details: details,
            addedOn: try row.requiredDate(8), startReason: try row.choice(9, Registration.StartReason.self),
            completedOn: try row.date(10), completeWhenAdded: try row.get(14), endedOn: try row.date(11),
            endReason: try row.optionalChoice(12, Registration.EndReason.self), version: try row.get(13)
        )
    }
}
