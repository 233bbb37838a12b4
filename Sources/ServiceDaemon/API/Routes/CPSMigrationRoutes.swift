import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Moving an old free account's products into this (business) account.
struct CPSMigrationRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/members/{id}/migrate") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let email = try request.decode { CPSBody.email($0, key: "from_email") }
            return try api.cpsWrite(request) { connection, _ in
                let target = try CPSMemberRecord.require(connection, id: id).member
                let outcome = try CPSMigration.migrate(connection, into: target, fromEmail: email, today: api.today)
                if outcome.changed {
                    try api.cpsAudit(connection, principal, "member.migrate", "cps_member", id,
                                     [("from_member_id", .string(outcome.source.id)), ("products", .int(outcome.moved.count))])
                }
                let record = try CPSMemberRecord.require(connection, id: id)
                return APIResponse.json(.ok, .object([
                    ("member", record.json(.admin, on: api.today, rules: api.cps)), ("migrated_from", .string(outcome.source.id)),
                    ("already_migrated", .bool(!outcome.changed)),
                    ("products", .array(outcome.moved.map { $0.json(on: api.today, rules: api.cps) })),
                ]), version: record.member.version)
            }
        }
    }
}
