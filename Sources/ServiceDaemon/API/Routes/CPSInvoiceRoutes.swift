import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Subscription invoices (admin and billing): list by state as of today, record payments and card charges.
struct CPSInvoiceRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/cps/invoices?state&member_id&limit&cursor") { request in
            _ = try request.principal(.admin, .billing)
            let page = try request.pageRequest()
            let state = try request.queryChoice("state", CPSInvoice.State.self)
            let today = api.today
            let invoices = try api.cpsRead {
                try CPSInvoiceStore.list($0, state: state, memberID: request.query["member_id"], today: today, page: page)
            }
            return APIResponse.page(invoices) { $0.json(on: today) }
        }
        group.get("/cps/invoices/{id}") { request in
            _ = try request.principal(.admin, .billing)
            let id = try request.parameters.require("id")
            guard let invoice = try api.cpsRead({ try CPSInvoiceStore.find($0, id: id) }) else { throw APIProblem.notFound("invoice", id) }
            return APIResponse.json(.ok, invoice.json(on: api.today))
        }
        group.post("/cps/invoices/{id}/payments") { request in
            let principal = try request.principal(.admin, .billing)
            let id = try request.parameters.require("id")
            let (amount, currency, paidOn) = try request.decode { body -> (Int, String, LocalDate?)? in
                let amount = body.int("amount_minor", range: 1...Int.max)
                let currency = body.currencyCode("currency")
                let paidOn = body.date("paid_on", required: false)
                guard let amount, let currency else { return nil }
                return (amount, currency, paidOn)
            }
            return try api.cpsWrite(request) { connection, _ in
                guard let invoice = try CPSInvoiceStore.find(connection, id: id) else { throw CPSFailure.notFound(kind: "invoice", id: id) }
                let paid = try CPSSubscription.pay(connection, invoice, amountMinor: amount, currency: currency, paidOn: paidOn ?? api.today,
                                                   today: api.today)
                try api.cpsAudit(connection, principal, "invoice.payment", "cps_invoice", id,
                                 [("amount_minor", .int(amount)), ("currency", .string(currency)), ("paid_on", .string(paid.paidOn!.description))])
                return APIResponse.json(.created, paid.json(on: api.today))
            }
        }
    }
}
