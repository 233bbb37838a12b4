public enum DeviceStore {
    private static let columns = """
        SELECT d.serial, d.model, d.family_id, d.customer_id, c.dealer_id, d.ip_address, d.installed_on,
               d.version, d.created_at, d.updated_at
        """
    private static let select = columns + " FROM devices d JOIN customers c ON c.id = d.customer_id"
    /// A dealer's devices walked in serial order from `devices_by_dealer`, as
    /// `ContractStore` lists a dealer's contracts: a page reads its own rows,
    /// neither the estate's devices nor all of a large dealer's.
    private static let selectByDealer = columns
        + " FROM devices_by_dealer bd CROSS JOIN devices d ON d.serial = bd.serial JOIN customers c ON c.id = d.customer_id"

    public struct New: Sendable {
        public let serial: String
        public let model: String
        public let familyID: String
        public let customer: Customer
        public let ipAddress: String?
        public let installedOn: LocalDate?

        public init(serial: String, model: String, familyID: String, customer: Customer, ipAddress: String?, installedOn: LocalDate?) {
            self.serial = serial
            self.model = model
            self.familyID = familyID
            self.customer = customer
            self.ipAddress = ipAddress
            self.installedOn = installedOn
        }
    }

    /// Throws the unique-constraint error when the serial exists (any dealer).
    public static func create(_ connection: Connection, _ new: New) throws -> Device {
        let now = Timestamp.now()
        try connection.execute(
            """
            INSERT INTO devices (serial, model, family_id, customer_id, ip_address, installed_on, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
            """,
            [new.serial, new.model, new.familyID, new.customer.id, new.ipAddress, new.installedOn?.description, now, now]
        )
        return Device(serial: new.serial, model: new.model, familyID: new.familyID, customerID: new.customer.id,
                      dealerID: new.customer.dealerID, ipAddress: new.ipAddress, installedOn: new.installedOn,
                      version: 1, createdAt: now, updatedAt: now)
    }

    public static func exists(_ connection: Connection, serial: String) throws -> Bool {
        try connection.fetchOne("SELECT 1 FROM devices WHERE serial = ?", [serial]) != nil
    }

    public static func find(_ connection: Connection, serial: String, scope: String?) throws -> Device? {
        try connection.fetchOne("\(select) WHERE d.serial = ?1 AND (?2 IS NULL OR c.dealer_id = ?2)", [serial, scope]).map(device)
    }

    public static func list(_ connection: Connection, scope: String?, customerID: String?, page: PageRequest) throws -> Page<Device> {
        let sql = customerID != nil ? listByCustomer : scope != nil ? listByDealer : listAll
        let rows = try connection.fetchCursor(sql, [page.after ?? "", scope, customerID, page.limit + 1]).all { try device($0) }
        return Page(rows: rows, limit: page.limit) { $0.serial }
    }

    // The list's statements, written once. With a customer, the plain equality
    // lets SQLite walk devices_by_customer in serial order (the usage report
    // reads a customer's 2 000 devices): `?3 IS NULL OR ...` alone would scan
    // every device in the estate.
    private static let listFilters = "d.serial > ?1 AND (?2 IS NULL OR c.dealer_id = ?2)"
    private static let listByCustomer = "\(select) WHERE d.customer_id = ?3 AND \(listFilters) ORDER BY d.serial LIMIT ?4"
    private static let listByDealer = """
        \(selectByDealer) WHERE ?3 IS NULL AND bd.dealer_id = ?2 AND bd.serial > ?1 AND \(listFilters) ORDER BY bd.serial LIMIT ?4
        """
    private static let listAll = "\(select) WHERE ?3 IS NULL AND \(listFilters) ORDER BY d.serial LIMIT ?4"

    public static func update(_ connection: Connection, _ existing: Device, ipAddress: String?, installedOn: LocalDate?) throws -> Device {
        let now = Timestamp.now()
        try connection.execute(
            "UPDATE devices SET ip_address = ?, installed_on = ?, version = version + 1, updated_at = ? WHERE serial = ?",
            [ipAddress, installedOn?.description, now, existing.serial]
        )
        return Device(serial: existing.serial, model: existing.model, familyID: existing.familyID, customerID: existing.customerID,
                      dealerID: existing.dealerID, ipAddress: ipAddress, installedOn: installedOn, version: existing.version + 1,
                      createdAt: existing.createdAt, updatedAt: now)
    }

    /// A device from the columns of `columns`, read in place from the
    /// statement on a page (no row copied out first). A stored installation
    /// date that is not a date is an error, not an absent date.
    private static func device(_ row: some ColumnValues) throws -> Device {
        Device(serial: try row.get(0), model: try row.get(1), familyID: try row.get(2), customerID: try row.get(3),
               dealerID: try row.get(4), ipAddress: try row.get(5), installedOn: try row.date(6),
               version: try row.get(7), createdAt: try row.get(8), updatedAt: try row.get(9))
    }
}
