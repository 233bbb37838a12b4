public enum IPFRegistrationStore {
    private static let columns = """
        serial, dealer_id, model, product_line, customer_name, customer_address, customer_country, installed_on, support_model, version, created_at
        """

    public static func create(_ connection: Connection, _ registration: IPFRegistration) throws {
        try connection.execute(
            "INSERT INTO ipf_registrations (\(columns), updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [registration.serial, registration.dealerID, registration.model, registration.line.rawValue, registration.endCustomer.name,
             registration.endCustomer.address, registration.endCustomer.country, registration.installedOn.description,
             registration.supportModel.rawValue, registration.version, registration.createdAt, registration.createdAt]
        )
    }

    public static func exists(_ connection: Connection, serial: String) throws -> Bool {
        try connection.fetchOne("SELECT 1 FROM ipf_registrations WHERE serial = ?", [serial]) != nil
    }

    public static func find(_ connection: Connection, serial: String, scope: String?) throws -> IPFRegistration? {
        guard let row = try connection.fetchOne(
            "SELECT \(columns) FROM ipf_registrations WHERE serial = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [serial, scope]
        ) else { return nil }
        return try registrations(connection, [row]).first
    }

    /// Registrations from their rows, with the eCarePaks and transfers of all of them read in two queries.
    private static func registrations(_ connection: Connection, _ rows: [Row]) throws -> [IPFRegistration] {
        let registrations = try rows.map(registration)
        let serials = registrations.map(\.serial)
        let paks = try ChildRows.grouped(
            connection, "SELECT serial, id, term_months, purchased_on FROM ipf_ecarepaks WHERE serial IN \(ChildRows.keys) ORDER BY serial, id",
            keys: serials
        ) { row in
            guard let purchased = LocalDate(try row.get(3)) else {
                throw RowDecodingError(column: "ipf_ecarepaks.purchased_on", expected: "a date", found: row[3])
            }
            return Coverage.ECarePak(id: try row.get(1), termMonths: try row.get(2), purchasedOn: purchased)
        }
        let transfers = try ChildRows.grouped(
            connection,
            """
            SELECT serial, from_dealer_id, to_dealer_id, reason, transferred_at FROM ipf_registration_transfers
            WHERE serial IN \(ChildRows.keys) ORDER BY serial, id
            """,
            keys: serials
        ) { IPFRegistration.Transfer(fromDealerID: try $0.get(1), toDealerID: try $0.get(2), reason: try $0.get(3), at: try $0.get(4)) }
        return ChildRows.attach(transfers, to: ChildRows.attach(paks, to: registrations, by: \.serial, at: \.eCarePaks), by: \.serial, at: \.transfers)
    }

    public struct Filter: Sendable {
        public var dealerID: String?
        public var line: ProductLineID?
        public var supportModel: SupportModel?
        public init() {}
    }

    public static func list(_ connection: Connection, scope: String?, filter: Filter, page: PageRequest) throws -> Page<IPFRegistration> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM ipf_registrations WHERE serial > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3)
            AND (?4 IS NULL OR product_line = ?4) AND (?5 IS NULL OR support_model = ?5) ORDER BY serial LIMIT ?6
            """,
            [page.after ?? "", scope, filter.dealerID, filter.line?.rawValue, filter.supportModel?.rawValue, page.limit + 1]
        )
        return try Page.assembling(rows: rows, limit: page.limit) { try registrations(connection, $0) }
    }

    public static func addECarePak(_ connection: Connection, serial: String, dealerID: String, _ pak: Coverage.ECarePak) throws {
        try connection.execute(
            "INSERT INTO ipf_ecarepaks (id, serial, dealer_id, term_months, purchased_on, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [pak.id, serial, dealerID, pak.termMonths, pak.purchasedOn.description, Timestamp.now()]
        )
        try touch(connection, serial: serial, dealerID: nil)
    }

    public static func transfer(_ connection: Connection, _ registration: IPFRegistration, to dealerID: String, reason: String, keyID: String?) throws {
        try connection.execute(
            "INSERT INTO ipf_registration_transfers (serial, from_dealer_id, to_dealer_id, reason, api_key_id, transferred_at) VALUES (?, ?, ?, ?, ?, ?)",
            [registration.serial, registration.dealerID, dealerID, reason, keyID, Timestamp.now()]
        )
        try touch(connection, serial: registration.serial, dealerID: dealerID)
    }

    /// A new support model and end customer; the version moves on.
    public static func update(_ connection: Connection, serial: String, supportModel: SupportModel, endCustomer: IPFRegistration.EndCustomer) throws {
        try connection.execute(
            """
            UPDATE ipf_registrations SET support_model = ?, customer_name = ?, customer_address = ?, customer_country = ?,
                version = version + 1, updated_at = ? WHERE serial = ?
            """,
            [supportModel.rawValue, endCustomer.name, endCustomer.address, endCustomer.country, Timestamp.now(), serial]
        )
    }

    private static func touch(_ connection: Connection, serial: String, dealerID: String?) throws {
        try connection.execute(
            "UPDATE ipf_registrations SET dealer_id = coalesce(?, dealer_id), version = version + 1, updated_at = ? WHERE serial = ?",
            [dealerID, Timestamp.now(), serial]
        )
    }

    private static func registration(_ row: Row) throws -> IPFRegistration {
        guard let line = ProductLineID(rawValue: try row.get(3)), let installed = LocalDate(try row.get(7)),
              let support = SupportModel(rawValue: try row.get(8)) else {
            throw RowDecodingError(column: "ipf_registrations", expected: "line, date and support model", found: row[0])
        }
        return IPFRegistration(
            serial: try row.get(0), dealerID: try row.get(1), model: try row.get(2), line: line,
            endCustomer: .init(name: try row.get(4), address: try row.get(5), country: try row.get(6)), installedOn: installed,
            supportModel: support, eCarePaks: [], transfers: [], version: try row.get(9), createdAt: try row.get(10)
        )
    }
}
