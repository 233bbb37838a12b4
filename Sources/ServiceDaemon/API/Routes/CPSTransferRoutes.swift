import ServiceCore
import ServiceHTTP
import ServiceJSON

/// An admin moves a registered product from its holder to its new owner (the
/// alternative to the seller removing it first).
struct CPSTransferRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/members/{id}/products/{registration}/transfer") { request in
            let principal = try request.principal(.admin)
            let (id, registrationID) = (try request.parameters.require("id"), try request.parameters.require("registration"))
            let buyerID = try request.decode { $0.string("to_member_id", maxLength: 64) }
            return try api.cpsWrite(request) { connection, _ in
                let seller = try CPSMemberRecord.require(connection, id: id).member
                let registration = try CPSKitbagRoutes.find(connection, member: id, registration: registrationID)
                guard let buyer = try CPSMemberStore.find(connection, id: buyerID) else {
                    throw CPSFailure.invalid("to_member_id", "no CPS member \(buyerID)")
                }
                let moved = try CPSKitbag.transfer(connection, from: seller, registration, to: buyer, today: api.today)
                try api.cpsAudit(connection, principal, "registration.transfer", "cps_registration", registrationID,
                                 [("from_member_id", .string(id)), ("to_member_id", .string(buyerID)), ("new_registration_id", .string(moved.id))])
                return APIResponse.json(.created, moved.json(on: api.today, rules: api.cps), version: moved.version,
                                        location: "/v1/cps/members/\(buyerID)/products/\(moved.id)")
            }
        }
    }
}
