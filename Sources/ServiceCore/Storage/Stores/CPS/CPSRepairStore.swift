import Foundation
import ServiceJSON

/// Repairs and the partner centres dealers run.
public enum CPSRepairStore {
    private static let columns = """
        id, member_id, registration_id, product_id, centre_id, dealer_id, service, chargeable, received_at, level, points, decision,
        start_on, target_on, benefits, state, completed_on, returned_shipping, version, loan_product, loan_lent_on, loan_returned_on,
        target_missed_at
        """
    /// In servicing with its target's miss not yet raised: what the `cps_repairs_target_pending` index holds.
    private static let targetPending = "target_missed_at IS NULL AND state IN ('received', 'diagnosed', 'waiting_for_parts')"

    public static func insertPartner(_ connection: Connection, _ centre: ServiceCentre) throws {
        try connection.execute("INSERT INTO cps_partner_centres (id, name, country, dealer_id, created_at) VALUES (?, ?, ?, ?, ?)",
                               [centre.id, centre.name, centre.country, centre.dealerID, Timestamp.now()])
    }

    public static func partners(_ connection: Connection) throws -> [ServiceCentre] {
        try connection.fetchAll("SELECT id, name, country, dealer_id FROM cps_partner_centres ORDER BY id").map(partner)
    }

    public static func partner(_ connection: Connection, id: String) throws -> ServiceCentre? {
        try connection.fetchOne("SELECT id, name, country, dealer_id FROM cps_partner_centres WHERE id = ?", [id]).map(partner)
    }

    private static func partner(_ row: Row) throws -> ServiceCentre {
        ServiceCentre(id: try row.get(0), name: try row.get(1), country: try row.get(2), kind: .partner, dealerID: try row.get(3))
    }

    public static func insert(_ connection: Connection, _ repair: CPSRepair) throws {
        try connection.execute(
            "INSERT INTO cps_repairs (\(columns), created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [repair.id, repair.memberID, repair.registrationID, repair.productID, repair.centreID, repair.dealerID, repair.service.rawValue,
             repair.chargeable, RFC3339.format(repair.receivedAt), repair.level?.rawValue, repair.points, decisionJSON(repair.decision).encoded(),
             repair.startOn.description, repair.targetOn.description, benefitsJSON(repair.benefits).encoded(), repair.state.rawValue,
             repair.completedOn?.description, repair.returnedShipping, repair.version, repair.loan?.product,
             repair.loan?.lentOn.description, repair.loan?.returnedOn?.description, repair.targetMissedAt.map(RFC3339.format),
             Timestamp.now()]
        )
    }

    public static func save(_ connection: Connection, _ repair: CPSRepair) throws -> CPSRepair {
        var saved = repair
        saved.version += 1
        try connection.execute(
            """
            UPDATE cps_repairs SET state = ?, completed_on = ?, returned_shipping = ?, version = ?, loan_product = ?, loan_lent_on = ?,
                   loan_returned_on = ?, target_missed_at = ? WHERE id = ?
            """,
            [saved.state.rawValue, saved.completedOn?.description, saved.returnedShipping, saved.version, saved.loan?.product,
             saved.loan?.lentOn.description, saved.loan?.returnedOn?.description, saved.targetMissedAt.map(RFC3339.format), saved.id]
        )
        return saved
    }

    /// A repair within the caller's scope (a dealer sees its own centres' only).
    public static func find(_ connection: Connection, id: String, dealerScope: String?) throws -> CPSRepair? {
        try connection.fetchOne("SELECT \(columns) FROM cps_repairs WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, dealerScope])
            .map(repair)
    }

    /// The member's products in servicing on Fast Track now, wherever they are: the three
    /// places the limit allows (one at the standard turnaround does not take one).
    public static func inServiceCount(_ connection: Connection, memberID: String) throws -> Int {
        try connection.fetchScalar(
            """
            SELECT count(*) FROM cps_repairs WHERE member_id = ? AND state IN ('received', 'diagnosed', 'waiting_for_parts')
            AND json_extract(decision, '$.fast_track') = 1
            """, [memberID]
        )
    }

    /// Whether the member's product has an open repair (through the member's in-service index).
    public static func isInService(_ connection: Connection, memberID: String, registrationID: String) throws -> Bool {
        try connection.fetchScalar(
            """
            SELECT EXISTS (SELECT 1 FROM cps_repairs WHERE member_id = ? AND state IN ('received', 'diagnosed', 'waiting_for_parts')
            AND registration_id = ?)
            """, [memberID, registrationID]
        )
    }

    /// Per centre with any, the earliest target day among repairs in servicing whose miss is not yet raised.
    public static func earliestPendingTargets(_ connection: Connection) throws -> [(centreID: String, targetOn: LocalDate)] {
        try connection.fetchAll("SELECT centre_id, min(target_on) FROM cps_repairs WHERE \(targetPending) GROUP BY centre_id").map {
            (try $0.get(0), try $0.requiredDate(1))
        }
    }

    /// A centre's repairs in servicing, miss not yet raised, whose target day is before `day`, earliest first.
    public static func pendingTargets(_ connection: Connection, centreID: String, before day: LocalDate, limit: Int) throws -> [CPSRepair] {
        try connection.fetchAll(
            "SELECT \(columns) FROM cps_repairs WHERE centre_id = ? AND \(targetPending) AND target_on < ? ORDER BY target_on, id LIMIT ?",
            [centreID, day.description, limit]
        ).map(repair)
    }

    /// Repairs completed in a period (by the centre's local completion day), within the caller's scope.
    public static func completed(_ connection: Connection, from: LocalDate, to: LocalDate, dealerScope: String?) throws -> [CPSRepair] {
        try connection.fetchAll(
            "SELECT \(columns) FROM cps_repairs WHERE completed_on BETWEEN ?1 AND ?2 AND (?3 IS NULL OR dealer_id = ?3) ORDER BY id",
            [from.description, to.description, dealerScope]
        ).map(repair)
    }

    public static func decisionJSON(_ decision: TurnaroundRules.Decision) -> JSONValue {
        .object([("working_days", .int(decision.workingDays)), ("fast_track", .bool(decision.fastTrack)),
                 ("reasons", .array(decision.reasons.map(JSONValue.string)))])
    }

    public static func benefitsJSON(_ benefits: ChargeableBenefits) -> JSONValue {
        .object([("maintenance_discount_percent", .int(benefits.maintenanceDiscountPercent)),
                 ("free_return_shipping", .bool(benefits.freeReturnShipping)), ("reason", .string(benefits.reason))])
    }

    private static func repair(_ row: Row) throws -> CPSRepair {
        let received = try row.requiredInstant(8)
        guard case .object(let decision)? = try? JSONParser.parse(try row.get(11, as: String.self)),
              case .object(let benefits)? = try? JSONParser.parse(try row.get(14, as: String.self)) else {
            throw RowDecodingError(column: "cps_repairs", expected: "a stored repair", found: nil)
        }
        func member(_ members: [(String, JSONValue)], _ name: String) -> JSONValue? { members.first { $0.0 == name }?.1 }
        guard case .int(let days)? = member(decision, "working_days"), case .bool(let fast)? = member(decision, "fast_track"),
              case .array(let reasons)? = member(decision, "reasons"),
              case .int(let discount)? = member(benefits, "maintenance_discount_percent"),
              case .bool(let shipping)? = member(benefits, "free_return_shipping"), case .string(let why)? = member(benefits, "reason") else {
            throw RowDecodingError(column: "cps_repairs.decision", expected: "a stored decision", found: nil)
        }
        return CPSRepair(
            id: try row.get(0), memberID: try row.get(1), registrationID: try row.get(2), productID: try row.get(3), centreID: try row.get(4),
            dealerID: try row.get(5), service: try row.choice(6, ServiceKind.self), chargeable: try row.get(7),
            receivedAt: received, level: try row.optionalChoice(9, CPSLevel.self), points: try row.get(10),
            decision: TurnaroundRules.Decision(workingDays: days, fastTrack: fast,
                                               reasons: reasons.compactMap { if case .string(let text) = $0 { text } else { nil } }),
            startOn: try row.requiredDate(12), targetOn: try row.requiredDate(13),
            benefits: ChargeableBenefits(maintenanceDiscountPercent: discount, freeReturnShipping: shipping, reason: why),
            state: try row.choice(15, CPSRepair.State.self), completedOn: try row.date(16),
            returnedShipping: try row.get(17),
            loan: try row.date(20).map { CPSRepair.Loan(product: try row.get(19), lentOn: $0, returnedOn: try row.date(21)) },
            targetMissedAt: try row.instant(22), version: try row.get(18)
        )
    }
}
