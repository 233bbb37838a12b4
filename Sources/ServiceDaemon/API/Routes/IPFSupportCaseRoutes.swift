import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// imagePROGRAF technical-support cases: troubleshooting steps, escalation, resolution.
struct IPFSupportCaseRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/ipf/support-cases") { request in
            let principal = try request.principal(.admin, .dealer)
            let (dealerID, serial, channel, problem) = try request.decode { body -> (String?, String, IPFSupportCase.Channel, String)? in
                let dealerID = body.dealerID(for: principal)
                let serial = body.ipfSerial("serial")
                let channel = body.choice("channel", IPFSupportCase.Channel.self)
                let problem = body.string("problem", maxLength: 4_000)
                guard let serial, let channel, let problem else { return nil }
                return (dealerID, serial, channel, problem)
            }
            return try api.ipfWrite(request) { connection, principal in
                let opened = try IPFSupportCaseOperations.open(connection, principal: principal, dealerID: request.owner(principal, dealerID),
                                                               serial: serial, channel: channel, problem: problem, at: Date())
                return APIResponse.json(.created, opened.json, version: opened.version, location: "/v1/ipf/support-cases/\(opened.id)")
            }
        }
        group.get("/ipf/support-cases/{id}", api.show(
            "support case", parameter: "id", find: { try IPFSupportCaseStore.find($0, id: $1, scope: $2) }, json: { $0.json }
        ))
        group.get("/ipf/support-cases?dealer_id&state&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let state = try request.queryChoice("state", IPFSupportCase.State.self)
            return APIResponse.page(try api.read {
                try IPFSupportCaseStore.list($0, scope: principal.dealerScope, dealerID: request.query["dealer_id"], state: state, page: page)
            }) { $0.json }
        }
        for type in IPFSupportCase.EventType.allCases {
            group.post("/ipf/support-cases/{id}/\(type == .step ? "steps" : type.rawValue)", caseEvent(type))
        }
    }

    /// `POST .../steps {note}`, `.../escalate {note?}`, `.../resolve {note?}`.
    private func caseEvent(_ type: IPFSupportCase.EventType) -> Handler {
        { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            // Escalating or resolving needs no note, so no body either.
            let note = request.body.isEmpty && type != .step
                ? nil : try request.decode { body -> String?? in .some(body.string("note", required: type == .step, maxLength: 4_000)) }
            return try api.ipfWrite(request) { connection, principal in
                let updated = try IPFSupportCaseOperations.apply(connection, principal: principal, caseID: id, type, note: note, at: Date(),
                                                                 terms: api.programme.support, calendar: api.calendar)
                return APIResponse.json(.ok, updated.json, version: updated.version)
            }
        }
    }
}
