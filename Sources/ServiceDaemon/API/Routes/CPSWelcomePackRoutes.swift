import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Welcome packs: a Silver, Gold or Platinum member of the free programme
/// asks once, with an address; admins list pending packs and mark them sent.
struct CPSWelcomePackRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/members/{id}/welcome-pack") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let address = try request.decode { CPSBody.address($0) }
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                let pack = try CPSWelcomePacks.request(connection, record, address: address, today: api.today, rules: api.cps)
                try api.cpsAudit(connection, principal, "welcome_pack.request", "cps_welcome_pack", pack.id,
                                 [("member_id", .string(id)), ("level", .string(pack.levelAtRequest.rawValue))])
                return APIResponse.json(.created, pack.json, version: pack.version, location: "/v1/cps/welcome-packs/\(pack.id)")
            }
        }
        group.get("/cps/welcome-packs?state&limit&cursor") { request in
            _ = try request.principal(.admin)
            let page = try request.pageRequest()
            let state = try request.queryChoice("state", WelcomePack.State.self)
            return APIResponse.page(try api.cpsRead { try CPSWelcomePackStore.list($0, state: state, page: page) }) { $0.json }
        }
        group.get("/cps/welcome-packs/{id}") { request in
            _ = try request.principal(.admin)
            let id = try request.parameters.require("id")
            guard let pack = try api.cpsRead({ try CPSWelcomePackStore.find($0, id: id) }) else { throw APIProblem.notFound("welcome pack", id) }
            return APIResponse.json(.ok, pack.json, version: pack.version)
        }
        group.post("/cps/welcome-packs/{id}/sent") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let sentOn = try request.decode { body -> LocalDate?? in .some(body.date("sent_on", required: false)) }
            return try api.cpsWrite(request) { connection, _ in
                let pack = try CPSWelcomePacks.markSent(connection, id: id, on: sentOn ?? api.today, today: api.today)
                try api.cpsAudit(connection, principal, "welcome_pack.sent", "cps_welcome_pack", id, [("sent_on", .string(pack.sentOn!.description))])
                return APIResponse.json(.ok, pack.json, version: pack.version)
            }
        }
    }
}
