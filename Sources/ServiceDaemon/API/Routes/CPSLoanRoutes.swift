import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Courtesy backup loans for entitled repairs, and their return.
struct CPSLoanRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/repairs/{id}/loan") { request in
            let principal = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let (product, lentOn) = try request.decode { body -> (String, LocalDate?)? in
                let product = body.string("product")
                let lentOn = body.date("lent_on", required: false)
                return product.map { ($0, lentOn) }
            }
            return try api.cpsWrite(request) { connection, _ in
                let repair = try CPSRepairs.lend(connection, id: id, product: product, lentOn: lentOn, today: api.today,
                                                 dealerScope: principal.dealerScope, rules: api.cps)
                try api.audit(connection, principal, "cps.repair.loan", "cps_repair", id, dealer: repair.dealerID, [("product", .string(product))])
                return APIResponse.json(.created, repair.json(rules: api.cps, today: api.today), version: repair.version)
            }
        }
        group.post("/cps/repairs/{id}/loan/return") { request in
            let principal = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let day = try request.decode { body -> LocalDate?? in .some(body.date("returned_on", required: false)) }
            return try api.cpsWrite(request) { connection, _ in
                let repair = try CPSRepairs.returnLoan(connection, id: id, on: day ?? api.today, today: api.today, dealerScope: principal.dealerScope)
                try api.audit(connection, principal, "cps.repair.loan_return", "cps_repair", id, dealer: repair.dealerID)
                return APIResponse.json(.ok, repair.json(rules: api.cps, today: api.today), version: repair.version)
            }
        }
    }
}
