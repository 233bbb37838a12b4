import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

struct ConsumableOrderRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/consumable-orders/{id}", api.show(
            "consumable order", parameter: "id", find: { try ConsumableOrderStore.find($0, id: $1, scope: $2) }, json: { $0.json }
        ))
        group.get("/consumable-orders?device_serial&state&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let state = try request.queryChoice("state", ConsumableOrder.State.self)
            let serial = try request.querySerial("device_serial")
            return APIResponse.page(try api.read { try ConsumableOrderStore.list($0, scope: principal.dealerScope, serial: serial, state: state, page: page) })
        }
        group.post("/consumable-orders/{id}/events") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let now = Date()
            let (type, quantity, at) = try request.decode { body -> (ConsumableOrder.EventType, Int?, Date)? in
                let type = body.choice("type", ConsumableOrder.EventType.self)
                let quantity = body.int("quantity", required: false, range: 1...1_000)
                if let type, type != .cancel, quantity == nil, !body.issues.list.contains(where: { $0.field == "quantity" }) {
                    body.issues.add("quantity", "is required with ship and deliver")
                }
                let at = body.pastInstant("at", required: false, now: now) ?? now
                guard let type else { return nil }
                return (type, quantity, at)
            }
            return try api.mfpWrite(request) { connection, principal in
                let saved = try ConsumableOrderEvents.record(connection, id: id, scope: principal.dealerScope, type, quantity: quantity, at: at)
                try api.audit(connection, principal, "consumable_order.\(type.rawValue)", "consumable_order", id, dealer: saved.dealerID,
                              [("quantity", quantity.map(JSONValue.int) ?? .null)])
                try api.publish(connection, EventType(type), dealer: saved.dealerID, id: id, saved.json)
                return APIResponse.json(.ok, saved.json, version: saved.version)
            }
        }
    }
}

extension ConsumableOrder: JSONResource {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("id", id)
            json.member("device_serial", deviceSerial)
            json.member("dealer_id", dealerID)
            json.member("channel", item)
            json.member("state", state)
            json.member("level_percent", levelPercent)
            json.member("triggered_at", triggeredAt)
            json.member("quantity_shipped", quantityShipped)
            json.member("quantity_delivered", quantityDelivered)
            json.member("delivered_at", deliveredAt)
        }
    }
}
