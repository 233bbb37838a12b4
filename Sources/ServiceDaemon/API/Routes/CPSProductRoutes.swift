import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The CPS product catalogue, for any key: `?q=` matches every word of the name.
struct CPSProductRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/cps/products?q&category&on&limit&cursor") { request in
            _ = try request.principal
            let page = try request.pageRequest()
            let on = try request.cpsDate(api)
            let category = try request.queryChoice("category", CPSProduct.Category.self)
            let matching = api.cps.products(matching: request.query["q"]).filter { category == nil || $0.category == category }
            let rows = Array(matching.drop { page.after != nil && $0.id != page.after }.dropFirst(page.after == nil ? 0 : 1).prefix(page.limit + 1))
            return APIResponse.page(Page(rows: rows, limit: page.limit) { $0.id }) { $0.json(on: on, rules: api.cps) }
        }
        group.get("/cps/products/{id}?on") { request in
            _ = try request.principal
            let id = try request.parameters.require("id")
            guard let product = api.cps.product(id: id) else { throw APIProblem.notFound("CPS product", id) }
            return APIResponse.json(.ok, product.json(on: try request.cpsDate(api), rules: api.cps))
        }
    }
}
