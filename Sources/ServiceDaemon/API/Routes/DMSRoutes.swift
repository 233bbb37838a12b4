import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Device Management Service: toner levels that dispatch consumables, error
/// codes that open service requests. Alerts repeat; orders and requests
/// must not, so each is created only when none is open for the same thing.
struct DMSRoutes {
    let api: API

    /// `device.alert_raised` for an error code and `device.ip_address_missing`
    /// for any event from a device without an address: the device as stored,
    /// with the DMS event that raised it.
    private func publish(_ connection: Connection, device: Device, dmsEvent: JSONValue, alert: Bool) throws {
        let data = JSONValue.written { json in
            json.object { json in
                device.writeMembers(to: &json)
                json.member("dms_event", dmsEvent)
            }
        }
        if alert { try api.publish(connection, .deviceAlertRaised, dealer: device.dealerID, id: device.serial, data) }
        if device.ipAddress == nil {
            try api.publish(connection, .deviceIPAddressMissing, dealer: device.dealerID, id: device.serial, data)
        }
    }

    func register(on group: inout RouteGroup) {
        group.post("/dms/events") { request in
            _ = try request.principal(.admin, .dealer)
            let now = Date()
            let (serial, at, event) = try request.decode { dmsEvent($0, now: now) }
            return try api.mfpWrite(request) { connection, principal in
                let received = try DMSEvents.receive(
                    connection, serial: serial, at: at, event, scope: principal.dealerScope, catalogue: api.catalogue, calendar: api.calendar
                )
                try announce(connection, principal, received.action, serial: serial, event: event)
                let action = json(received.action)
                try publish(connection, device: received.device, dmsEvent: .object([
                    ("id", .int(Int(received.id))), ("type", .string(event.kind.rawValue)), ("at", .string(RFC3339.format(at))),
                    ("detail", event.detail), ("action", action),
                ]), alert: event.kind == .error)
                return APIResponse.json(.created, .object([
                    ("event_id", .int(Int(received.id))), ("device_serial", .string(serial)), ("type", .string(event.kind.rawValue)),
                    ("ip_address_missing", .bool(received.ipAddressMissing)),
                    ("flags", .array(received.ipAddressMissing ? [.string("ip_address_missing")] : [])), ("action", action),
                ]))
            }
        }
    }

    private func dmsEvent(_ body: ObjectReader, now: Date) -> (String, Date, DMSEvent)? {
        let serial = body.deviceSerial("device_serial")
        let at = body.pastInstant("at", now: now)
        var event: DMSEvent?
        switch body.choice("type", DMSEvent.Kind.self) {
        case .toner_level:
            let item = body.choice("channel", ConsumableOrder.Item.self)
            let level = body.int("level_percent", range: 0...100)
            if let item, let level { event = .tonerLevel(item, level) }
        case .error:
            let code = body.string("code", maxLength: 64)
            let message = body.string("message", required: false, maxLength: 1_000)
            if let code { event = .error(code: code, message: message ?? "") }
        case nil:
            break
        }
        guard let serial, let at, let event else { return nil }
        return (serial, at, event)
    }

    /// What the event created is audited and published like any other creation.
    private func announce(_ connection: Connection, _ principal: Principal, _ action: DMSEvents.Action, serial: String, event: DMSEvent) throws {
        switch (action, event) {
        case let (.consumableOrderCreated(order), .tonerLevel(item, level)):
            try api.audit(connection, principal, "consumable_order.create", "consumable_order", order.id, dealer: order.dealerID,
                          [("device_serial", .string(serial)), ("channel", .string(item.rawValue)), ("level_percent", .int(level))])
            try api.publish(connection, .consumableOrderOpened, dealer: order.dealerID, id: order.id, order.json)
        case let (.serviceRequestCreated(created), .error(code, _)):
            try api.audit(connection, principal, "service_request.create", "service_request", created.id, dealer: created.dealerID,
                          [("device_serial", .string(serial)), ("alert_code", .string(code))])
            try api.publish(connection, .serviceRequestCreated, dealer: created.dealerID, id: created.id, ServiceRequestRoutes(api: api).present(created))
        default:
            break
        }
    }

    private func json(_ action: DMSEvents.Action) -> JSONValue {
        switch action {
        case .none: return .object([("type", .string("none"))])
        case let .consumableOrderAlreadyOpen(id): return .object([("type", .string("consumable_order_already_open")), ("order_id", .string(id))])
        case let .consumableOrderCreated(order): return .object([("type", .string("consumable_order_created")), ("order_id", .string(order.id))])
        case let .serviceRequestAlreadyOpen(id):
            return .object([("type", .string("service_request_already_open")), ("service_request_id", .string(id))])
        case let .serviceRequestCreated(request):
            return .object([("type", .string("service_request_created")), ("service_request_id", .string(request.id))])
        }
    }
}
