import Foundation
import ServiceJSON

public enum IPFSupportCaseOperations {
    /// A case about a device registered to the dealer.
    public static func open(_ connection: Connection, principal: Principal, dealerID: String, serial: String, channel: IPFSupportCase.Channel,
                            problem: String, at: Date) throws -> IPFSupportCase {
        try IPFAuthorisationOperations.requireDealer(connection, scope: principal.dealerScope, dealerID)
        guard try IPFRegistrationStore.find(connection, serial: serial, scope: dealerID) != nil else {
            throw IPFFailure.invalid("serial", "\(serial) is not registered to dealer \(dealerID) in ASCR")
        }
        let opened = IPFSupportCase(id: Identifier.make("isc"), dealerID: dealerID, serial: serial, channel: channel, problem: problem, state: .open,
                                    openedAt: at, escalatedAt: nil, responseDueAt: nil, events: [], version: 1)
        try IPFSupportCaseStore.create(connection, opened)
        try AuditStore.record(connection, principal: principal, action: "ipf.support_case.open", resourceType: "ipf_support_case",
                              resourceID: opened.id, dealerID: dealerID, detail: .object([("serial", .string(serial)), ("channel", .string(channel.rawValue))]))
        return opened
    }

    /// A troubleshooting step, an escalation or a resolution. Escalating
    /// too early is 422 naming `troubleshooting_steps` and how many are
    /// missing (the rule); an event that does not fit the case's
    /// state is 409.
    public static func apply(_ connection: Connection, principal: Principal, caseID: String, _ type: IPFSupportCase.EventType, note: String?,
                             at: Date, terms: SupportTerms, calendar: SupportCalendar) throws -> IPFSupportCase {
        guard let existing = try IPFSupportCaseStore.find(connection, id: caseID, scope: principal.dealerScope) else {
            throw IPFFailure.notFound(kind: "support case", id: caseID)
        }
        let deadline = { (at: Date) in calendar.deadline(for: terms.escalatedResponse, reportedAt: at).responseDueAt }
        switch existing.applying(type, note: note, at: at, terms: terms, deadline: deadline) {
        case .failure(.stepsMissing(let recorded, let required)):
            throw IPFFailure.invalid("troubleshooting_steps",
                                     "\(recorded) recorded, \(required) required before escalation: record \(required - recorded) more")
        case .failure(.notAllowed(let state, let event)):
            throw IPFFailure.conflict("a case that is \(state.rawValue) cannot take \(event.rawValue)", details: [("state", state.rawValue)])
        case .success(var updated):
            try IPFSupportCaseStore.save(connection, updated)
            updated.version += 1
            try AuditStore.record(connection, principal: principal, action: "ipf.support_case.\(type.rawValue)", resourceType: "ipf_support_case",
                                  resourceID: caseID, dealerID: updated.dealerID, detail: .object([("state", .string(updated.state.rawValue))]))
            return updated
        }
    }
}
