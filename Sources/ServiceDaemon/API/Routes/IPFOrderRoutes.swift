import ServiceCore
import ServiceHTTP
import ServiceJSON

/// imagePROGRAF parts and service material orders (CNA or NPOC) and their progress.
struct IPFOrderRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/ipf/orders") { request in
            let principal = try request.principal(.admin, .dealer)
            let (dealerID, channel, lines, claimID) = try request.decode { body -> (String?, IPFOrder.Channel, [IPFOrder.Line], String?)? in
                let dealerID = body.dealerID(for: principal)
                let channel = body.choice("channel", IPFOrder.Channel.self)
                let lines = body.orderLines("lines")
                let claimID = body.string("claim_id", required: false, maxLength: 64)
                guard let channel, let lines else { return nil }
                return (dealerID, channel, lines, claimID)
            }
            return try api.ipfWrite(request) { connection, principal in
                let order = try IPFOrderOperations.submit(connection, principal: principal, dealerID: request.owner(principal, dealerID),
                                                          channel: channel, lines: lines, claimID: claimID)
                return APIResponse.json(.created, order.json, version: order.version, location: "/v1/ipf/orders/\(order.id)")
            }
        }
        group.get("/ipf/orders/{id}", api.show("order", parameter: "id", find: { try IPFOrderStore.find($0, id: $1, scope: $2) }, json: { $0.json }))
        group.get("/ipf/orders?dealer_id&state&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let state = try request.queryChoice("state", IPFOrder.State.self)
            return APIResponse.page(try api.read {
                try IPFOrderStore.list($0, scope: principal.dealerScope, dealerID: request.query["dealer_id"], state: state, page: page)
            }) { $0.json }
        }
        group.post("/ipf/orders/{id}/events") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let (type, note) = try request.decode { body -> (IPFOrder.EventType, String?)? in
                let type = body.choice("type", IPFOrder.EventType.self)
                let note = body.string("note", required: false, maxLength: 2_000)
                return type.map { ($0, note) }
            }
            return try api.ipfWrite(request) { connection, principal in
                let order = try IPFOrderOperations.apply(connection, principal: principal, orderID: id, type, note: note)
                return APIResponse.json(.ok, order.json, version: order.version)
            }
        }
    }
}

extension ObjectReader {
    /// `[{part_number, quantity}]`, at least one line.
    func orderLines(_ key: String) -> [IPFOrder.Line]? {
        let lines = objectArray(key, maxCount: 200) { reader -> IPFOrder.Line? in
            let number = reader.string("part_number", maxLength: 40)
            let quantity = reader.int("quantity", range: 1...10_000)
            guard let number, let quantity else { return nil }
            return IPFOrder.Line(partNumber: number, quantity: quantity)
        }
        guard let lines, !lines.isEmpty else {
            if lines?.isEmpty == true { issues.add(field(key), "must have at least one line") }
            return nil
        }
        return lines
    }
}
