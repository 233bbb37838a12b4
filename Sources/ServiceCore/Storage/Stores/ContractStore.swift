import ServiceJSON

public enum ContractStore {
    public struct New: Sendable {
        public let customer: Customer
        public let deviceSerials: [String]
        public let tier: TierID
        public let startsOn: LocalDate
        public let endsOn: LocalDate
        public let prepaidAmountMinor: Int
        public let prepaidCurrency: String
        public let implementationPackage: String
        public let downgrades: [String]
        public let options: [String]
        public let bannerAgreed: Bool
        public let bannerClickPriceMinor: Int?
        public let billingFrequency: BillingFrequency

        public init(customer: Customer, deviceSerials: [String], tier: TierID, startsOn: LocalDate, endsOn: LocalDate,
                    prepaidAmountMinor: Int, prepaidCurrency: String, implementationPackage: String, downgrades: [String] = [],
                    options: [String], bannerAgreed: Bool, bannerClickPriceMinor: Int?, billingFrequency: BillingFrequency = .yearly) {
            self.customer = customer
            self.deviceSerials = deviceSerials
            self.tier = tier
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.prepaidAmountMinor = prepaidAmountMinor
            self.prepaidCurrency = prepaidCurrency
            self.implementationPackage = implementationPackage
            self.downgrades = downgrades
            self.options = options
            self.bannerAgreed = bannerAgreed
            self.bannerClickPriceMinor = bannerClickPriceMinor
            self.billingFrequency = billingFrequency
        }
    }

    /// Another contract covering `serial` on a day of `period`, if any.
    public static func conflicting(_ connection: Connection, serial: String, period: ClosedRange<LocalDate>, excluding: String?) throws -> String? {
        let rows = try connection.fetchAll(
            """
            SELECT c.id, c.starts_on, COALESCE(c.terminated_on, c.ends_on)
            FROM contract_devices cd JOIN contracts c ON c.id = cd.contract_id
            WHERE cd.device_serial = ? ORDER BY c.id
            """,
            [serial]
        )
        for row in rows {
            let id: String = try row.get(0)
            guard id != excluding, let start = LocalDate(try row.get(1)), let end = LocalDate(try row.get(2)) else { continue }
            if start <= end, ContractRules.overlaps(start...end, period) { return id }
        }
        return nil
    }

    public static func create(_ connection: Connection, _ new: New, id: String = Identifier.make("con")) throws -> Contract {
        let now = Timestamp.now()
        let options = JSONValue.array(new.options.map(JSONValue.string)).encoded()
        let downgrades = JSONValue.array(new.downgrades.map(JSONValue.string)).encoded()
        try connection.execute(
            """
            INSERT INTO contracts (id, customer_id, starts_on, ends_on, prepaid_amount_minor, prepaid_currency,
                implementation_package, options, downgrades, banner_agreed, banner_click_price_minor, billing_frequency, version,
                created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
            """,
            [id, new.customer.id, new.startsOn.description, new.endsOn.description, new.prepaidAmountMinor, new.prepaidCurrency,
             new.implementationPackage, options, downgrades, new.bannerAgreed, new.bannerClickPriceMinor, new.billingFrequency.rawValue, now, now]
        )
        // In byte order, so that the contract's serial list is built sorted (ContractSerialLists).
        for serial in new.deviceSerials.sorted(by: SerialList.bytewise) {
            try connection.execute("INSERT INTO contract_devices (contract_id, device_serial) VALUES (?, ?)", [id, serial])
        }
        try addTier(connection, contractID: id, effectiveOn: new.startsOn, tier: new.tier)
        return try find(connection, id: id, scope: nil)!
    }

    public static func addTier(_ connection: Connection, contractID: String, effectiveOn: LocalDate, tier: TierID) throws {
        try connection.execute(
            "INSERT INTO contract_tiers (contract_id, effective_on, tier, recorded_at) VALUES (?, ?, ?, ?)",
            [contractID, effectiveOn.description, tier.rawValue, Timestamp.now()]
        )
    }

    public static func terminate(_ connection: Connection, id: String, lastDay: LocalDate) throws {
        try connection.execute(
            "UPDATE contracts SET terminated_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
            [lastDay.description, Timestamp.now(), id]
        )
    }

    public static func touch(_ connection: Connection, id: String) throws {
        try connection.execute("UPDATE contracts SET version = version + 1, updated_at = ? WHERE id = ?", [Timestamp.now(), id])
    }

    public struct Filter: Sendable {
        public var customerID: String?
        public var deviceSerial: String?
        public var activeOn: LocalDate?
        public init(customerID: String? = nil, deviceSerial: String? = nil, activeOn: LocalDate? = nil) {
            self.customerID = customerID
            self.deviceSerial = deviceSerial
            self.activeOn = activeOn
        }
    }

    /// The contract's columns, its dealer read from `dealer` (a customer's, or the dealer's own row in
    /// `contracts_by_dealer`), its serials joined from `contract_serial_lists` (one row per contract,
    /// looked up by key as the contract is read: a query of its own over the page's ids cost more), and
    /// its tier history as one text, each change its date then its tier, separated by spaces (one
    /// descent into `contract_tiers`' key per contract: the query over the page's ids that it replaces
    /// was a fifth of the large dealer's first page).
    private static func columns(dealer: String) -> String {
        """
        SELECT c.id, c.customer_id, \(dealer), c.starts_on, c.ends_on, c.terminated_on, c.prepaid_amount_minor,
               c.prepaid_currency, c.implementation_package, c.options, c.banner_agreed, c.banner_click_price_minor,
               c.version, c.created_at, c.updated_at, c.downgrades, c.billing_frequency, sl.serials,
               (SELECT group_concat(t.effective_on || t.tier, ' ') FROM contract_tiers t WHERE t.contract_id = c.id)
        """
    }
    private static let serialLists = " LEFT JOIN contract_serial_lists sl ON sl.contract_id = c.id"
    private static let select = columns(dealer: "cu.dealer_id") + " FROM contracts c JOIN customers cu ON cu.id = c.customer_id" + serialLists
    /// A dealer's contracts walked in id order from `contracts_by_dealer`:
    /// a page reads its own rows, for the dealer with 92 contracts and the
    /// one with 50 000 alike. Walking every contract in id order read the
    /// other dealers' too (2 700 for a small dealer's 50 at factor 0.1);
    /// finding the dealer's through its customers read and sorted all of
    /// them (3.5 ms a page for the large dealer at factor 1). `CROSS JOIN`
    /// keeps SQLite from starting anywhere else. The dealer is the walk's
    /// own: joining each contract's customer for it was two descents of
    /// five per contract.
    private static let selectByDealer = columns(dealer: "bd.dealer_id")
        + " FROM contracts_by_dealer bd CROSS JOIN contracts c ON c.id = bd.contract_id" + serialLists

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> Contract? {
        try connection.fetchCursor(findSQL, [id, scope]).all { try contract($0) }.first
    }

    private static let findSQL = "\(select) WHERE c.id = ?1 AND (?2 IS NULL OR cu.dealer_id = ?2)"

    // The list's statements, written once (built for each request, the text
    // cost a page its building and its statement look-up a comparison of
    // every byte; billing looks up a device's contract per device).
    private static let listFilters = """
        c.id > ?1 AND (?3 IS NULL OR c.customer_id = ?3)
          AND (?5 IS NULL OR (c.starts_on <= ?5 AND COALESCE(c.terminated_on, c.ends_on) >= ?5))
        """
    private static let listConditions = "(?2 IS NULL OR cu.dealer_id = ?2) AND \(listFilters)"
    /// From the device's rows in contract_devices (indexed), not from every
    /// contract: billing and coverage look-ups do this per device.
    private static let listByDevice = """
        \(select) JOIN contract_devices cd ON cd.contract_id = c.id
        WHERE cd.device_serial = ?4 AND \(listConditions) ORDER BY c.id LIMIT ?6
        """
    /// The customer's contracts from contracts_by_customer, in id order: a
    /// customer's page costs the same in any size of estate.
    private static let listByCustomer = "\(select) WHERE c.customer_id = ?3 AND ?4 IS NULL AND \(listConditions) ORDER BY c.id LIMIT ?6"
    private static let listByDealer = """
        \(selectByDealer) WHERE bd.dealer_id = ?2 AND bd.contract_id > ?1 AND ?4 IS NULL AND \(listFilters) ORDER BY bd.contract_id LIMIT ?6
        """
    private static let listAll = "\(select) WHERE ?4 IS NULL AND \(listConditions) ORDER BY c.id LIMIT ?6"

    public static func list(_ connection: Connection, scope: String?, filter: Filter, page: PageRequest) throws -> Page<Contract> {
        let sql = filter.deviceSerial != nil ? listByDevice : filter.customerID != nil ? listByCustomer : scope != nil ? listByDealer : listAll
        let contracts = try connection.fetchCursor(
            sql, [page.after ?? "", scope, filter.customerID, filter.deviceSerial, filter.activeOn?.description, page.limit + 1]
        ).all { try contract($0) }
        return Page(rows: contracts, limit: page.limit) { $0.id }
    }

    /// Every contract a device has had, in id order, each with its terms and
    /// tier history and listing this device alone: what a device's usage and
    /// normal use read, where the contract of the large customer would bring
    /// its 2 000 serials along.
    public static func terms(_ connection: Connection, serial: String) throws -> [Contract] {
        // The serial list's column is not read (a large contract's runs over overflow pages): this device alone is listed.
        try connection.fetchCursor(
            "\(select) JOIN contract_devices cd ON cd.contract_id = c.id WHERE cd.device_serial = ?1 ORDER BY c.id", [serial]
        ).all { try contract($0, serials: [serial]) }
    }

    /// A contract decoded from the statement's columns of `columns`: its serials from the stored list
    /// (in byte order), or `serials` when given.
    private static func contract(_ row: Statement, serials: SerialList? = nil) throws -> Contract {
        Contract(
            id: try row.get(0), customerID: try row.get(1), dealerID: try row.get(2),
            deviceSerials: serials ?? row.withText(at: 17) { SerialList(joined: $0) },
            startsOn: try row.requiredDate(3), endsOn: try row.requiredDate(4), terminatedOn: try row.date(5),
            prepaidAmountMinor: try row.get(6), prepaidCurrency: try row.get(7), implementationPackage: try row.get(8),
            downgrades: strings(try row.get(15)), options: strings(try row.get(9)), bannerAgreed: try row.get(10),
            bannerClickPriceMinor: try row.get(11), tierHistory: try tierHistory(row, at: 18), version: try row.get(12), createdAt: try row.get(13),
            updatedAt: try row.get(14), billingFrequency: try row.choice(16, BillingFrequency.self)
        )
    }
}

extension ContractStore {
    /// The tier history joined by `columns`, in date order: each change ten bytes of date then its tier.
    /// `group_concat` keeps the order of the key it walks, which is the date's, but SQLite does not
    /// promise it, so a history out of order is sorted.
    static func tierHistory(_ row: Statement, at column: Int32) throws -> [Contract.TierChange] {
        if row.isNull(at: column) { return [] }
        let history = try row.withText(at: column) { text -> [Contract.TierChange]? in
            var changes: [Contract.TierChange] = []
            for entry in text.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
                guard entry.count > 10,
                      let date = LocalDate(utf8: UnsafeBufferPointer(rebasing: entry.prefix(10))),
                      let tier = TierID(rawValue: String(decoding: entry.dropFirst(10), as: UTF8.self)) else { return nil }
                changes.append(Contract.TierChange(effectiveOn: date, tier: tier))
            }
            return changes
        }
        guard let history else {
            throw RowDecodingError(column: "tier history", index: Int(column), expected: "dates each followed by a tier", found: row.value(at: Int(column)))
        }
        let ordered = zip(history, history.dropFirst()).allSatisfy { $0.effectiveOn < $1.effectiveOn }
        return ordered ? history : history.sorted { $0.effectiveOn < $1.effectiveOn }
    }

    /// The contract covering a device on a day (at most one: overlaps are refused).
    public static func covering(_ connection: Connection, serial: String, on date: LocalDate) throws -> Contract? {
        try list(connection, scope: nil, filter: Filter(deviceSerial: serial, activeOn: date), page: PageRequest(limit: 1, after: nil)).items.first
    }

    /// A stored JSON list of ids.
    static func strings(_ stored: String) -> [String] {
        // Most contracts have no options and no downgrades: no parse for those.
        if stored == "[]" { return [] }
        guard case .array(let items)? = try? JSONParser.parse(stored) else { return [] }
        return items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
    }
}
