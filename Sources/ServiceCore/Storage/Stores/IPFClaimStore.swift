import ServiceJSON

public enum IPFClaimStore {
    private static let columns = """
        id, dealer_id, serial, service_date, technician_id, labour_minutes, parts, description, state, reasons, product_line, currency,
        amount_minor, explanation, submitted_at, submitted_on, paid_on, payment_reference, version
        """

    public static func create(_ connection: Connection, _ claim: IPFClaim) throws {
        let parts = JSONValue.array(claim.parts.map(partJSON)).encoded()
        let reasons = JSONValue.array(claim.reasons.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) }).encoded()
        try connection.execute(
            "INSERT INTO ipf_claims (\(columns), updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim.id, claim.dealerID, claim.serial, claim.serviceDate.description, claim.technicianID, claim.labourMinutes, parts,
             claim.description, claim.state.rawValue, reasons, claim.line?.rawValue, claim.currency, claim.amountMinor,
             claim.explanation.encoded(), claim.submittedAt, claim.submittedOn.description, claim.paidOn?.description, claim.paymentReference,
             claim.version, claim.submittedAt]
        )
    }

    /// The approved or paid claim for the same dealer, serial and service date, if any.
    public static func existing(_ connection: Connection, dealerID: String, serial: String, serviceDate: LocalDate) throws -> String? {
        try connection.fetchOne(
            "SELECT id FROM ipf_claims WHERE dealer_id = ? AND serial = ? AND service_date = ? AND state <> 'rejected'",
            [dealerID, serial, serviceDate.description]
        ).map { try $0.get(0) }
    }

    public static func recordPayment(_ connection: Connection, _ claim: IPFClaim) throws {
        try connection.execute(
            "UPDATE ipf_claims SET state = ?, paid_on = ?, payment_reference = ?, version = version + 1, updated_at = ? WHERE id = ?",
            [claim.state.rawValue, claim.paidOn?.description, claim.paymentReference, Timestamp.now(), claim.id]
        )
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> IPFClaim? {
        try connection.fetchOne("SELECT \(columns) FROM ipf_claims WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope]).map(claim)
    }

    public struct Filter: Sendable {
        public var dealerID: String?
        public var serial: String?
        public var state: IPFClaim.State?
        public init() {}
    }

    public static func list(_ connection: Connection, scope: String?, filter: Filter, page: PageRequest) throws -> Page<IPFClaim> {
        let rows = try connection.fetchAll(
            """
            SELECT \(columns) FROM ipf_claims WHERE id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3)
            AND (?4 IS NULL OR serial = ?4) AND (?5 IS NULL OR state = ?5) ORDER BY id LIMIT ?6
            """,
            [page.after ?? "", scope, filter.dealerID, filter.serial, filter.state?.rawValue, page.limit + 1]
        ).map(claim)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    /// A dealer's claims submitted within [from, through], in submission order.
    public static func submitted(_ connection: Connection, dealerID: String, from: LocalDate, through: LocalDate) throws -> [IPFClaim] {
        try connection.fetchAll(
            "SELECT \(columns) FROM ipf_claims WHERE dealer_id = ? AND submitted_on >= ? AND submitted_on <= ? ORDER BY submitted_on, id",
            [dealerID, from.description, through.description]
        ).map(claim)
    }

    static func partJSON(_ part: Compensation.Part) -> JSONValue {
        .object([("part_number", .string(part.partNumber)), ("quantity", .int(part.quantity)), ("unit_cost_minor", .int(part.unitCostMinor))])
    }

    private static func claim(_ row: Row) throws -> IPFClaim {
        func bad(_ what: String) -> RowDecodingError { RowDecodingError(column: "ipf_claims.\(what)", expected: "a stored claim", found: row[0]) }
        guard let serviceDate = LocalDate(try row.get(3)), let state = IPFClaim.State(rawValue: try row.get(8)),
              let submittedOn = LocalDate(try row.get(15)) else { throw bad("dates or state") }
        guard case .array(let partValues) = try JSONParser.parse(Array((try row.get(6) as String).utf8)),
              case .array(let reasonValues) = try JSONParser.parse(Array((try row.get(9) as String).utf8)) else { throw bad("parts") }
        let parts = try partValues.map { value -> Compensation.Part in
            guard case .object(let m) = value, case .string(let number)? = m.first(where: { $0.0 == "part_number" })?.1,
                  case .int(let quantity)? = m.first(where: { $0.0 == "quantity" })?.1,
                  case .int(let cost)? = m.first(where: { $0.0 == "unit_cost_minor" })?.1 else { throw bad("parts") }
            return Compensation.Part(partNumber: number, quantity: quantity, unitCostMinor: cost)
        }
        let reasons = try reasonValues.map { value -> IPFClaim.Reason in
            guard case .object(let m) = value, case .string(let code)? = m.first(where: { $0.0 == "code" })?.1,
                  case .string(let message)? = m.first(where: { $0.0 == "message" })?.1 else { throw bad("reasons") }
            return IPFClaim.Reason(code: code, message: message)
        }
        return IPFClaim(
            id: try row.get(0), dealerID: try row.get(1), serial: try row.get(2), serviceDate: serviceDate, technicianID: try row.get(4),
            labourMinutes: try row.get(5), parts: parts, description: try row.get(7), state: state, reasons: reasons,
            line: try row.optionalChoice(10, ProductLineID.self), currency: try row.get(11), amountMinor: try row.get(12),
            explanation: try JSONParser.parse(Array((try row.get(13) as String).utf8)), submittedAt: try row.get(14), submittedOn: submittedOn,
            paidOn: try row.date(16), paymentReference: try row.get(17), version: try row.get(18)
        )
    }
}
