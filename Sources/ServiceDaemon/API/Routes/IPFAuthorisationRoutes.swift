import ServiceCore
import ServiceHTTP
import ServiceJSON

/// A dealer's imagePROGRAF authorisation per product line, and admins' suspensions and reinstatements.
struct IPFAuthorisationRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/ipf/dealers/{id}/authorisation?on") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let dealerID = try request.parameters.require("id")
            let on = try request.onDate(default: api.today)
            let report = try api.ipfRead {
                try IPFAuthorisationOperations.report($0, scope: principal.dealerScope, dealerID: dealerID, on: on, programme: api.programme)
            }
            return APIResponse.json(.ok, report.json)
        }
        group.post("/ipf/dealers/{id}/authorisation/actions") { request in
            _ = try request.principal(.admin)
            let dealerID = try request.parameters.require("id")
            let today = api.today
            let action = try request.decode { body -> Authorisation.Action? in
                let kind = body.choice("kind", Authorisation.Action.Kind.self)
                let line = body.productLine(required: false)
                let effectiveOn = body.date("effective_on", required: false) ?? today
                let reason = body.string("reason", maxLength: 2_000)
                guard let kind, let reason else { return nil }
                return Authorisation.Action(kind: kind, line: line, effectiveOn: effectiveOn, reason: reason)
            }
            return try api.ipfWrite(request) { connection, principal in
                try IPFAuthorisationOperations.record(connection, principal: principal, dealerID: dealerID, action)
                let report = try IPFAuthorisationOperations.report(connection, scope: nil, dealerID: dealerID, on: today, programme: api.programme)
                return APIResponse.json(.created, report.json)
            }
        }
    }
}
