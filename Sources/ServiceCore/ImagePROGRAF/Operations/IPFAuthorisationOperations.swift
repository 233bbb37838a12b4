import ServiceJSON

/// A dealer's authorisation as the programme computes it from what is stored.
public struct IPFAuthorisationReport: Sendable {
    public let dealerID: String
    public let on: LocalDate
    public let lines: [Authorisation.LineStatus]
    public let history: [Authorisation.Change]
    public let actions: [IPFAuthorisationStore.Recorded]
}

public enum IPFAuthorisationOperations {
    /// The dealer's status for one line on a date.
    /// `certifications`, when the caller has already read the dealer's, are not read again.
    public static func status(_ connection: Connection, dealerID: String, line: ProductLineID, on date: LocalDate,
                              programme: IPFProgramme, certifications: [Authorisation.Certification]? = nil) throws -> Authorisation.LineStatus {
        Authorisation.status(of: line, on: date, certifications: try certifications ?? IPFTechnicianStore.certifications(connection, dealerID: dealerID),
                             actions: try IPFAuthorisationStore.actions(connection, dealerID: dealerID).map(\.action),
                             requirements: programme.authorisation)
    }

    public static func report(_ connection: Connection, scope: String?, dealerID: String, on date: LocalDate,
                              programme: IPFProgramme) throws -> IPFAuthorisationReport {
        try requireDealer(connection, scope: scope, dealerID)
        let certifications = try IPFTechnicianStore.certifications(connection, dealerID: dealerID)
        let recorded = try IPFAuthorisationStore.actions(connection, dealerID: dealerID)
        let actions = recorded.map(\.action)
        let lines = ProductLineID.allCases
        return IPFAuthorisationReport(
            dealerID: dealerID, on: date,
            lines: lines.map { Authorisation.status(of: $0, on: date, certifications: certifications, actions: actions, requirements: programme.authorisation) },
            history: Authorisation.history(lines: lines, through: date, certifications: certifications, actions: actions,
                                           requirements: programme.authorisation),
            actions: recorded
        )
    }

    /// An admin's suspension or reinstatement, audited.
    public static func record(_ connection: Connection, principal: Principal, dealerID: String, _ action: Authorisation.Action) throws {
        try requireDealer(connection, scope: principal.dealerScope, dealerID)
        try IPFAuthorisationStore.record(connection, dealerID: dealerID, action, keyID: principal.keyID)
        try AuditStore.record(connection, principal: principal, action: "ipf.authorisation.\(action.kind.rawValue)", resourceType: "dealer",
                              resourceID: dealerID, dealerID: dealerID, detail: .object([
                                  ("product_line", action.line.map { .string($0.rawValue) } ?? .null),
                                  ("effective_on", .string(action.effectiveOn.description)), ("reason", .string(action.reason)),
                              ]))
    }

    /// A dealer the caller may see, or not found.
    static func requireDealer(_ connection: Connection, scope: String?, _ dealerID: String) throws {
        guard scope == nil || scope == dealerID, try DealerStore.find(connection, id: dealerID) != nil else {
            throw IPFFailure.notFound(kind: "dealer", id: dealerID)
        }
    }
}
