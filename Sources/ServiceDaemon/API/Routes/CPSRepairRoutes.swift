import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Products received for servicing: the turnaround, target date and benefits
/// decided on receipt, with reasons; events after. A dealer key acts only for
/// the partner centre it runs and sees only that centre's repairs.
struct CPSRepairRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/repairs") { request in
            let principal = try request.principal(.admin, .dealer)
            let now = Date()
            let intake = try request.decode { body -> CPSRepairs.Intake? in
                let number = body.string("membership_number", maxLength: 32)
                let product = body.string("product", maxLength: 64)
                let centre = body.string("service_centre_id", maxLength: 64)
                let service = body.choice("service", ServiceKind.self)
                let received = body.pastInstant("received_at", required: true, now: now)
                let chargeable = body.bool("chargeable")
                guard let number, let product, let centre, let service, let received, let chargeable else { return nil }
                return CPSRepairs.Intake(membershipNumber: number, product: product, centreID: centre, service: service,
                                         receivedAt: received, chargeable: chargeable)
            }
            return try api.cpsWrite(request) { connection, _ in
                let repair = try CPSRepairs.open(connection, intake, dealerScope: principal.dealerScope, rules: api.cps)
                try api.audit(connection, principal, "cps.repair.create", "cps_repair", repair.id, dealer: repair.dealerID,
                              [("centre_id", .string(repair.centreID)), ("fast_track", .bool(repair.decision.fastTrack))])
                return APIResponse.json(.created, repair.json(rules: api.cps, today: api.today), version: repair.version, location: "/v1/cps/repairs/\(repair.id)")
            }
        }
        group.get("/cps/repairs/{id}") { request in
            let principal = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            guard let repair = try api.cpsRead({ try CPSRepairStore.find($0, id: id, dealerScope: principal.dealerScope) }) else {
                throw APIProblem.notFound("repair", id)
            }
            return APIResponse.json(.ok, repair.json(rules: api.cps, today: api.today), version: repair.version)
        }
        group.post("/cps/repairs/{id}/events") { request in
            let principal = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let now = Date()
            let (event, at, shipping) = try request.decode { body -> (CPSRepair.Event, Date, String?)? in
                let event = body.choice("type", CPSRepair.Event.self)
                let at = body.pastInstant("at", required: false, now: now) ?? now
                let shipping = body.string("shipping", required: false, maxLength: 200)
                return event.map { ($0, at, shipping) }
            }
            return try api.cpsWrite(request) { connection, _ in
                let repair = try CPSRepairs.record(connection, id: id, event: event, at: at, shipping: shipping,
                                                   dealerScope: principal.dealerScope, rules: api.cps)
                try api.audit(connection, principal, "cps.repair.\(event.rawValue)", "cps_repair", id, dealer: repair.dealerID)
                return APIResponse.json(.ok, repair.json(rules: api.cps, today: api.today), version: repair.version)
            }
        }
    }
}

extension CPSRepair {
    func json(rules: CPSRules, today: LocalDate) -> JSONValue {
        .object([
            ("id", .string(id)), ("member_id", .string(memberID)), ("registration_id", .string(registrationID)),
            ("product_id", .string(productID)), ("service_centre_id", .string(centreID)), ("service", .string(service.rawValue)),
            ("chargeable", .bool(chargeable)), ("received_at", .string(RFC3339.format(receivedAt))),
            ("level", level.map { .string($0.rawValue) } ?? .null), ("points", .int(points)),
            ("fast_track", .bool(decision.fastTrack)), ("turnaround_working_days", .int(decision.workingDays)),
            ("reasons", .array(decision.reasons.map(JSONValue.string))), ("starts_on", .string(startOn.description)),
            ("target_completion_on", .string(targetOn.description)), ("benefits", CPSRepairStore.benefitsJSON(benefits)),
            ("state", .string(state.rawValue)), ("completed_on", completedOn.map { .string($0.description) } ?? .null),
            ("loan", loan.map { .object([("product", .string($0.product)), ("lent_on", .string($0.lentOn.description)),
                                         ("returned_on", $0.returnedOn.map { .string($0.description) } ?? .null)]) } ?? .null),
            ("backup_loan_entitled", .bool(backupLoanEntitled(rules: rules, today: today))),
            ("target_missed_at", targetMissedAt.map { .string(RFC3339.format($0)) } ?? .null),
        ])
    }
}
