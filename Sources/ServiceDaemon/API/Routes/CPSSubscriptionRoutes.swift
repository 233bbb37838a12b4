import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The subscription programme: what a business account may choose, enrolment, renewal.
struct CPSSubscriptionRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/cps/members/{id}/subscription-options?on") { request in
            _ = try request.principal(.admin, .billing)
            let id = try request.parameters.require("id")
            let on = try request.cpsDate(api)
            let summary = try api.cpsRead { try CPSMemberSummary.require($0, id: id, productIDs: api.cps.productIDs) }
            let points = summary.standing(on: on, rules: api.cps).points
            let rules = api.cps.subscription
            return APIResponse.json(.ok, .object([
                ("member_id", .string(id)), ("programme", .string(summary.member.programme.rawValue)), ("points", .int(points)),
                ("on", .string(on.description)), ("invited", .bool(rules.isInvited(points: points))),
                ("options", .array(rules.options(points: points).map(\.json))),
                ("note", rules.nextStep(points: points).map(JSONValue.string) ?? .null),
            ]))
        }
        group.post("/cps/members/{id}/subscription") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let (level, method) = try request.decode { body -> (CPSLevel, PaymentMethod)? in
                let level = CPSSubscriptionRoutes.level(body, required: true)
                let method = body.choice("payment_method", PaymentMethod.self)
                guard let level, let method else { return nil }
                return (level, method)
            }
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                let enrolment = try CPSSubscription.enrol(connection, record, level: level, method: method, today: api.today, rules: api.cps)
                try api.cpsAudit(connection, principal, "subscription.enrol", "cps_member", id,
                                 [("level", .string(level.rawValue)), ("invoice_id", .string(enrolment.invoice.id))])
                let updated = try CPSMemberRecord.load(connection, enrolment.member)
                return APIResponse.json(.created, .object([("member", updated.json(.admin, on: api.today, rules: api.cps)),
                                                           ("invoice", enrolment.invoice.json(on: api.today))]),
                                        location: "/v1/cps/invoices/\(enrolment.invoice.id)")
            }
        }
        group.post("/cps/members/{id}/subscription/renewal") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let (level, method) = try request.decode { body -> (CPSLevel?, PaymentMethod?)? in
                (CPSSubscriptionRoutes.level(body, required: false), body.choice("payment_method", PaymentMethod.self, required: false))
            }
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                let invoice = try CPSSubscription.renew(connection, record, level: level, method: method, today: api.today, rules: api.cps)
                try api.cpsAudit(connection, principal, "subscription.renew", "cps_member", id,
                                 [("level", .string(invoice.level.rawValue)), ("invoice_id", .string(invoice.id))])
                return APIResponse.json(.created, invoice.json(on: api.today), location: "/v1/cps/invoices/\(invoice.id)")
            }
        }
    }

    /// A subscription level: silver, gold, platinum or corporate (red is the free programme's).
    static func level(_ body: ObjectReader, required: Bool) -> CPSLevel? {
        guard let level = body.choice("level", CPSLevel.self, required: required) else { return nil }
        guard SubscriptionRules.levels.contains(level) else {
            body.issues.add("level", "must be one of \(SubscriptionRules.levels.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return level
    }
}
