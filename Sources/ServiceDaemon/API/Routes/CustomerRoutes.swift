import ServiceCore
import ServiceHTTP
import ServiceJSON

struct CustomerRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/customers") { request in
            let principal = try request.principal(.admin, .dealer)
            let (name, dealerID) = try request.decode { body -> (String, String?)? in
                let name = body.string("name")
                let dealerID = body.string("dealer_id", required: false)
                if principal.role == .admin, dealerID == nil, !body.issues.list.contains(where: { $0.field == "dealer_id" }) {
                    body.issues.add("dealer_id", "is required with an admin key")
                }
                return name.map { ($0, dealerID) }
            }
            let owner = dealerID ?? principal.dealerID!
            return try api.write(request) { connection, principal in
                guard principal.canSee(dealer: owner), try DealerStore.find(connection, id: owner) != nil else {
                    throw APIProblem.notFound("dealer", owner)
                }
                let customer = try CustomerStore.create(connection, dealerID: owner, name: name)
                try api.audit(connection, principal, "customer.create", "customer", customer.id, dealer: owner, [("name", .string(name))])
                return APIResponse.json(.created, customer.json, version: customer.version, location: "/v1/customers/\(customer.id)")
            }
        }
        group.get("/customers/{id}", api.show(
            "customer", parameter: "id", find: { try CustomerStore.find($0, id: $1, scope: $2) }, json: { $0.json }
        ))
        group.patch("/customers/{id}") { request in
            let principal = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let name = try request.decode { $0.string("name") }
            return try api.write(request) { connection, _ in
                guard let existing = try CustomerStore.find(connection, id: id, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("customer", id)
                }
                try request.checkPrecondition(currentVersion: existing.version)
                let customer = try CustomerStore.rename(connection, existing, to: name)
                try api.audit(connection, principal, "customer.update", "customer", id, dealer: customer.dealerID,
                              [("name", .string(name)), ("previous_name", .string(existing.name))])
                return APIResponse.json(.ok, customer.json, version: customer.version)
            }
        }
        group.get("/customers?dealer_id&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let dealerID = request.query["dealer_id"]
            return APIResponse.page(try api.read {
                try CustomerStore.list($0, scope: principal.dealerScope, dealerID: dealerID, page: page)
            })
        }
    }
}
