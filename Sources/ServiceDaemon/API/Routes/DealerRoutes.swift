import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Dealers and their API keys: administrators only, except that a dealer
/// key may read its own dealer.
struct DealerRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/dealers") { request in
            _ = try request.principal(.admin)
            let name = try request.decode { $0.string("name") }
            return try api.write(request) { connection, principal in
                let dealer = try DealerStore.create(connection, name: name)
                try api.audit(connection, principal, "dealer.create", "dealer", dealer.id, dealer: dealer.id, [("name", .string(name))])
                return APIResponse.json(.created, dealer.json, location: "/v1/dealers/\(dealer.id)")
            }
        }
        group.get("/dealers/{id}") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            guard principal.canSee(dealer: id), let dealer = try api.read({ try DealerStore.find($0, id: id) }) else {
                throw APIProblem.notFound("dealer", id)
            }
            return APIResponse.json(.ok, dealer.json)
        }
        group.get("/dealers?limit&cursor") { request in
            _ = try request.principal(.admin, .billing)
            let page = try request.pageRequest()
            return APIResponse.page(try api.read { try DealerStore.list($0, page: page) })
        }
        group.post("/dealers/{id}/api-keys") { request in
            _ = try request.principal(.admin)
            let id = try request.parameters.require("id")
            if !request.body.isEmpty { _ = try request.decode { _ in () } }
            return try api.write(request) { connection, principal in
                guard try DealerStore.find(connection, id: id) != nil else { throw APIProblem.notFound("dealer", id) }
                let (record, key) = try APIKeyStore.create(connection, role: .dealer, dealerID: id)
                try api.audit(connection, principal, "api_key.create", "api_key", record.id, dealer: id, [("role", .string("dealer"))])
                return APIResponse.json(.created, .object([
                    ("id", .string(record.id)), ("key", .string(key)), ("role", .string(record.role.rawValue)),
                    ("dealer_id", .string(id)), ("created_at", .string(record.createdAt)),
                ]))
            }
        }
        group.delete("/api-keys/{id}") { request in
            _ = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let response = try api.write(request) { connection, principal in
                guard let record = try APIKeyStore.find(connection, id: id) else { throw APIProblem.notFound("API key", id) }
                if try APIKeyStore.revoke(connection, id: id) {
                    try api.audit(connection, principal, "api_key.revoke", "api_key", id, dealer: record.dealerID)
                }
                return HTTPResponse(status: .noContent)
            }
            // After the commit: a look-up now reads the revocation.
            api.keys.invalidate()
            return response
        }
    }
}
