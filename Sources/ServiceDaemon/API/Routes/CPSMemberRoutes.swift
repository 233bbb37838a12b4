import ServiceCore
import ServiceHTTP
import ServiceJSON

/// CPS accounts. Admins create and change them and see contact details;
/// billing reads them without; a dealer key may only look one up by
/// membership number (`GET /cps/members?membership_number=`).
struct CPSMemberRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/members") { request in
            _ = try request.principal(.admin)
            let new = try request.decode { body -> CPSMemberStore.New? in
                let name = body.string("name")
                let email = CPSBody.email(body)
                let country = CPSBody.country(body, "country")
                let programme = body.choice("programme", CPSMember.Programme.self)
                guard let name, let email, let country, let programme else { return nil }
                return CPSMemberStore.New(name: name, email: email, country: country, programme: programme)
            }
            return try api.cpsWrite(request) { connection, principal in
                let member = try CPSMembership.join(connection, new)
                try api.cpsAudit(connection, principal, "member.create", "cps_member", member.id, [("programme", .string(new.programme.rawValue))])
                let record = CPSMemberRecord(member: member, registrations: [], invoices: [], welcomePack: nil)
                return APIResponse.json(.created, record.json(.admin, on: api.today, rules: api.cps), version: member.version,
                                        location: "/v1/cps/members/\(member.id)")
            }
        }
        // The programme's hot read: one member and its spans by key, on the loop.
        group.get("/cps/members/{id}?on", placement: .eventLoop) { request in
            let principal = try request.principal(.admin, .billing)
            let id = try request.parameters.require("id")
            let on = try request.cpsDate(api)
            let summary = try api.cpsRead { try CPSMemberSummary.require($0, id: id, productIDs: api.cps.productIDs) }
            return APIResponse.json(.ok, summary.json(contactDetails: principal.role == .admin, on: on, rules: api.cps),
                                    version: summary.member.version)
        }
        group.patch("/cps/members/{id}") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let change = try request.decode { body -> CPSMembership.ContactChange? in
                let change = CPSMembership.ContactChange(name: body.string("name", required: false), email: CPSBody.email(body, required: false),
                                                         country: CPSBody.country(body, "country", required: false))
                if !["name", "email", "country"].contains(where: body.contains) { body.issues.add("body", "give name, email or country") }
                return change
            }
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                try request.checkPrecondition(currentVersion: record.member.version)
                let member = try CPSMembership.update(connection, record.member, change)
                try api.cpsAudit(connection, principal, "member.update", "cps_member", id, [("fields", .array(change.fields.map(JSONValue.string)))])
                let updated = CPSMemberRecord(member: member, registrations: record.registrations, invoices: record.invoices, welcomePack: record.welcomePack)
                return APIResponse.json(.ok, updated.json(.admin, on: api.today, rules: api.cps), version: member.version)
            }
        }
        group.get("/cps/members?membership_number&email&on&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let number = request.query["membership_number"]
            if principal.role == .dealer && number == nil { throw APIProblem.invalid("membership_number", "is required with a dealer key") }
            let email = principal.role == .dealer ? nil : request.query["email"]
            let on = try request.cpsDate(api)
            let members = try api.cpsRead { connection in
                try CPSMemberRecord.load(connection, page: try CPSMemberStore.list(connection, email: email, membershipNumber: number, page: page))
            }
            let view = CPSView(principal)
            return APIResponse.page(members) { $1.write(to: &$0, view, on: on, rules: api.cps) }
        }
        group.get("/cps/members/{id}/points-history?on") { request in
            _ = try request.principal(.admin, .billing)
            let id = try request.parameters.require("id")
            let through = try request.cpsDate(api)
            let record = try api.cpsRead { try CPSMemberRecord.require($0, id: id) }
            let entries = PointsLedger(rules: api.cps).history(record.registrations, through: through)
            return APIResponse.json(.ok, .object([("member_id", .string(id)), ("through", .string(through.description)),
                                                  ("items", .array(entries.map(\.json)))]))
        }
    }
}
