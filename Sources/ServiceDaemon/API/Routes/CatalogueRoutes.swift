import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The catalogue as loaded (any valid key) and the audit trail (admin).
struct CatalogueRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        let document = api.catalogue.document.bytes
        group.get("/catalogue") { request in
            _ = try request.principal
            return .json(.ok, document)
        }
        group.get("/audit?limit&cursor") { request in
            _ = try request.principal(.admin)
            let (limit, after) = try request.numberedPageRequest()
            let entries = try api.read { try AuditStore.list($0, after: after, limit: limit + 1) }
            return APIResponse.numberedPage(entries, limit: limit, id: \.id) { $0.json }
        }
    }
}
