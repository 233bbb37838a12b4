import ServiceCore
import ServiceHTTP
import ServiceJSON

/// A member's Kitbag: registered products (admin writes; admin and billing read).
struct CPSKitbagRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/members/{id}/products") { request in
            let principal = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let (productID, input) = try request.decode { body -> (String, CPSKitbag.DetailsInput)? in
                let productID = body.string("product_id", maxLength: 64)
                let input = CPSBody.details(body)
                return productID.map { ($0, input) }
            }
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                let added = try CPSKitbag.add(connection, member: record.member, productID: productID, input: input, today: api.today, rules: api.cps)
                try api.cpsAudit(connection, principal, "registration.create", "cps_registration", added.id,
                                 [("member_id", .string(id)), ("product_id", .string(productID)), ("complete", .bool(added.details.isComplete))])
                return APIResponse.json(.created, added.json(on: api.today, rules: api.cps), version: added.version,
                                        location: "/v1/cps/members/\(id)/products/\(added.id)")
            }
        }
        group.get("/cps/members/{id}/products?on") { request in
            _ = try request.principal(.admin, .billing)
            let id = try request.parameters.require("id")
            let on = try request.cpsDate(api)
            let record = try api.cpsRead { try CPSMemberRecord.require($0, id: id) }
            return APIResponse.json(.ok, .object([("member_id", .string(id)), ("on", .string(on.description)),
                                                  ("items", .array(record.kitbag(on: on).map { $0.json(on: on, rules: api.cps) }))]))
        }
        group.get("/cps/members/{id}/products/{registration}?on") { request in
            _ = try request.principal(.admin, .billing)
            let (id, registrationID) = (try request.parameters.require("id"), try request.parameters.require("registration"))
            let on = try request.cpsDate(api)
            let registration = try api.cpsRead { try CPSKitbagRoutes.find($0, member: id, registration: registrationID) }
            return APIResponse.json(.ok, registration.json(on: on, rules: api.cps), version: registration.version)
        }
        group.patch("/cps/members/{id}/products/{registration}") { request in
            let principal = try request.principal(.admin)
            let (id, registrationID) = (try request.parameters.require("id"), try request.parameters.require("registration"))
            let input = try request.decode { body -> CPSKitbag.DetailsInput? in
                if !CPSBody.detailKeys.contains(where: body.contains) { body.issues.add("body", "give serial, country_of_purchase, purchased_on, store or second_hand") }
                return CPSBody.details(body)
            }
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                let registration = try CPSKitbagRoutes.find(connection, member: id, registration: registrationID)
                try request.checkPrecondition(currentVersion: registration.version)
                let updated = try CPSKitbag.update(connection, member: record.member, registration, input: input, today: api.today, rules: api.cps)
                try api.cpsAudit(connection, principal, "registration.update", "cps_registration", registrationID,
                                 [("member_id", .string(id)), ("complete", .bool(updated.details.isComplete))])
                return APIResponse.json(.ok, updated.json(on: api.today, rules: api.cps), version: updated.version)
            }
        }
        group.delete("/cps/members/{id}/products/{registration}") { request in
            let principal = try request.principal(.admin)
            let (id, registrationID) = (try request.parameters.require("id"), try request.parameters.require("registration"))
            return try api.cpsWrite(request) { connection, _ in
                let record = try CPSMemberRecord.require(connection, id: id)
                let registration = try CPSKitbagRoutes.find(connection, member: id, registration: registrationID)
                try request.checkPrecondition(currentVersion: registration.version)
                _ = try CPSKitbag.remove(connection, member: record.member, registration, today: api.today)
                try api.cpsAudit(connection, principal, "registration.remove", "cps_registration", registrationID, [("member_id", .string(id))])
                return HTTPResponse(status: .noContent)
            }
        }
    }

    /// A registration in the member's Kitbag now; removed or migrated ones are gone (404).
    static func find(_ connection: Connection, member: String, registration: String) throws -> Registration {
        guard let found = try CPSRegistrationStore.find(connection, memberID: member, id: registration), found.endedOn == nil else {
            throw CPSFailure.notFound(kind: "registration", id: registration)
        }
        return found
    }
}
